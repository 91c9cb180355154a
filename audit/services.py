"""Writing to the access log."""

from audit.models import AccessRecord


def subject_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def record_read(*, reader, subject: str, item: str, item_id: int | None = None) -> AccessRecord:
    """One read of a confidential item by an authenticated reader."""
    return AccessRecord.objects.create(reader=reader, subject=subject, item=item, item_id=item_id)


def forget_subject(subject: str) -> int:
    """Only for a subject that is deleted for good (never on retention: the log outlives texts)."""
    deleted, _ = AccessRecord.objects.filter(subject=subject).delete()
    return deleted

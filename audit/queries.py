"""Reading the access log."""

from django.db.models import QuerySet

from audit.models import AccessRecord


def reads_of(subject: str) -> QuerySet[AccessRecord]:
    """Every read of a subject's items, newest first, with the reader (one query)."""
    return AccessRecord.objects.filter(subject=subject).select_related("reader").order_by("-read_at", "-pk")


def reads_by(reader) -> QuerySet[AccessRecord]:
    """Every read one person made, oldest first: their part of the log, for their own export."""
    return AccessRecord.objects.filter(reader=reader).order_by("read_at", "pk")

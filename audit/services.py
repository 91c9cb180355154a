"""Writing to the access log, and forgetting it after ACCESS_LOG_RETENTION_DAYS."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from audit.models import AccessRecord


def subject_key(kind: str, pk: int) -> str:
    """The key of the thing whose owner sees its log: "meeting:12", "vignette:3", "situation:7"."""
    return f"{kind}:{pk}"


def record_read(
    *, reader, subject: str, item: str, item_id: int | None = None, path: str = ""
) -> AccessRecord:
    """One read of a confidential item by an authenticated reader, from the page at PATH."""
    return AccessRecord.objects.create(
        reader=reader, subject=subject, item=item, item_id=item_id, path=(path or "")[:200]
    )


def purge_expired(*, now: datetime | None = None) -> int:
    """Forget reads older than the retention (two years by default). Idempotent."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessRecord.objects.filter(read_at__lt=limit).delete()
    return deleted

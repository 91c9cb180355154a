"""Reading the access log."""

from django.db.models import QuerySet

from audit.models import AccessRecord


def reads_of(subject: str) -> QuerySet[AccessRecord]:
    """Every read of a subject's items, newest first, with the reader (one query)."""
    return AccessRecord.objects.filter(subject=subject).select_related("reader").order_by("-read_at", "-pk")

"""Feedback comments are forgotten FEEDBACK_COMMENT_RETENTION_MONTHS after their meeting: the
organiser reads them to improve the next ones, then only the scores remain."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from meetings.followup.models import Feedback


def purge_feedback_comments(*, now: datetime | None = None) -> int:
    """Empty the comments of meetings that ended before the retention limit. Idempotent."""
    limit = (now or timezone.now()) - relativedelta(months=settings.FEEDBACK_COMMENT_RETENTION_MONTHS)
    return Feedback.objects.filter(meeting__end__lt=limit).exclude(comment="").update(comment="")

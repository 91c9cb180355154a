"""The retention of closed situations: after SITUATION_RETENTION_MONTHS, notes, reports, the
plan's texts and the signed form are emptied; the dates, counts and access log remain."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from meetings.situations.models import (
    Concertation,
    ConcertationReport,
    Consent,
    ConsentExclusion,
    Goal,
    Note,
    PlanAction,
    Referent,
    Situation,
    SituationStatus,
    StatusChange,
)


def purge_due(now: datetime | None = None):
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.SITUATION_RETENTION_MONTHS)
    return Situation.objects.filter(
        status=SituationStatus.CLOSED, closed_at__lte=limit, purged_at__isnull=True
    )


@transaction.atomic
def purge_situation(situation: Situation, now: datetime | None = None) -> None:
    """Empty every free text the situation holds about the person; rows, dates and counts stay."""
    now = now or timezone.now()
    Note.objects.filter(situation=situation, purged_at__isnull=True).update(
        text="", purpose="", purged_at=now
    )
    ConcertationReport.objects.filter(concertation__situation=situation, purged_at__isnull=True).update(
        needs="", purged_at=now
    )
    Goal.objects.filter(situation=situation).update(text="—")
    PlanAction.objects.filter(situation=situation).update(description="—")
    for consent in Consent.objects.filter(situation=situation).exclude(document=""):
        consent.document.delete(save=False)
        consent.document = ""
        consent.save(update_fields=["document"])
    Consent.objects.filter(situation=situation).update(
        shared_content="—", relatives_limits="", withdrawal_note="", basis_reference=""
    )
    ConsentExclusion.objects.filter(consent__situation=situation).update(name="—")
    StatusChange.objects.filter(situation=situation).update(note="")
    Referent.objects.filter(situation=situation).update(handover_note="")
    Concertation.objects.filter(situation=situation).update(
        person_not_invited_reason="", accepted_warnings=[]
    )
    # The concertations' meetings: their purpose and agenda go with the situation's texts.
    meetings = Meeting.objects.filter(situation_link__situation=situation)
    meetings.update(purpose="")
    AgendaItem.objects.filter(meeting__in=meetings).update(title="—")
    situation.trigger = ""
    situation.requester_description = ""
    situation.purged_at = now
    situation.save(update_fields=["trigger", "requester_description", "purged_at"])


def purge_closed_situations(now: datetime | None = None) -> int:
    count = 0
    for situation in purge_due(now):
        purge_situation(situation, now)
        count += 1
    return count

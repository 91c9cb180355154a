"""Flags about single meetings: (a) unprepared 48 hours before, (b) not closed after the reminder."""

from datetime import datetime, timedelta

from django.db.models import (
    Exists,
    OuterRef,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network
from meetings.followup.services.reminders import CLOSE_REMINDER_AFTER
from meetings.kinds import POLICIES, policy_for
from meetings.load import policies
from meetings.load.health.base import Flag, meeting_url, subject_name
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
)

# (a) Meetings still unprepared 48 hours before


def unprepared(network: Network, *, now: datetime) -> list[Flag]:
    """Meetings starting within PREPARATION_BEFORE_HOURS whose kind requires a purpose (or an
    agenda, kinds.py) and who have none yet. One query."""
    need_purpose = [k for k, p in POLICIES.items() if p.requires_purpose]
    need_agenda = [k for k, p in POLICIES.items() if p.requires_agenda]
    has_agenda = Exists(AgendaItem.objects.filter(meeting=OuterRef("pk")))
    rows = (
        Meeting.objects.filter(
            network=network,
            status=MeetingStatus.SCHEDULED,
            start__gte=now,
            start__lte=now + timedelta(hours=policies.PREPARATION_BEFORE_HOURS),
        )
        .annotate(has_agenda=has_agenda)
        .filter(Q(kind__in=need_purpose, purpose="") | Q(kind__in=need_agenda, has_agenda=False))
        .values("pk", "kind", "title", "purpose", "has_agenda", "start", "group__name")
        .order_by("start", "pk")[: policies.MEETINGS_PER_FLAG]
    )
    flags = []
    for row in rows:
        policy = policy_for(row["kind"])
        missing = []
        if policy.requires_purpose and not row["purpose"]:
            missing.append(_("l'objet"))
        if policy.requires_agenda and not row["has_agenda"]:
            missing.append(_("l'ordre du jour"))
        name = subject_name(row["kind"], row["title"], row["group__name"])
        flags.append(
            Flag(
                code="unprepared",
                subject_key=f"meeting:{row['pk']}",
                message=_("%(name)s commence bientôt sans %(missing)s.")
                % {"name": name, "missing": _(" ni ").join(missing)},
                url=meeting_url(row["pk"]),
                figures=((_("début"), timezone.localtime(row["start"]).strftime("%Y-%m-%d %H:%M")),),
            )
        )
    return flags


# (b) Past meetings nobody closed


def unclosed(network: Network, *, now: datetime) -> list[Flag]:
    """Meetings still scheduled or held CLOSE_REMINDER_AFTER their end — the delay after which
    follow-up reminds their facilitators (followup.services.reminders) — within the last
    UNCLOSED_LOOKBACK_DAYS. One query, at most MEETINGS_PER_FLAG of them, the latest first."""
    rows = (
        Meeting.objects.filter(
            network=network,
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
            end__lte=now - CLOSE_REMINDER_AFTER,
            end__gte=now - timedelta(days=policies.UNCLOSED_LOOKBACK_DAYS),
        )
        .values("pk", "kind", "title", "end", "group__name")
        .order_by("-end", "-pk")[: policies.MEETINGS_PER_FLAG]
    )
    return [
        Flag(
            code="unclosed",
            subject_key=f"meeting:{row['pk']}",
            message=_("%(name)s, terminée le %(day)s, n'est pas clôturée.")
            % {
                "name": subject_name(row["kind"], row["title"], row["group__name"]),
                "day": timezone.localtime(row["end"]).date().isoformat(),
            },
            url=meeting_url(row["pk"]),
            figures=((_("jours depuis la fin"), str((now - row["end"]).days)),),
        )
        for row in rows
    ]

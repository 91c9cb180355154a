"""The concertation report as an A4 PDF for the file, made like the attendance certificates.

The person concerned appears only by the situation's pseudonym, never by a name or an address,
even when they took part or own an action. Each participant's confirmation is the one recorded in
the application: no signature is reproduced. Once the report is purged (retention), only its
dates and counts are printed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings.recurrence import BRUSSELS
from meetings.situations.models import ConcertationReport, Member, MemberKind, PlanAction
from meetings.situations.policies import policy_for


@dataclass(frozen=True)
class ActionLine:
    description: str
    owner: str
    due_date: date
    revision_date: date | None
    status: str


@dataclass(frozen=True)
class ActionBlock:
    """A goal and its actions, or (OTHER) the actions linked to no goal of the report."""

    text: str
    actions: list[ActionLine] = field(default_factory=list)
    other: bool = False


@dataclass(frozen=True)
class ParticipantLine:
    name: str
    discipline: str
    confirmed_on: date | None


def _brussels(moment: datetime | None) -> datetime | None:
    return moment.astimezone(BRUSSELS) if moment is not None else None


def name_of(member: Member | None, code: str) -> str:
    """A member's name as the report prints it: the pseudonym for the person concerned."""
    if member is None:
        return ""
    if member.kind == MemberKind.PERSON:
        return code
    return member.display_name


def _action_line(action: PlanAction, code: str) -> ActionLine:
    return ActionLine(
        description=action.description,
        owner=name_of(action.owner, code),
        due_date=action.due_date,
        revision_date=action.revision_date,
        status=action.get_status_display(),
    )


def report_context(report: ConcertationReport) -> dict:
    """What the template prints, in the active language."""
    concertation = report.concertation
    situation = concertation.situation
    meeting = concertation.meeting
    code = situation.code
    participants = list(report.participants.select_related("member__user"))
    goals = list(report.goals.all())
    actions = list(report.actions.select_related("owner__user").order_by("due_date", "pk"))
    context = {
        "report": report,
        "code": code,
        "template_label": policy_for(concertation.template).label,
        "start": _brussels(meeting.start),
        "end": _brussels(meeting.end),
        "written_at": _brussels(report.written_at),
        "printed_at": timezone.localtime(timezone.now(), BRUSSELS),
        "purged": report.purged_at is not None,
        "purged_at": _brussels(report.purged_at),
        "participant_count": len(participants),
        "confirmed_count": sum(1 for p in participants if p.confirmed_at is not None),
        "goal_count": len(goals),
        "action_count": len(actions),
        "language": translation.get_language(),
    }
    if context["purged"]:
        return context
    by_goal: dict[int, list[ActionLine]] = {goal.pk: [] for goal in goals}
    others = []
    for action in actions:
        line = _action_line(action, code)
        if action.goal_id in by_goal:
            by_goal[action.goal_id].append(line)
        else:
            others.append(line)
    facilitator = concertation.facilitator
    context.update(
        {
            "place": meeting.place,
            "online": bool(meeting.online_link),
            "facilitator": name_of(facilitator, code),
            "participants": [
                ParticipantLine(
                    name=name_of(p.member, code),
                    discipline=p.discipline,
                    confirmed_on=_brussels(p.confirmed_at).date() if p.confirmed_at else None,
                )
                for p in participants
            ],
            "needs": report.needs,
            "goals": goals,
            "action_blocks": [ActionBlock(text=goal.text, actions=by_goal[goal.pk]) for goal in goals]
            + ([ActionBlock(text="", actions=others, other=True)] if others else []),
        }
    )
    return context


def render_report_pdf(report: ConcertationReport, *, language: str) -> bytes:
    """The report as an A4 PDF in LANGUAGE. Nothing is fetched from outside."""
    # Imported here: WeasyPrint parses its stylesheets on import, which every process would pay.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    report = ConcertationReport.objects.select_related(
        "concertation__situation", "concertation__meeting", "concertation__facilitator__user"
    ).get(pk=report.pk)
    with translation.override(language):
        html = render_to_string("situations/report_pdf.html", report_context(report))
    # Only data: URLs (inline images) may be read; anything else is refused, not fetched.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()

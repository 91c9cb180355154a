"""After a concertation: its report (who took part, needs, goals, actions, next review), each
participant's confirmation, and the plan's actions until they are done."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.situations import notices
from meetings.situations.models import (
    ActionStatus,
    Concertation,
    ConcertationReport,
    Goal,
    Member,
    PlanAction,
    ReportParticipant,
    Situation,
    SituationStatus,
)
from meetings.situations.models.plan import OPEN_ACTION_STATUSES
from meetings.situations.rules import access_for
from meetings.situations.services.consent import SHARING_WITHDRAWN


@dataclass(frozen=True)
class NewAction:
    description: str
    owner: Member
    due_date: date
    revision_date: date | None = None
    goal: str = ""  # the text of a goal of the same report, or empty


def _discipline(member: Member) -> str:
    if member.profession:
        return member.get_profession_display()
    return member.get_kind_display()


def _plan_changed(situation: Situation, about: str) -> None:
    situation.plan_updated_at = timezone.now()
    situation.save(update_fields=["plan_updated_at"])
    notices.queue_retour(situation=situation, about=about)


def _check_sharing(situation: Situation, by: User) -> None:
    access = access_for(by, situation)
    if not access.sharing_allowed:
        raise ValidationError(
            SHARING_WITHDRAWN,
            code="withdrawn",
        )
    if not access.manages:
        raise PermissionDenied


@transaction.atomic
def report_save(
    *,
    concertation: Concertation,
    by: User,
    participants: list[Member],
    needs: str,
    next_review: date | None,
    goals: list[str] = (),
    actions: list[NewAction] = (),
) -> ConcertationReport:
    """Write (or complete) the report of a concertation that took place; its goals and actions
    join the situation's plan."""
    situation = concertation.situation
    _check_sharing(situation, by)
    if concertation.meeting.start > timezone.now():
        raise ValidationError(_("Le compte rendu s'écrit après la concertation."), code="too_early")
    if any(m.situation_id != situation.pk for m in participants) or any(
        a.owner.situation_id != situation.pk for a in actions
    ):
        raise ValidationError(_("Ce membre n'appartient pas à ce réseau."), code="member")
    if not participants:
        raise ValidationError(_("Notez qui a pris part à la concertation."), code="participants")
    report, _created = ConcertationReport.objects.get_or_create(
        concertation=concertation, defaults={"written_by": by}
    )
    report.needs = needs.strip()
    report.next_review = next_review
    report.save()
    kept = {p.member_id: p for p in report.participants.all()}
    chosen = {m.pk for m in participants}
    report.participants.exclude(member_id__in=chosen).delete()
    ReportParticipant.objects.bulk_create(
        ReportParticipant(report=report, member=m, discipline=_discipline(m))
        for m in participants
        if m.pk not in kept
    )
    new_goals = {}
    for text in goals:
        text = " ".join(text.split())
        if text and text not in new_goals:
            new_goals[text] = Goal.objects.create(situation=situation, report=report, text=text)
    for action in actions:
        action_create(situation=situation, by=by, action=action, report=report, goals=new_goals)
    _plan_changed(situation, about=f"report-{report.pk}-{timezone.localdate():%Y%m%d}")
    return report


def action_create(
    *,
    situation: Situation,
    by: User,
    action: NewAction,
    report: ConcertationReport | None = None,
    goals: dict | None = None,
) -> PlanAction:
    description = " ".join(action.description.split())
    if not description:
        raise ValidationError(_("Décrivez l'action."), code="action_empty")
    if action.revision_date and action.revision_date < action.due_date:
        raise ValidationError(_("La révision ne peut pas précéder l'échéance."), code="revision")
    if not action.owner.is_current(timezone.localdate()):
        raise ValidationError(_("Une action revient à un membre actuel du réseau."), code="owner")
    goal = (goals or {}).get(" ".join(action.goal.split())) if action.goal else None
    return PlanAction.objects.create(
        situation=situation,
        goal=goal,
        report=report,
        description=description,
        owner=action.owner,
        due_date=action.due_date,
        revision_date=action.revision_date,
        created_by=by,
    )


@transaction.atomic
def action_add(*, situation: Situation, by: User, action: NewAction) -> PlanAction:
    _check_sharing(situation, by)
    created = action_create(situation=situation, by=by, action=action)
    _plan_changed(situation, about=f"plan-{timezone.localdate():%Y%m%d}")
    return created


def can_update_action(user: User, action: PlanAction) -> bool:
    """Its owner, and the référents."""
    access = access_for(user, action.situation)
    return access.manages or (access.is_member and access.member.pk == action.owner_id)


@transaction.atomic
def action_set_status(*, action: PlanAction, by: User, status: str) -> PlanAction:
    if not can_update_action(by, action):
        raise PermissionDenied
    # Locked: two taps on "C'est fait" at once tell the référents once.
    action = PlanAction.objects.select_for_update().select_related("situation").get(pk=action.pk)
    if status not in ActionStatus.values:
        raise ValidationError(_("Ce statut n'existe pas."), code="status")
    if status == action.status:
        return action
    was_open = action.is_open
    action.status = status
    action.done_at = timezone.now() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_at", "updated_at"])
    if was_open and status == ActionStatus.DONE:
        notices.queue_action_done(action=action)
    _plan_changed(action.situation, about=f"plan-{timezone.localdate():%Y%m%d}")
    return action


@transaction.atomic
def confirm_participation(*, report: ConcertationReport, user: User) -> ReportParticipant:
    """A participant confirms the report in the application (instead of signing a paper)."""
    row = report.participants.filter(member__user=user).first()
    if row is None:
        raise PermissionDenied
    if row.confirmed_at is None:
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at"])
    return row


def notify_overdue_actions(*, today: date | None = None) -> int:
    """Tell the référents, once per action, that an action of a plan is overdue."""
    today = today or timezone.localdate()
    overdue = (
        PlanAction.objects.filter(
            status__in=OPEN_ACTION_STATUSES, due_date__lt=today, overdue_notified_at__isnull=True
        )
        .exclude(situation__status=SituationStatus.CLOSED)
        .select_related("situation")
    )
    count = 0
    for action in overdue:
        with transaction.atomic():
            updated = PlanAction.objects.filter(pk=action.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            )
            if updated:
                count += notices.queue_action_overdue(action=action)
    return count

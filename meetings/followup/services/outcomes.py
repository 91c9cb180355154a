"""After the meeting: its outcome, the follow-up actions it hands out, closing, and feedback.

The kind's policy shapes the outcome (a Balint group keeps themes only, without decisions or
actions). Closing locks attendance and outcome; actions live on: their owners mark them done.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings import bounds
from meetings import rules as meeting_rules
from meetings.attendance.models import ATTENDED
from meetings.followup import rules
from meetings.followup.models import Action, ActionStatus, Feedback, Outcome
from meetings.models import (
    TAKING_PLACE,
    GroupMembership,
    Invitation,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    MessageKind,
    PartStat,
)
from meetings.services.meetings import mark_held
from outbox import services as outbox

MAX_DECISIONS = 30


def _check_taking_place(meeting: Meeting, closed_message: str) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(closed_message, code="closed")
    if meeting.status not in TAKING_PLACE:
        raise ValidationError(_("Cette réunion n'a pas eu lieu."), code="not_held")


def check_outcome_open(meeting: Meeting, now: datetime | None = None) -> None:
    """Whether the outcome may be written now, whoever writes it: from the start of the meeting
    until it is closed."""
    _check_taking_place(
        meeting, _("Cette réunion est clôturée : son compte rendu ne peut plus être modifié.")
    )
    if (now or timezone.now()) < meeting.start:
        raise ValidationError(_("Le compte rendu se note une fois la réunion commencée."), code="too_early")


def check_recordable(meeting: Meeting, by: User, now: datetime | None = None) -> None:
    if not meeting_rules.is_facilitator(by, meeting):
        raise PermissionDenied(_("Seul l'animateur ou l'animatrice de la réunion en note le compte rendu."))
    check_outcome_open(meeting, now)


def owners_among(meeting: Meeting) -> QuerySet[User]:
    """Who may take an action: anyone invited with an account (other organisations included)
    who has not declined, the group's active members and the organiser. A filter, which the
    action form's picker searches and checks against."""
    invited = Invitation.objects.filter(meeting=meeting, user_id=OuterRef("pk")).exclude(
        partstat=PartStat.DECLINED
    )
    members = Q(pk__in=[])
    if meeting.group_id:
        members = Q(
            pk__in=GroupMembership.objects.filter(
                group_id=meeting.group_id, status=MembershipStatus.ACTIVE
            ).values("user_id")
        )
    # Active accounts only: an erased or disabled person takes no new action.
    return User.objects.filter(Q(Exists(invited)) | members | Q(pk=meeting.organiser_id), is_active=True)


def possible_owners(meeting: Meeting) -> list[User]:
    """owners_among as a list, by name."""
    return list(owners_among(meeting).order_by("last_name", "first_name"))


@dataclass(frozen=True)
class NewAction:
    description: str
    owner: User | None
    due_date: date | None


def _check_actions(meeting: Meeting, actions: list[NewAction]) -> None:
    owners = {u.pk for u in possible_owners(meeting)} if actions else set()
    for action in actions:
        if not action.description.strip():
            raise ValidationError(_("Décrivez chaque action."), code="action_description")
        if action.owner is None:
            raise ValidationError(_("Chaque action a une personne qui s'en charge."), code="action_owner")
        if action.owner.pk not in owners:
            raise ValidationError(
                _("%(name)s n'est pas invité·e à cette réunion : une action ne peut pas lui être confiée.")
                % {"name": action.owner.get_full_name() or action.owner.email},
                code="action_owner",
            )
        if action.due_date is None:
            raise ValidationError(_("Chaque action a une échéance."), code="action_due_date")
        bounds.check_day(action.due_date)


def identity_findings(meeting: Meeting, summary: str, decisions: list[str]) -> list:
    """What the anonymiser finds in an outcome of a confidential kind (nothing for other kinds).
    Slow: never run it inside a transaction."""
    if not meeting.policy.checks_outcome_for_identities:
        return []
    from meetings import anonymiser

    return anonymiser.find("\n".join([summary, *decisions]))


def _check_outcome_shape(
    meeting: Meeting, summary: str, decisions: list[str], actions: list[NewAction]
) -> None:
    policy = meeting.policy
    if len(summary) > policy.outcome_max_length:
        raise ValidationError(
            _("%(label)s : %(maximum)s caractères au plus (le texte en compte %(length)s).")
            % {"label": policy.outcome_label, "maximum": policy.outcome_max_length, "length": len(summary)},
            code="too_long",
        )
    if not policy.records_decisions and (decisions or actions):
        raise ValidationError(
            _(
                "Ce type de réunion ne garde que les thèmes abordés et la présence : "
                "pas de décisions ni d'actions."
            ),
            code="no_decisions",
        )
    if len(decisions) > MAX_DECISIONS:
        raise ValidationError(_("Trop de décisions pour un seul compte rendu."), code="too_many")


def outcome_record(
    *,
    meeting: Meeting,
    by: User,
    summary: str,
    decisions: list[str] = (),
    actions: list[NewAction] = (),
    confirmed_anonymous: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Write (or rewrite) the outcome and add the new follow-up actions, all or nothing; a
    scheduled meeting becomes held.

    An outcome of a confidential kind in which the anonymiser finds someone is refused (code
    "identifying", the findings in the error's params) unless the author confirms that nobody
    can be identified; for a kind without written case material (a Balint group), it is refused
    whatever the author confirms. The summary is at most the kind's outcome_max_length. The
    anonymiser runs before the transaction; the meeting is then locked and checked again, so an
    outcome is never written to a meeting closed in the meantime.
    """
    # Checked before the slow anonymiser too, so that nobody else can make it run.
    check_recordable(meeting, by, now)
    summary = summary.strip()
    decisions = [d.strip() for d in decisions if d.strip()]
    actions = list(actions)
    _check_outcome_shape(meeting, summary, decisions, actions)
    refused_outright = meeting.policy.refuses_identities_in_outcome
    checked = refused_outright or not confirmed_anonymous
    findings = identity_findings(meeting, summary, decisions) if checked else []
    if findings and refused_outright:
        raise ValidationError(
            _(
                "Ce type de réunion ne garde aucun écrit qui permette d'identifier une personne, "
                "sans exception : retirez les passages signalés."
            ),
            code="identifying",
            params={"findings": findings},
        )
    if findings:
        raise ValidationError(
            _("Relisez les passages signalés : retirez-les, ou confirmez que personne n'est identifiable."),
            code="identifying",
            params={"findings": findings},
        )
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        check_recordable(locked, by, now)
        _check_actions(locked, actions)
        outcome, _created = Outcome.objects.update_or_create(
            meeting=locked,
            defaults={"summary": summary, "decisions": decisions, "recorded_by": by},
        )
        Action.objects.bulk_create(
            Action(
                origin=locked,
                description=a.description.strip(),
                owner=a.owner,
                due_date=a.due_date,
                created_by=by,
            )
            for a in actions
        )
        mark_held(locked)
    meeting.status = locked.status
    return outcome


def check_closable(meeting: Meeting, now: datetime | None = None, *, has_outcome: bool | None = None) -> None:
    """Whether the meeting may be closed now, whoever closes it: it has ended and its outcome
    is recorded (HAS_OUTCOME: whether it is, when the caller has read it already)."""
    _check_taking_place(meeting, _("Cette réunion est déjà clôturée."))
    if has_outcome is None:
        has_outcome = Outcome.objects.filter(meeting=meeting).exists()
    if not has_outcome:
        raise ValidationError(_("Notez d'abord le compte rendu, puis clôturez."), code="no_outcome")
    if (now or timezone.now()) < meeting.end:
        raise ValidationError(_("La réunion n'est pas encore terminée."), code="too_early")


@transaction.atomic
def meeting_close(*, meeting: Meeting, by: User, now: datetime | None = None) -> Meeting:
    """Close a meeting whose outcome is recorded: attendance and outcome become read-only, and
    the people who came are asked whether it was useful."""
    now = now or timezone.now()
    if not meeting_rules.is_facilitator(by, meeting):
        raise PermissionDenied(_("Seul l'animateur ou l'animatrice de la réunion la clôture."))
    check_closable(meeting, now)
    claimed = (
        Meeting.objects.filter(pk=meeting.pk)
        .exclude(status=MeetingStatus.CLOSED)
        .update(status=MeetingStatus.CLOSED, closed_at=now)
    )
    if claimed:
        _ask_for_feedback(meeting)
    meeting.refresh_from_db()
    return meeting


def _ask_for_feedback(meeting: Meeting) -> None:
    """One e-mail to each person who came (with an account: the answer links need one). Called
    once per meeting, by whoever won the conditional UPDATE that closed it."""
    attendances = meeting.attendances.filter(status__in=list(ATTENDED), user__isnull=False)
    outbox.queue_many(
        [
            outbox.addressed_to(attendance.user, meeting=meeting.pk)
            | {"dedupe_key": f"feedback:{meeting.pk}:{attendance.user_id}", "kind": MessageKind.FEEDBACK}
            for attendance in attendances.select_related("user")
        ]
    )


# Follow-up actions


def _check_action_editor(action: Action, by: User) -> None:
    if not rules.can_edit_action(by, action):
        raise PermissionDenied(_("Seule la personne chargée de l'action, ou qui l'a confiée, la modifie."))


def _check_closable_action(action: Action, by: User) -> None:
    """Marking done and dropping: by its owner or who handed it out, while it is open."""
    _check_action_editor(action, by)
    if action.status != ActionStatus.OPEN:
        raise ValidationError(_("Cette action n'est plus ouverte."), code="not_open")


def action_done(*, action: Action, by: User) -> Action:
    _check_closable_action(action, by)
    action.status, action.closed_at = ActionStatus.DONE, timezone.now()
    action.save(update_fields=["status", "closed_at"])
    return action


def action_drop(*, action: Action, by: User, reason: str) -> Action:
    _check_closable_action(action, by)
    if not reason.strip():
        raise ValidationError(_("Indiquez pourquoi l'action est abandonnée."), code="reason")
    limit = Action._meta.get_field("drop_reason").max_length
    if len(reason.strip()) > limit:
        raise ValidationError(
            _("La raison de l'abandon tient en %(maximum)s caractères au plus.") % {"maximum": limit},
            code="reason_too_long",
        )
    action.status, action.closed_at, action.drop_reason = ActionStatus.DROPPED, timezone.now(), reason.strip()
    action.save(update_fields=["status", "closed_at", "drop_reason"])
    return action


def action_reopen(*, action: Action, by: User) -> Action:
    _check_action_editor(action, by)
    action.status, action.closed_at, action.drop_reason = ActionStatus.OPEN, None, ""
    action.save(update_fields=["status", "closed_at", "drop_reason"])
    return action


# Feedback: anonymous to everyone, one answer per person


def respondent_key(meeting: Meeting, user: User) -> str:
    message = f"feedback:{meeting.pk}:{user.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def feedback_give(*, meeting: Meeting, user: User, score: int, comment: str | None = None) -> Feedback:
    """Record or change one's answer. A comment left empty keeps the one given before."""
    if not rules.can_give_feedback(user, meeting):
        raise PermissionDenied(_("Seules les personnes présentes donnent leur avis sur la réunion."))
    if score not in range(1, 6):
        raise ValidationError(_("Choisissez une note de 1 à 5."), code="score")
    defaults = {"score": score}
    if comment is not None:
        defaults["comment"] = comment.strip()[:2000]
    feedback, _created = Feedback.objects.update_or_create(
        meeting=meeting, respondent=respondent_key(meeting, user), defaults=defaults
    )
    return feedback


def my_feedback(meeting: Meeting, user: User) -> Feedback | None:
    return Feedback.objects.filter(meeting=meeting, respondent=respondent_key(meeting, user)).first()


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    distribution: list[tuple[int, int]]  # (score, how many), 5 to 1
    comments: list[str]


def feedback_summary(meeting: Meeting) -> FeedbackSummary:
    """What the organiser sees: numbers and comments, in no particular order, never names."""
    rows = list(Feedback.objects.filter(meeting=meeting).order_by("?").values_list("score", "comment"))
    scores = [score for score, _comment in rows]
    return FeedbackSummary(
        count=len(rows),
        average=round(sum(scores) / len(scores), 1) if scores else None,
        distribution=[(n, scores.count(n)) for n in range(5, 0, -1)],
        comments=[comment for _score, comment in rows if comment],
    )

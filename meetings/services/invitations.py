"""Invitations to meetings and series, answers, and the e-mails that changes cause.

Every e-mail is an outbox row written in the caller's transaction (see outbox/services.py); its
references name the meeting or series and the invitation or series invitation it goes through.
Drafts notify nobody: their invitations are recorded and leave when the meeting is scheduled.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import (
    Invitation,
    InvitationRole,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    MessageKind,
    PartStat,
    Role,
    Series,
    SeriesInvitation,
    StandingGroup,
)
from meetings.models.invitations import AROUND_A_PERSON_ROLES, new_nonce
from meetings.services import groups as group_services
from outbox import services as outbox
from outbox.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str = ""
    user: User | None = None
    language: str = "fr"
    role: str = InvitationRole.PARTICIPANT


def invitee_for(user: User, role: str = InvitationRole.PARTICIPANT) -> Invitee:
    return Invitee(email=user.email, name=user.get_full_name(), user=user, language=user.language, role=role)


def invitees_of_group(group: StandingGroup) -> list[Invitee]:
    memberships = group.memberships.filter(status=MembershipStatus.ACTIVE).select_related("user")
    return [
        invitee_for(
            m.user, InvitationRole.FACILITATOR if m.role == Role.FACILITATOR else InvitationRole.PARTICIPANT
        )
        for m in memberships
    ]


def guest(
    email: str, name: str = "", language: str = "fr", role: str = InvitationRole.PARTICIPANT
) -> Invitee:
    """An external guest: no account, answers through the links in the e-mail."""
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return invitee_for(user, role)
    return Invitee(email=email.lower(), name=name, language=language, role=role)


@transaction.atomic
def invite(
    *,
    meeting: Meeting,
    invitees: list[Invitee],
    to_series: bool = False,
    add_to_group: list[User] = (),
    by: User,
) -> list[Invitation] | list[SeriesInvitation]:
    """The invitations page's one step: admit ADD_TO_GROUP to the meeting's group first (people
    the coordinator chose to add when told they were not members; they accept its charter before
    they see the sessions' details), then invite INVITEES to the meeting or its whole series."""
    if add_to_group:
        group_services.group_add_members(group=meeting.group, users=list(add_to_group), by=by)
    if to_series:
        return invite_to_series(series=meeting.series, invitees=invitees)
    return invite_to_meeting(meeting=meeting, invitees=invitees)


def _check_roles(kind_policy, invitees: list[Invitee]) -> None:
    if not kind_policy.invites_person_and_relatives and any(
        i.role in AROUND_A_PERSON_ROLES for i in invitees
    ):
        raise ValidationError(
            _("La personne concernée et ses proches ne s'invitent qu'à une concertation clinique."),
            code="role",
        )


def _queue_for(
    target, *, kind: str, refs: dict[str, int], send_after: datetime | None = None
) -> OutboxMessage:
    return outbox.queue(
        kind=kind,
        recipient_email=target.email,
        recipient_name=target.display_name,
        language=target.language,
        refs=refs,
        send_after=send_after,
    )


def update_delay() -> timedelta:
    """Edits made within this delay after a change go out as one update."""
    return timedelta(seconds=settings.OUTBOX_UPDATE_DELAY_SECONDS)


def revoke_answer_links(*, target: Invitation | SeriesInvitation) -> None:
    """Every answer link sent to TARGET stops working (they are signed with its nonce); the
    other invitees' links are untouched."""
    target.nonce = new_nonce()
    target.save(update_fields=["nonce"])


@transaction.atomic
def resend(*, invitation: Invitation) -> OutboxMessage:
    """Send the invitation again, with new answer links: the old e-mail may be lost or forwarded,
    so its links are revoked."""
    if invitation.series_invitation_id:
        target = invitation.series_invitation
        refs = {"series": target.series_id, "series_invitation": target.pk}
    else:
        target, refs = invitation, {"meeting": invitation.meeting_id, "invitation": invitation.pk}
    revoke_answer_links(target=target)
    return _queue_for(target, kind=MessageKind.REQUEST, refs=refs)


@transaction.atomic
def invite_to_meeting(*, meeting: Meeting, invitees: list[Invitee]) -> list[Invitation]:
    """Invite people to one meeting. Someone already invited is left alone (no second e-mail)."""
    _check_roles(meeting.policy, invitees)
    existing = set(meeting.invitations.values_list("email", flat=True))
    offsets = _above_cancels(meeting, [i.email.lower() for i in invitees if i.email.lower() not in existing])
    created = []
    for invitee in _unique(invitees):
        if invitee.email in existing:
            continue
        invitation = Invitation.objects.create(
            meeting=meeting,
            user=invitee.user,
            email=invitee.email,
            name=invitee.name,
            language=invitee.language,
            role=invitee.role,
            sequence_offset=offsets.get(invitee.email.lower(), 0),
        )
        created.append(invitation)
        if meeting.status != MeetingStatus.DRAFT:
            _queue_for(
                invitation,
                kind=MessageKind.REQUEST,
                refs={"meeting": meeting.pk, "invitation": invitation.pk},
            )
    return created


@transaction.atomic
def invite_to_series(
    *, series: Series, invitees: list[Invitee], now: datetime | None = None
) -> list[SeriesInvitation]:
    """Invite people to a whole series: one e-mail carrying the rule, and an invitation row on
    every occurrence to come so that answers and attendance attach to real meetings."""
    _check_roles(series.policy, invitees)
    existing = set(series.invitations.values_list("email", flat=True))
    offsets = _above_cancels(series, [i.email.lower() for i in invitees if i.email.lower() not in existing])
    created = SeriesInvitation.objects.bulk_create(
        SeriesInvitation(
            series=series,
            user=invitee.user,
            email=invitee.email,
            name=invitee.name,
            language=invitee.language,
            role=invitee.role,
            sequence_offset=offsets.get(invitee.email.lower(), 0),
        )
        for invitee in _unique(invitees)
        if invitee.email not in existing
    )
    outbox.queue_many(
        [
            {
                "kind": MessageKind.REQUEST,
                "recipient_email": si.email,
                "recipient_name": si.display_name,
                "language": si.language,
                "refs": {"series": series.pk, "series_invitation": si.pk},
            }
            for si in created
        ]
    )
    attach_series_invitations(series=series, after=now or timezone.now())
    return created


def _above_cancels(subject: Meeting | Series, emails: list[str]) -> dict[str, int]:
    """The SEQUENCE offset of each of EMAILS invited again after a CANCEL (a CANCEL's references
    say the offset it left with, emails.sequence_offset): one above it, or their calendar ignores
    the new invitation. Only their own calendars go up: the event's SEQUENCE stays, so that the
    others' answers to the invitation they hold still count. A CANCEL still waiting is dropped
    instead (invited again before it left), only if it is about SUBJECT itself: invited to one
    session, a person removed from its series must still be told the rest is off. For an
    occurrence, a CANCEL of its series counts for the offset too: both are the same UID in the
    person's calendar."""
    if not emails:
        return {}
    if isinstance(subject, Series):
        own = Q(refs__series=subject.pk)
        about = own
    else:
        own = Q(refs__meeting=subject.pk)
        about = own | Q(refs__series=subject.series_id) if subject.series_id else own
    cancels = OutboxMessage.objects.filter(about, kind=MessageKind.CANCEL, recipient_email__in=emails)
    outbox.supersede(cancels.filter(own, status=OutboxStatus.QUEUED))
    offsets: dict[str, int] = {}
    # Sent, or still to leave (a series' CANCEL kept above): the new invitation goes above it.
    sent = cancels.filter(status__in=[OutboxStatus.SENT, OutboxStatus.SENDING, OutboxStatus.QUEUED])
    for email, refs in sent.values_list("recipient_email", "refs"):
        above = refs.get("sequence_offset", 1) + 1  # those queued before refs said so were 1 above
        offsets[email.lower()] = max(offsets.get(email.lower(), 0), above)
    return offsets


def record_sent_sequence(*, target: Invitation | SeriesInvitation, sequence: int) -> None:
    """The e-mail to TARGET being rendered carries SEQUENCE: it is what their calendar's answers
    are judged against (calendar.services.replies). Only ever raised: two e-mails rendered at
    once by two workers leave the higher one."""
    if target.sent_sequence is not None and target.sent_sequence >= sequence:
        return  # rendered again (a retry, a resend with nothing changed): nothing to record
    type(target).objects.filter(pk=target.pk).update(
        sent_sequence=Greatest(Coalesce(F("sent_sequence"), Value(sequence)), Value(sequence))
    )
    target.sent_sequence = sequence


# A random 32-hex-digit nonce per row, computed by the database itself.
NONCE_SQL = {
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}


# How an occurrence's invitation is filled from its series invitation (si) and its meeting (m).
# Every other column of Invitation gets its field's default, so a new field needs no change here.
FROM_SERIES_INVITATION = {
    "meeting": "m.id",
    "series_invitation": "si.id",
    "user": "si.user_id",
    "email": "si.email",
    "name": "si.name",
    "language": "si.language",
    "role": "si.role",
    "partstat": "si.partstat",
    "sequence_offset": "si.sequence_offset",
}


def _occurrence_invitation_columns(now: datetime) -> tuple[list[str], list[str], list]:
    """(columns, SQL values, parameters) of the rows attach_series_invitations writes."""
    columns, values, params = [], [], []
    for field in Invitation._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in FROM_SERIES_INVITATION:
            values.append(FROM_SERIES_INVITATION[field.name])
        elif field.name == "nonce":  # one per row: the database draws it
            values.append(NONCE_SQL[connection.vendor])
        else:
            value = now if field.name == "created_at" else field.get_default()
            values.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    return columns, values, params


def attach_series_invitations(*, series: Series, after: datetime) -> int:
    """Give every occurrence from AFTER on a row per series invitation (idempotent).

    One INSERT … SELECT: a group of 200 invited to a year of sessions is thousands of rows, which
    the database writes in one statement instead of the ORM building them one by one.
    """
    invitation, meeting, series_invitation = (
        Invitation._meta.db_table,
        Meeting._meta.db_table,
        SeriesInvitation._meta.db_table,
    )
    columns, values, params = _occurrence_invitation_columns(timezone.now())
    sql = f"""
        INSERT INTO {invitation} ({", ".join(columns)})
        SELECT {", ".join(values)}
        FROM {meeting} m JOIN {series_invitation} si ON si.series_id = m.series_id
        WHERE m.series_id = %s AND m.start >= %s
        ON CONFLICT (meeting_id, email) DO NOTHING
    """  # table and column names come from the models; values are parameters
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, series.pk, adapt(after)])
        return cursor.rowcount


def _unique(invitees: list[Invitee]) -> list[Invitee]:
    seen, unique = set(), []
    for invitee in invitees:
        key = invitee.email.lower()
        if key not in seen:
            seen.add(key)
            unique.append(Invitee(**{**invitee.__dict__, "email": key}))
    return unique


@transaction.atomic
def uninvite(
    *, invitation: Invitation | None = None, series_invitation: SeriesInvitation | None = None
) -> None:
    """Remove someone; if they were told about it, they get a CANCEL for their calendar, one
    SEQUENCE above what they had (its references say so: their invitation will be gone)."""
    if series_invitation is not None:
        told = _drop_unsent(series_invitation)
        if told:
            refs = {"series": series_invitation.series_id}
            _queue_for(
                series_invitation, kind=MessageKind.CANCEL, refs=_with_offset(refs, series_invitation, 1)
            )
        now = timezone.now()
        # Past sessions keep their row (answers, attendance); the rest goes with the invitation.
        series_invitation.invitations.filter(meeting__start__lt=now).update(series_invitation=None)
        series_invitation.delete()
        return
    told = _drop_unsent(invitation)
    if told:
        refs = {"meeting": invitation.meeting_id}
        _queue_for(invitation, kind=MessageKind.CANCEL, refs=_with_offset(refs, invitation, 1))
    invitation.delete()


def _drop_unsent(target: Invitation | SeriesInvitation) -> bool:
    """Forget queued messages to TARGET; True when an earlier message already reached them."""
    key = "series_invitation" if isinstance(target, SeriesInvitation) else "invitation"
    # Every message through TARGET went to its address, which the outbox indexes.
    messages = OutboxMessage.objects.filter(recipient_email=target.email).about(**{key: target.pk})
    outbox.supersede(messages)
    return messages.filter(status__in=[OutboxStatus.SENT, OutboxStatus.SENDING]).exists()


# Who may answer "send me the minutes" instead of coming: whoever takes part as a professional.
# Not who runs the meeting (someone must), nor the person concerned, their relatives or a
# professional not bound by secrecy (they do not read a concertation's clinical minutes).
MAY_TAKE_MINUTES_ONLY = {InvitationRole.PARTICIPANT, InvitationRole.OPTIONAL, InvitationRole.PRESENTER}


def may_answer_minutes_only(target: Invitation | SeriesInvitation) -> bool:
    return target.role in MAY_TAKE_MINUTES_ONLY or target.role == InvitationRole.MINUTES_ONLY


@transaction.atomic
def answer(
    *,
    target: Invitation | SeriesInvitation,
    partstat: str,
    minutes_only: bool | None = None,
    comment: str | None = None,
    brings: str | None = None,
    looking_for: str | None = None,
) -> bool:
    """Record an answer. Answering the same twice changes nothing; returns whether anything changed.

    MINUTES_ONLY True is the answer "envoyez-moi le compte rendu": the invitee will not come
    (DECLINED) and takes the minutes-only role, which keeps them out of the roll call, the
    reminders, the updates and the meeting load, while they still read the outcome. False (the
    answer page's other choices) gives back the participant role: nothing remembers the role held
    before, and a participant is what anyone coming is; the organiser sets another role again on
    the invitations page if needed. None (a calendar's reply, which cannot say "minutes only"):
    a new "coming" or "maybe" gives back the participant role; a decline, or the answer they had
    already (a calendar answering an update again), leaves the minutes-only role as it is — the
    organiser may have made them minutes-only after they accepted (change_role).
    For a series invitation, the answer goes to every session still to come (and to the sessions
    made later, which copy the series invitation), and a change of role to those sessions that
    had the series' role: a session whose role the organiser changed alone keeps it."""
    if minutes_only:
        if not may_answer_minutes_only(target):
            raise ValidationError(
                _(
                    "Qui anime la réunion, la personne concernée et ses proches ne peuvent pas "
                    "choisir le compte rendu seul."
                ),
                code="minutes_only",
            )
        partstat = PartStat.DECLINED
    changed = False
    role = previous_role = target.role
    if minutes_only:
        role = InvitationRole.MINUTES_ONLY
    elif target.role == InvitationRole.MINUTES_ONLY and (
        minutes_only is False
        or (partstat != target.partstat and partstat in {PartStat.ACCEPTED, PartStat.TENTATIVE})
    ):
        role = InvitationRole.PARTICIPANT
    if target.role != role:
        target.role = role
        changed = True
    if target.partstat != partstat:
        target.partstat = partstat
        target.answered_at = timezone.now()
        changed = True
    elif changed:
        target.answered_at = timezone.now()
    extra = {"comment": comment}
    if isinstance(target, Invitation):
        extra |= {"brings": brings, "looking_for": looking_for}
    for field, value in extra.items():
        if value is not None and getattr(target, field) != value.strip():
            setattr(target, field, value.strip())
            changed = True
    if changed:
        target.save()
    if changed and isinstance(target, SeriesInvitation):
        to_come = target.invitations.filter(meeting__start__gte=timezone.now())
        to_come.update(partstat=target.partstat, answered_at=target.answered_at)
        if target.role != previous_role:
            to_come.filter(role=previous_role).update(role=target.role)
    return changed


# The roles the organiser may give an invitee from the invitations page's budget column.
SWITCHABLE_ROLES = {InvitationRole.PARTICIPANT, InvitationRole.OPTIONAL, InvitationRole.MINUTES_ONLY}


@transaction.atomic
def change_role(*, invitation: Invitation, role: str, by: User) -> bool:
    """The organiser makes one invitee optional, minutes-only, or a participant again, for this
    meeting only (a series invitee keeps their role for the other sessions). Returns whether
    anything changed; the same twice changes nothing.

    Who is made optional is not told: they are still welcome and nothing they hold changes.
    Who is made minutes-only and had not declined is told by the meeting's update e-mail (their
    calendar then shows them as not taking part): they would otherwise come and not be on the
    roll call. Their answer stays theirs."""
    if role not in SWITCHABLE_ROLES:
        raise ValidationError(_("Ce rôle ne se donne pas d'ici."), code="role")
    if invitation.role not in SWITCHABLE_ROLES:
        raise ValidationError(
            _("Le rôle de %(name)s ne se change pas d'ici.") % {"name": invitation.display_name}, code="role"
        )
    if invitation.role == role:
        return False
    invitation.role = role
    invitation.full_clean()
    invitation.save(update_fields=["role"])
    meeting = invitation.meeting
    if (
        role == InvitationRole.MINUTES_ONLY
        and invitation.partstat != PartStat.DECLINED
        and meeting.status != MeetingStatus.DRAFT
    ):
        _queue_updates([invitation], about={"meeting": meeting.pk}, target_field="invitation")
    return True


def notify_meeting_changed(meeting: Meeting) -> int:
    """An attendee-visible change: one update per invitee, merged with edits of the next minutes."""
    if meeting.status == MeetingStatus.DRAFT:
        return 0
    invitations = meeting.invitations.exclude(role=InvitationRole.MINUTES_ONLY).select_related("user")
    return _queue_updates(invitations, about={"meeting": meeting.pk}, target_field="invitation")


def notify_meeting_published(meeting: Meeting) -> int:
    """A draft became scheduled: the invitations recorded meanwhile leave now."""
    invitations = list(meeting.invitations.select_related("user"))
    for invitation in invitations:
        _queue_for(
            invitation, kind=MessageKind.REQUEST, refs={"meeting": meeting.pk, "invitation": invitation.pk}
        )
    return len(invitations)


def notify_meeting_cancelled(meeting: Meeting) -> int:
    count = 0
    for invitation in meeting.invitations.select_related("user"):
        if _drop_unsent(invitation) or invitation.series_invitation_id:
            refs = {"meeting": meeting.pk, "invitation": invitation.pk}
            _queue_for(invitation, kind=MessageKind.CANCEL, refs=_with_offset(refs, invitation))
            count += 1
    return count


def notify_series_cancelled(*, series: Series, first_pk: int, cancelled: list[int]) -> int:
    """Tell each invitee once that the series is cancelled from the session FIRST_PK on (the
    sessions CANCELLED): one CANCEL per series invitee, and one per invitation to a single
    cancelled session for the people not invited to the series. Whoever had not been sent
    anything yet gets nothing (their queued invitation goes). Each message has a key, so a
    second run sends nothing twice."""
    # Reminders and updates of the sessions called off will not leave.
    outbox.supersede(OutboxMessage.objects.filter(refs__meeting__in=cancelled))
    told: set[str] = set()
    count = 0
    for target in series.invitations.select_related("user"):
        told.add(target.email.lower())
        if _drop_unsent(target):
            refs = {"series": series.pk, "series_invitation": target.pk, "from_meeting": first_pk}
            count += _queue_cancel_once(
                target, refs=_with_offset(refs, target), key=f"series-cancel:{series.pk}:{first_pk}"
            )
    singles = (
        Invitation.objects.filter(meeting_id__in=cancelled, series_invitation__isnull=True)
        .exclude(role=InvitationRole.MINUTES_ONLY)
        .select_related("user")
        .order_by("meeting__start", "pk")
    )
    for target in singles:
        if target.email.lower() in told or not _was_told(target):
            continue
        refs = _with_offset({"meeting": target.meeting_id, "invitation": target.pk}, target)
        count += _queue_cancel_once(target, refs=refs, key=f"meeting-cancel:{target.meeting_id}")
    return count


def _with_offset(refs: dict, target: Invitation | SeriesInvitation, above: int = 0) -> dict:
    """A CANCEL's references say its SEQUENCE offset (emails.sequence_offset), for a later
    invitation to go above it (_above_cancels): the invitee's own when the event's SEQUENCE went
    up with its cancellation, ABOVE it for someone removed from an event that goes on."""
    return {**refs, "sequence_offset": target.sequence_offset + above}


def _was_told(invitation: Invitation) -> bool:
    """Whether a message to INVITATION already left (its queued ones were superseded above)."""
    return (
        OutboxMessage.objects.filter(
            recipient_email=invitation.email, status__in=[OutboxStatus.SENT, OutboxStatus.SENDING]
        )
        .about(invitation=invitation.pk)
        .exists()
    )


def _queue_cancel_once(target, *, refs: dict, key: str) -> int:
    """A CANCEL to TARGET under KEY and their address (hashed: an address may be long)."""
    digest = hashlib.sha256(target.email.lower().encode()).hexdigest()[:32]
    return int(
        outbox.queue_once(
            dedupe_key=f"{key}:{digest}",
            kind=MessageKind.CANCEL,
            recipient_email=target.email,
            recipient_name=target.display_name,
            language=target.language,
            refs=refs,
        )
    )


def notify_series_changed(series: Series) -> int:
    invitations = series.invitations.select_related("user")
    return _queue_updates(invitations, about={"series": series.pk}, target_field="series_invitation")


def _queue_updates(targets, *, about: dict, target_field: str) -> int:
    """Queue an UPDATE for each target that has no message waiting already: a queued message is
    rendered when it leaves, so it will carry this change too."""
    pending = set(
        OutboxMessage.objects.about(**about)
        .filter(status=OutboxStatus.QUEUED, kind__in=[MessageKind.REQUEST, MessageKind.UPDATE])
        .values_list(f"refs__{target_field}", flat=True)
    )
    send_after = timezone.now() + update_delay()
    count = 0
    for target in targets:
        if target.pk not in pending:
            _queue_for(
                target,
                kind=MessageKind.UPDATE,
                refs={**about, target_field: target.pk},
                send_after=send_after,
            )
            count += 1
    return count

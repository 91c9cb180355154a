"""The core's section of a person's data (accounts.personal_data): group memberships and charter
acceptances, invitations and answers, meetings and series they organise, agenda points they
present; and its erasure step. Registered in MeetingsConfig.ready()."""

from datetime import datetime

from django.db.models import Q

from accounts.models import User
from accounts.services import addresses_of, erased_email, erased_name
from meetings.models import (
    AgendaItem,
    CharterAcceptance,
    GroupMembership,
    Invitation,
    Meeting,
    MembershipStatus,
    Series,
    SeriesInvitation,
    StandingGroup,
)
from meetings.models.invitations import new_nonce


def _theirs(user: User, *, erasing: bool = False) -> Q:
    """Invitations to their account, or as a guest to one of their addresses (addresses_of)."""
    return Q(user=user) | Q(email__in=addresses_of(user, erasing=erasing))


def _meeting(meeting: Meeting, confidential: bool) -> dict:
    # Invited, organising or presenting: the rules let them see the meeting and its title.
    data = {
        "id": meeting.pk,
        "kind": meeting.kind,
        "start": meeting.start,
        "end": meeting.end,
        "status": meeting.status,
    }
    if confidential:
        data["title"] = meeting.title
    return data


def _series(series: Series, confidential: bool) -> dict:
    data = {"id": series.pk, "kind": series.kind, "first_session": series.dtstart, "rule": series.rrule}
    if confidential:
        data["title"] = series.title
    return data


def _group(group) -> dict:
    return {"id": group.pk, "name": group.name, "kind": group.kind}


def export(user: User, *, confidential: bool) -> dict:
    memberships = GroupMembership.objects.filter(user=user).select_related("group").order_by("pk")
    acceptances = CharterAcceptance.objects.filter(user=user).select_related("group").order_by("pk")
    invitations = (
        Invitation.objects.filter(_theirs(user)).select_related("meeting").order_by("meeting__start")
    )
    series_invitations = SeriesInvitation.objects.filter(_theirs(user)).select_related("series")
    answer_texts = ("comment", "brings", "looking_for")
    return {
        "group_memberships": [
            {
                "group": _group(m.group),
                "role": m.role,
                "status": m.status,
                "requested_at": m.requested_at,
                "decided_at": m.decided_at,
                **({"message": m.message} if confidential else {}),
            }
            for m in memberships
        ],
        "rapporteur_of": [_group(g) for g in StandingGroup.objects.filter(rapporteur=user).order_by("pk")],
        "charter_acceptances": [
            {"group": _group(a.group), "version": a.version, "accepted_at": a.accepted_at}
            for a in acceptances
        ],
        "invitations": [
            {
                "meeting": _meeting(i.meeting, confidential),
                "email": i.email,
                "role": i.role,
                "answer": i.partstat,
                "answered_at": i.answered_at,
                "invited_at": i.created_at,
                **({field: getattr(i, field) for field in answer_texts} if confidential else {}),
            }
            for i in invitations
        ],
        "series_invitations": [
            {
                "series": _series(i.series, confidential),
                "email": i.email,
                "role": i.role,
                "answer": i.partstat,
                "answered_at": i.answered_at,
                "invited_at": i.created_at,
                **({"comment": i.comment} if confidential else {}),
            }
            for i in series_invitations.order_by("pk")
        ],
        "organised_meetings": [
            _meeting(m, confidential) for m in Meeting.objects.filter(organiser=user).order_by("start")
        ],
        "organised_series": [
            _series(s, confidential) for s in Series.objects.filter(organiser=user).order_by("dtstart")
        ],
        "agenda_items_presented": [
            {"meeting": item.meeting_id, **({"title": item.title} if confidential else {})}
            for item in AgendaItem.objects.filter(presenter=user).order_by("meeting__start", "position")
        ],
    }


def erase(user: User, *, now: datetime) -> None:
    """They will not come again: invitations to what has not started (and without a roll call
    yet) go, and so do series invitations, whose past sessions keep their own rows. What is
    kept — answers and attendance of meetings that took place — loses the copy of their address,
    their name and their comments, and its answer links are revoked. Group memberships end, and
    with them the role of rapporteur."""
    theirs = _theirs(user, erasing=True)
    for series_invitation in SeriesInvitation.objects.filter(theirs):
        series_invitation.invitations.filter(Q(meeting__start__lt=now) | Q(attendances__isnull=False)).update(
            series_invitation=None
        )
        series_invitation.delete()
    Invitation.objects.filter(theirs, meeting__start__gte=now, attendances__isnull=True).delete()

    tombstone = erased_email(user)
    taken: set[int] = set()
    for invitation in Invitation.objects.filter(theirs).order_by("pk"):
        # One address per meeting: a second invitation of theirs to the same one gets its own.
        email = (
            tombstone
            if invitation.meeting_id not in taken
            else f"erased-{user.pk}.{invitation.pk}@erased.invalid"
        )
        taken.add(invitation.meeting_id)
        if invitation.email == email:
            continue
        Invitation.objects.filter(pk=invitation.pk).update(
            email=email,
            name="" if invitation.user_id else erased_name(user),
            comment="",
            brings="",
            looking_for="",
            nonce=new_nonce(),
        )

    GroupMembership.objects.filter(
        user=user, status__in=[MembershipStatus.ACTIVE, MembershipStatus.REQUESTED]
    ).update(status=MembershipStatus.LEFT, decided_at=now)
    StandingGroup.objects.filter(rapporteur=user).update(rapporteur=None)
    GroupMembership.objects.filter(user=user).exclude(message="").update(message="")

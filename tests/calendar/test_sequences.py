"""Each invitee's SEQUENCE: a CANCEL to someone removed is above what they had, their invitation
when invited again above that CANCEL, and nobody else's invitation goes out of date for it; a
calendar answer is refused only when it is older than what its sender was last e-mailed.

E-mails are delivered as in production (the outbox renders each row when it leaves) and their
calendars parsed with icalendar."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar

from meetings import emails
from meetings.calendar.services.replies import ReplyError, apply_reply
from meetings.calendar.services.subscriptions import subscription_create
from meetings.models import Invitation, MessageKind, PartStat, SeriesInvitation
from meetings.services import invitations as inv
from meetings.services.meetings import meeting_cancel, meeting_update
from outbox.models import OutboxMessage, OutboxStatus
from tests.mail import calendar_part

pytestmark = pytest.mark.django_db(transaction=True)

INES, PAUL = "ines@example.be", "paul@example.be"


def _sequence(email, uid: str) -> int:
    """The SEQUENCE of the event UID (the master, for a series) in EMAIL's calendar."""
    _method, cal = calendar_part(email)
    return int(
        next(e for e in cal.walk("VEVENT") if str(e["UID"]) == uid and "RECURRENCE-ID" not in e)["SEQUENCE"]
    )


def _sent_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def _reply(uid: str, sequence: int, address: str, partstat: str = "ACCEPTED", recurrence_id=None) -> bytes:
    recurrence = f"RECURRENCE-ID:{recurrence_id:%Y%m%dT%H%M%SZ}\n" if recurrence_id else ""
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\n"
        f"METHOD:REPLY\nBEGIN:VEVENT\nUID:{uid}\n{recurrence}DTSTAMP:20260101T000000Z\n"
        f"SEQUENCE:{sequence}\nATTENDEE;PARTSTAT={partstat}:mailto:{address}\nEND:VEVENT\nEND:VCALENDAR\n"
    ).encode()


@pytest.fixture
def no_update_delay(settings):
    settings.OUTBOX_UPDATE_DELAY_SECONDS = 0


def test_a_cancel_to_someone_removed_is_above_every_request_they_got(world, no_update_delay):
    meeting = world.thematic
    [invitation] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    meeting_update(meeting=meeting, changes={"place": "Maison de quartier"})
    sent = [_sequence(m, meeting.uid) for m in mail.outbox]
    assert sent == [0, 1]  # the invitation, then its update
    mail.outbox.clear()

    inv.uninvite(invitation=invitation)

    (cancel,) = mail.outbox
    assert calendar_part(cancel)[0] == "CANCEL"
    assert _sequence(cancel, meeting.uid) == max(sent) + 1
    # Invited again: their new invitation is above the CANCEL; the meeting's own SEQUENCE, which
    # the others' invitations and the feeds carry, stays.
    mail.outbox.clear()
    [again] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    (request,) = mail.outbox
    assert _sequence(request, meeting.uid) > _sequence(cancel, meeting.uid)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    again.refresh_from_db()
    assert again.sent_sequence == _sequence(request, meeting.uid)


def test_a_cancel_to_someone_removed_from_a_series_is_above_its_request(world):
    series = world.session.series
    [target] = inv.invite_to_series(series=series, invitees=[inv.guest(INES)])
    (request,) = mail.outbox
    requested = _sequence(request, series.uid)
    mail.outbox.clear()

    inv.uninvite(series_invitation=target)

    (cancel,) = mail.outbox
    method, cal = calendar_part(cancel)
    (event,) = cal.walk("VEVENT")
    assert method == "CANCEL"
    assert str(event["UID"]) == series.uid
    assert int(event["SEQUENCE"]) == requested + 1
    assert not str(event["SUMMARY"]).startswith("Annulé")  # the series goes on, without them
    # The others' invitations stay current: the series' own SEQUENCE did not move.
    series.refresh_from_db()
    assert series.sequence == requested


def test_inviting_someone_removed_again_leaves_the_others_answers_current(world):
    """The scenario that lost answers: Inês removed from the series and invited again; Paul, who
    never left, answers from the invitation he has."""
    series = world.session.series
    inv.invite_to_series(series=series, invitees=[inv.guest(INES), inv.guest(PAUL)])
    paul_holds = _sequence(_sent_to(PAUL)[0], series.uid)
    inv.uninvite(series_invitation=SeriesInvitation.objects.get(series=series, email=INES))
    inv.invite_to_series(series=series, invitees=[inv.guest(INES)])
    first, cancel, request = (_sequence(m, series.uid) for m in _sent_to(INES))
    assert first < cancel < request

    apply_reply(_reply(series.uid, paul_holds, PAUL))
    apply_reply(_reply(series.uid, request, INES, partstat="TENTATIVE"))

    answers = dict(SeriesInvitation.objects.filter(series=series).values_list("email", "partstat"))
    assert answers == {PAUL: PartStat.ACCEPTED, INES: PartStat.TENTATIVE}
    series.refresh_from_db()
    assert series.sequence == paul_holds
    # Inês's answer to the invitation she had before she was removed is out of date.
    with pytest.raises(ReplyError, match=f"SEQUENCE {first}, older than the {request} last sent to {INES}"):
        apply_reply(_reply(series.uid, first, INES, partstat="DECLINED"))


def test_the_sessions_e_mails_and_updates_of_someone_invited_again_stay_above_what_they_have(
    world, no_update_delay
):
    series = world.session.series
    inv.invite_to_series(series=series, invitees=[inv.guest(INES), inv.guest(PAUL)])
    inv.uninvite(series_invitation=SeriesInvitation.objects.get(series=series, email=INES))
    inv.invite_to_series(series=series, invitees=[inv.guest(INES)])
    request = _sequence(_sent_to(INES)[-1], series.uid)
    session = series.occurrences.order_by("start")[2]
    mail.outbox.clear()

    meeting_cancel(meeting=session)

    cancels = {m.to[0]: m for m in mail.outbox}
    (ines_event,) = calendar_part(cancels[INES])[1].walk("VEVENT")
    (paul_event,) = calendar_part(cancels[PAUL])[1].walk("VEVENT")
    session.refresh_from_db()
    assert int(paul_event["SEQUENCE"]) == session.sequence
    assert int(ines_event["SEQUENCE"]) > request  # above her series invitation
    assert ines_event["RECURRENCE-ID"].dt == paul_event["RECURRENCE-ID"].dt == session.recurrence_id


def test_someone_removed_from_a_series_and_invited_to_one_session_is_above_their_cancel(world):
    """The series and its sessions are one UID in their calendar: the session's invitation must
    be above the CANCEL of the series they had."""
    series = world.session.series
    [target] = inv.invite_to_series(series=series, invitees=[inv.guest(INES)])
    inv.uninvite(series_invitation=target)
    session = series.occurrences.order_by("start")[3]

    inv.invite_to_meeting(meeting=session, invitees=[inv.guest(INES)])

    _request, cancel, invitation = _sent_to(INES)
    (event,) = calendar_part(invitation)[1].walk("VEVENT")
    assert event["RECURRENCE-ID"].dt == session.recurrence_id
    assert int(event["SEQUENCE"]) > _sequence(cancel, series.uid)
    session.refresh_from_db()
    assert session.sequence == series.sequence == 0


def test_an_update_after_a_re_invitation_is_above_the_invitation(world, no_update_delay):
    meeting = world.thematic
    [ines] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(PAUL)])
    inv.uninvite(invitation=ines)
    inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    request = _sequence(_sent_to(INES)[-1], meeting.uid)
    mail.outbox.clear()

    meeting_update(meeting=meeting, changes={"place": "Maison de quartier"})

    updates = {m.to[0]: _sequence(m, meeting.uid) for m in mail.outbox}
    assert updates == {INES: request + 1, PAUL: 1}


def test_a_resend_and_a_second_rendering_carry_the_same_sequence(world):
    meeting = world.thematic
    [ines] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    inv.uninvite(invitation=ines)
    [again] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    *_, cancel, request = _sent_to(INES)

    inv.resend(invitation=again)

    resent = _sent_to(INES)[-1]
    assert _sequence(resent, meeting.uid) == _sequence(request, meeting.uid) > _sequence(cancel, meeting.uid)
    # A row rendered again (a retry after a failed delivery) says what it said the first time.
    for kind in (MessageKind.CANCEL, MessageKind.REQUEST):
        row = OutboxMessage.objects.filter(kind=kind, recipient_email=INES).latest("pk")
        first = next(m for m in (cancel, request, resent) if m.extra_headers["Message-ID"] == row.message_id)
        assert _sequence(emails.render(row), meeting.uid) == _sequence(first, meeting.uid)
    again.refresh_from_db()
    assert again.sent_sequence == _sequence(request, meeting.uid)


def test_a_reply_older_than_what_its_sender_was_last_sent_changes_nothing(world, no_update_delay):
    meeting = world.thematic
    [invitation] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    meeting_update(meeting=meeting, changes={"place": "Maison de quartier"})
    invited, updated = (_sequence(m, meeting.uid) for m in mail.outbox)

    with pytest.raises(ReplyError, match=f"SEQUENCE {invited}, older than the {updated} last sent to {INES}"):
        apply_reply(_reply(meeting.uid, invited, INES, partstat="TENTATIVE"))

    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.NEEDS_ACTION
    apply_reply(_reply(meeting.uid, updated, INES, partstat="TENTATIVE"))
    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.TENTATIVE


def test_an_invitation_from_before_the_record_is_judged_against_the_meeting(world):
    """Rows invited before the SEQUENCE sent was recorded fall back on the meeting's own."""
    meeting = world.thematic
    [invitation] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.guest(INES)])
    Invitation.objects.filter(pk=invitation.pk).update(sent_sequence=None)
    type(meeting).objects.filter(pk=meeting.pk).update(sequence=3)

    with pytest.raises(ReplyError, match=f"older than the 3 last sent to {INES}"):
        apply_reply(_reply(meeting.uid, 2, INES))
    apply_reply(_reply(meeting.uid, 3, INES))

    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.ACCEPTED


def test_the_feed_of_someone_invited_again_keeps_the_meetings_sequence(client, world):
    """Their e-mailed calendar is above the meeting's SEQUENCE, their feed shows the meeting's:
    a subscribed feed is a calendar of its own, replaced as a whole (meetings/ical.py)."""
    member = world.users["member"]
    meeting = world.thematic
    [invitation] = inv.invite_to_meeting(meeting=meeting, invitees=[inv.invitee_for(member)])
    inv.uninvite(invitation=invitation)
    inv.invite_to_meeting(meeting=meeting, invitees=[inv.invitee_for(member)])
    _subscription, token = subscription_create(user=member, label="Agenda")

    feed = Calendar.from_ical(client.get(reverse("calendar:feed", args=[token])).content)

    (event,) = [e for e in feed.walk("VEVENT") if str(e["UID"]) == meeting.uid]
    meeting.refresh_from_db()
    assert int(event["SEQUENCE"]) == meeting.sequence == 0
    assert _sequence(_sent_to(member.email)[-1], meeting.uid) == 2


@pytest.mark.django_db(transaction=True)
def test_a_series_cancel_still_waiting_leaves_when_the_person_is_invited_to_one_session(world):
    """Removed from the series, then invited to one session before the CANCEL left: the CANCEL
    still says the rest is off, and the session's invitation goes above it."""
    series = world.session.series
    [target] = inv.invite_to_series(series=series, invitees=[inv.guest(INES)])
    session = series.occurrences.order_by("start")[3]
    with transaction.atomic():
        inv.uninvite(series_invitation=target)
        inv.invite_to_meeting(meeting=session, invitees=[inv.guest(INES)])

    sent = {}
    for email in mail.outbox:
        method, cal = calendar_part(email)
        sent[method] = max(int(event["SEQUENCE"]) for event in cal.walk("VEVENT"))
    cancel = OutboxMessage.objects.get(kind=MessageKind.CANCEL, recipient_email=INES)
    assert cancel.status == OutboxStatus.SENT
    assert set(sent) == {"REQUEST", "CANCEL"}
    assert sent["REQUEST"] > sent["CANCEL"]

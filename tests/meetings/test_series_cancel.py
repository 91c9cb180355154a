"""Cancelling a whole series, or one session and the following ones: sessions held are kept,
every invitee is told once, the rule ends and calendars (e-mails and feeds) follow."""

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from meetings.calendar.services.replies import apply_reply
from meetings.calendar.services.subscriptions import subscription_create
from meetings.models import MeetingStatus, MessageKind, PartStat, Series
from meetings.services import invitations as inv
from meetings.services.meetings import mark_held
from meetings.services.series import series_cancel, series_materialise
from meetings.vignettes.models import Vignette
from outbox import services as outbox
from outbox.models import OutboxStatus
from tests.calendar.test_feeds_icaljs import icaljs
from tests.mail import calendar_part, text_body

pytestmark = pytest.mark.django_db(transaction=True)


def _sessions(series):
    return list(series.occurrences.order_by("recurrence_id"))


def _invite_everyone(world):
    """The member and a guest invited to the series; another guest to the fourth session alone."""
    series = world.session.series
    inv.invite_to_series(
        series=series, invitees=[inv.invitee_for(world.users["member"]), inv.guest("ines@example.be", "Inês")]
    )
    inv.invite_to_meeting(meeting=_sessions(series)[3], invitees=[inv.guest("paul@example.be", "Paul")])
    mail.outbox.clear()
    return series


def test_cancelling_a_session_and_the_following_ones(world):
    series = _invite_everyone(world)
    sessions = _sessions(series)
    mark_held(sessions[0])
    reminder = outbox.queue(
        kind=MessageKind.REMINDER,
        recipient_email="ines@example.be",
        refs={"meeting": sessions[3].pk},
        send_after=sessions[3].start - timedelta(days=2),
    )

    count = series_cancel(series=series, occurrence=sessions[2])

    states = [m.status for m in _sessions(series)]
    assert states[:2] == [MeetingStatus.HELD, MeetingStatus.SCHEDULED]
    assert set(states[2:]) == {MeetingStatus.CANCELLED}
    assert count == len(sessions) - 2
    reminder.refresh_from_db()
    assert reminder.status == OutboxStatus.SUPERSEDED
    series.refresh_from_db()
    assert "UNTIL=" in series.rrule
    assert (
        series_materialise(series=series, until=sessions[-1].start.replace(year=sessions[-1].start.year + 2))
        == []
    )
    # Each invitee is told once: the series' invitees by one e-mail, the guest of one session by its own.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["member"].email, "ines@example.be", "paul@example.be"]
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    series_email = by_address["ines@example.be"]
    assert series_email.subject.startswith("Annulé")
    assert "annulée à partir de la séance du" in text_body(series_email)
    # Earlier sessions stay in calendars: the series as it now is, its rule ending before the cut.
    method, cal = calendar_part(series_email)
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    assert method == "REQUEST"
    assert master["RRULE"]["UNTIL"][0] < sessions[2].recurrence_id
    assert int(master["SEQUENCE"]) == series.sequence
    method, cal = calendar_part(by_address["paul@example.be"])
    (event,) = cal.walk("VEVENT")
    assert method == "CANCEL"
    assert event["RECURRENCE-ID"].dt == sessions[3].recurrence_id
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_guest_of_an_earlier_session_still_answers_from_their_invitation(world):
    """Cutting the series short raises the SEQUENCE of the sessions kept (they follow their
    series'), though nothing is sent to the guest of one of them: their answer still counts."""
    series = world.session.series
    sessions = _sessions(series)
    [guest] = inv.invite_to_meeting(meeting=sessions[1], invitees=[inv.guest("paul@example.be", "Paul")])
    (invitation,) = mail.outbox
    (event,) = calendar_part(invitation)[1].walk("VEVENT")
    mail.outbox.clear()

    series_cancel(series=series, occurrence=sessions[2])

    assert mail.outbox == []  # their session takes place: nothing to tell them
    sessions[1].refresh_from_db()
    assert sessions[1].sequence > int(event["SEQUENCE"])
    reply = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\nMETHOD:REPLY\nBEGIN:VEVENT\n"
        f"UID:{event['UID']}\nRECURRENCE-ID:{event['RECURRENCE-ID'].dt.astimezone(UTC):%Y%m%dT%H%M%SZ}\n"
        f"DTSTAMP:20260101T000000Z\nSEQUENCE:{int(event['SEQUENCE'])}\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:paul@example.be\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    apply_reply(reply.encode())
    guest.refresh_from_db()
    assert guest.partstat == PartStat.ACCEPTED


def test_cancelling_again_sends_nothing_twice(world):
    series = _invite_everyone(world)
    sessions = _sessions(series)
    series_cancel(series=series, occurrence=sessions[1])
    sent = len(mail.outbox)

    with pytest.raises(ValidationError):
        series_cancel(series=series, occurrence=sessions[2])
    assert (
        inv.notify_series_cancelled(
            series=series, first_pk=sessions[1].pk, cancelled=[m.pk for m in sessions[1:]]
        )
        == 0
    )
    assert len(mail.outbox) == sent


def test_cancelling_the_whole_series_from_the_page(client, world):
    series = _invite_everyone(world)
    client.force_login(world.users["facilitator"])
    page = client.get(reverse("meetings:meeting", args=[world.session.pk])).content.decode()
    assert "Annuler toute la série" in page
    assert "Annuler cette séance et les suivantes" in page
    assert page.count("data-confirm=") >= 3
    assert client.get(reverse("meetings:series_cancel", args=[world.session.pk])).status_code == 405

    response = client.post(reverse("meetings:series_cancel", args=[world.session.pk]))

    assert response.status_code == 302
    assert {m.status for m in _sessions(series)} == {MeetingStatus.CANCELLED}
    # Nothing of it is left to come: the calendars cancel the series.
    assert len(mail.outbox) == 3
    email = next(m for m in mail.outbox if m.to == ["ines@example.be"])
    assert "Cette série est annulée : aucune de ses séances n'aura lieu." in text_body(email)
    method, cal = calendar_part(email)
    (master,) = cal.walk("VEVENT")
    assert method == "CANCEL"
    assert str(master["UID"]) == series.uid
    assert str(master["STATUS"]) == "CANCELLED"
    assert str(master["SUMMARY"]).startswith("Annulé : ")


def test_a_series_is_not_cut_before_a_session_that_took_place(world):
    series = world.session.series
    sessions = _sessions(series)
    mark_held(sessions[1])

    with pytest.raises(ValidationError, match="Une séance suivante a déjà eu lieu"):
        series_cancel(series=series, occurrence=sessions[0])

    assert [m.status for m in _sessions(series)][:2] == [MeetingStatus.SCHEDULED, MeetingStatus.HELD]
    assert "UNTIL=" not in Series.objects.get(pk=series.pk).rrule


def test_a_series_is_not_cut_before_a_session_prepared_with_a_vignette(world):
    """A later session with a draft vignette is kept: cutting the rule before it would leave it
    outside the series while the e-mail says the following sessions are off."""
    series = world.session.series
    sessions = _sessions(series)
    Vignette.objects.create(meeting=sessions[2], author=world.users["facilitator"], title="Cas", text="…")

    with pytest.raises(ValidationError, match="a déjà un appel, des actions ou des vignettes"):
        series_cancel(series=series, occurrence=sessions[1])

    assert {m.status for m in _sessions(series)} == {MeetingStatus.SCHEDULED}
    assert "UNTIL=" not in Series.objects.get(pk=series.pk).rrule
    assert not mail.outbox


def test_held_sessions_are_never_cancelled(world):
    series = world.session.series
    sessions = _sessions(series)
    mark_held(sessions[0])

    with pytest.raises(ValidationError):
        series_cancel(series=series, occurrence=sessions[0])
    series_cancel(series=series)

    assert _sessions(series)[0].status == MeetingStatus.HELD
    assert {m.status for m in _sessions(series)[1:]} == {MeetingStatus.CANCELLED}


def test_the_feed_ends_the_series_at_the_cancelled_session(client, world):
    series = world.session.series
    sessions = _sessions(series)
    _subscription, token = subscription_create(user=world.users["member"], label="Agenda")
    before = client.get(reverse("calendar:feed", args=[token]))["ETag"]

    series_cancel(series=series, occurrence=sessions[2])

    response = client.get(reverse("calendar:feed", args=[token]))
    assert response["ETag"] != before  # subscribed clients take the new version
    body = response.content

    series = Series.objects.get(pk=series.pk)
    master = next(e for e in Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]) == series.uid)
    assert master["RRULE"]["UNTIL"][0] < sessions[2].recurrence_id
    window = (sessions[0].start, sessions[-1].end)
    shown = {o["start"] for o in icaljs(body, window)["occurrences"] if o["uid"] == series.uid}
    assert len(shown) == 2


def test_a_series_cancelled_from_its_first_session_leaves_the_feed(client, world):
    series = world.session.series
    series_cancel(series=series)
    _subscription, token = subscription_create(user=world.users["member"], label="Agenda")

    body = client.get(reverse("calendar:feed", args=[token])).content

    assert series.uid not in {str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")}
    assert series.uid not in {e["uid"] for e in icaljs(body)["events"]}
    assert world.concertation.uid in {e["uid"] for e in icaljs(body)["events"]}

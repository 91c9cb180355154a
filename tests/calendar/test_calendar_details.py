"""What calendars get right besides the dates (issue 14): the video link as CONFERENCE, CLASS for
confidential kinds, cancelled meetings titled as such, the invite.ics attachment, the ORGANIZER,
and replies keeping their COMMENT (each invitee's SEQUENCE: tests/calendar/test_sequences.py).

Invitations are parsed with icalendar, feeds with icalendar and ical.js."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from meetings import ical
from meetings.calendar.services.replies import apply_reply
from meetings.calendar.services.subscriptions import subscription_create
from meetings.models import Meeting, PartStat
from meetings.recurrence import first_occurrence, local_start
from meetings.services import invitations as inv
from meetings.services.series import series_create
from tests.calendar.test_feeds_icaljs import icaljs
from tests.feeds_world import public_feed_path
from tests.mail import calendar_part, parsed

LINK = "https://visio.example.be/reseau-logement"


def _attachment(email):
    """(filename, content type, parsed Calendar) of the e-mail's attached calendar file."""
    for part in parsed(email).walk():
        if part.get_filename():
            return (
                part.get_filename(),
                part.get_content_type(),
                Calendar.from_ical(part.get_payload(decode=True)),
            )
    return None


def _event(cal, uid):
    return next(e for e in cal.walk("VEVENT") if str(e["UID"]) == uid and "RECURRENCE-ID" not in e)


def _feed(client, user):
    _subscription, token = subscription_create(user=user, label="Agenda")
    return client.get(reverse("calendar:feed", args=[token])).content


@pytest.mark.django_db(transaction=True)
def test_invitation_carries_place_and_video_link_the_attachment_and_the_organizer(world):
    Meeting.objects.filter(pk=world.thematic.pk).update(online_link=LINK)

    inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("ines@example.be", "Inês")])

    (email,) = mail.outbox
    method, cal = calendar_part(email)
    event = _event(cal, world.thematic.uid)
    assert str(event["LOCATION"]) == "CPAS"
    conference = event["CONFERENCE"]
    assert str(conference) == LINK
    assert conference.params["VALUE"] == "URI"
    assert conference.params["FEATURE"] == "VIDEO"
    assert conference.params["LABEL"] == "Rejoindre la visioconférence"
    assert f"Visioconférence : {LINK}" in str(event["DESCRIPTION"])
    assert "CLASS" not in event  # an open meeting is public
    # The same calendar as a file, for webmails and forwarding.
    name, content_type, attached = _attachment(email)
    assert (name, content_type) == ("invite.ics", "application/ics")
    assert str(attached["METHOD"]) == method == "REQUEST"
    assert str(_event(attached, world.thematic.uid)["CONFERENCE"]) == LINK
    # Replies go to the mailbox the application reads, under the organiser's name.
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:reponses@concertation.test"
    assert organizer.params["CN"] == f"{world.users['coordinator'].get_full_name()} via Concertation"
    assert email.extra_headers["Reply-To"] == "reponses@concertation.test"


@pytest.mark.django_db(transaction=True)
def test_confidential_kinds_are_class_confidential_in_invitations(world):
    inv.invite_to_meeting(meeting=world.concertation, invitees=[inv.guest("ines@example.be")])
    inv.invite_to_series(series=world.session.series, invitees=[inv.guest("paul@example.be")])

    calendars = {email.to[0]: calendar_part(email)[1] for email in mail.outbox}
    assert str(_event(calendars["ines@example.be"], world.concertation.uid)["CLASS"]) == "CONFIDENTIAL"
    assert str(_event(calendars["paul@example.be"], world.session.series.uid)["CLASS"]) == "CONFIDENTIAL"


def test_a_hidden_place_hides_the_video_link_too(world):
    Meeting.objects.filter(pk=world.thematic.pk).update(online_link=LINK)
    meeting = Meeting.objects.get(pk=world.thematic.pk)

    hidden = ical.event_for_meeting(meeting, show_location=False)
    public = ical.event_for_meeting(meeting, public=True)

    for event in (hidden, public):
        assert "CONFERENCE" not in event
        assert LINK not in event.to_ical().decode()


def test_feeds_carry_the_video_link_class_and_cancelled_titles(client, feed_world):
    world = feed_world.world
    Meeting.objects.filter(pk=feed_world.concertation.pk).update(online_link=LINK)

    body = _feed(client, feed_world.member)

    cal = Calendar.from_ical(body)
    concertation = _event(cal, feed_world.concertation.uid)
    assert str(concertation["LOCATION"]) == feed_world.concertation.place
    assert str(concertation["CONFERENCE"]) == LINK
    assert LINK in str(concertation["DESCRIPTION"])
    assert str(concertation["CLASS"]) == "CONFIDENTIAL"
    assert str(concertation["SUMMARY"]) == "Concertation clinique"
    cancelled = _event(cal, feed_world.cancelled_single.uid)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]) == f"Annulé : {feed_world.cancelled_single.title}"
    # ical.js (Thunderbird) reads the same.
    events = {e["uid"]: e for e in icaljs(body)["events"] if not e["recurrenceId"]}
    assert events[feed_world.concertation.uid]["conferences"] == [
        {"uri": LINK, "feature": "VIDEO", "label": "Rejoindre la visioconférence"}
    ]
    assert events[feed_world.concertation.uid]["location"] == feed_world.concertation.place
    assert events[feed_world.concertation.uid]["class"] == "CONFIDENTIAL"
    assert (
        events[feed_world.cancelled_single.uid]["summary"] == f"Annulé : {feed_world.cancelled_single.title}"
    )
    assert events[feed_world.cancelled_single.uid]["status"] == "CANCELLED"
    # The public feed of the network shows the place, never the link.
    Meeting.objects.filter(pk=world.thematic.pk).update(online_link=LINK)
    public = client.get(public_feed_path(world.network, by=world.users["coordinator"])).content
    assert LINK.encode() not in public
    assert b"CONFERENCE" not in public


def test_a_cancelled_meeting_is_titled_in_the_subscribers_language(client, feed_world):
    member = feed_world.member
    member.language = "nl"
    member.save(update_fields=["language"])

    body = _feed(client, member)

    with translation.override("nl"):
        expected = ical.cancelled_summary(ical.public_summary(feed_world.cancelled_single))
    assert str(_event(Calendar.from_ical(body), feed_world.cancelled_single.uid)["SUMMARY"]) == expected
    assert expected.endswith(feed_world.cancelled_single.title)


REPLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
METHOD:REPLY
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20260101T000000Z
SEQUENCE:{sequence}
ATTENDEE;PARTSTAT=TENTATIVE;CN=Ines:mailto:ines@example.be
COMMENT:Je serai peut-être en retard\\, garde à l'hôpital
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.django_db
def test_a_reply_keeps_the_attendees_comment(world):
    [invitation] = inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("ines@example.be")])

    apply_reply(REPLY.format(uid=world.thematic.uid, sequence=0).encode())

    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.TENTATIVE
    assert invitation.comment == "Je serai peut-être en retard, garde à l'hôpital"


@pytest.mark.django_db
def test_a_long_comment_is_kept_within_the_answer_forms_bound(world):
    [invitation] = inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("ines@example.be")])
    text = REPLY.format(uid=world.thematic.uid, sequence=0).replace("garde à l'hôpital", "x" * 5000)

    apply_reply(text.encode())

    invitation.refresh_from_db()
    assert len(invitation.comment) == 2000


@pytest.mark.django_db
def test_two_series_of_one_group_share_a_summary_and_are_told_apart_by_their_rule(world):
    """A Balint group's events all read "Balint — <group>" (privacy rule 1): the DESCRIPTION's
    first line, the rule in words, tells a second series of the group from the first."""
    first = world.session.series
    rule = "FREQ=MONTHLY;BYDAY=+3TH"
    second = series_create(
        network=world.network,
        kind=first.kind,
        group=world.group,
        title="Balint des Marolles — le jeudi",
        dtstart=first_occurrence(rule, local_start(first.dtstart.date(), time(12, 30))),
        duration=timedelta(minutes=90),
        rrule=rule,
        organiser=world.users["facilitator"],
        place="Rue Haute 100, 1000 Bruxelles",
    )

    events = [
        ical.events_for_series(series, list(series.occurrences.order_by("start")))[0]
        for series in (first, second)
    ]

    assert str(events[0]["SUMMARY"]) == str(events[1]["SUMMARY"]) == ical.public_summary(first)
    rules = [str(event["DESCRIPTION"]).split("\n")[0] for event in events]
    assert rules == ["Le 1er mardi de chaque mois, à 20:00", "Le 3e jeudi de chaque mois, à 12:30"]

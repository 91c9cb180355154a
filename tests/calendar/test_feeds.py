"""Calendar feeds: what they hold, parsed and expanded as calendar applications do."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import recurring_ical_events
from django.urls import reverse
from icalendar import Calendar

from meetings import emails, ical, rules
from meetings.calendar import feeds
from meetings.calendar.feeds.queries import _plain, _with_length
from meetings.calendar.services.subscriptions import subscription_create
from meetings.models import TAKING_PLACE, Meeting, MeetingStatus, MessageKind
from meetings.recurrence import BRUSSELS, local_start
from meetings.services import invitations as inv
from meetings.services.meetings import meeting_cancel, meeting_create, meeting_update
from meetings.services.series import series_create, series_split
from outbox.models import OutboxMessage
from tests.feeds_world import (
    BALINT_AGENDA,
    INTERVISION_NAME,
    NOW,
    SECRET_PURPOSE,
    SECRET_TITLE,
    SECRETS,
    THEMATIC,
    THEMATIC_PURPOSE,
    THEMATIC_SERIES_TITLE,
    WINDOW,
    expected_personal_occurrences,
    feed_path,
    public_feed_path,
)
from tests.mail import calendar_part
from tests.world import CONCERTATION_TITLE, GROUP_NAME, THEMATIC_TITLE


def personal_feed(client, user) -> bytes:
    _subscription, token = subscription_create(user=user, label="Téléphone")
    response = client.get(feed_path(token))
    assert response.status_code == 200
    return response.content


def group_feed(client, user, group) -> bytes:
    _subscription, token = subscription_create(user=user, label="Téléphone", group=group)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    return response.content


def network_feed(client, user, network) -> bytes:
    """The feed of NETWORK's open meetings to which its member USER subscribed."""
    _subscription, token = subscription_create(user=user, label="Téléphone", network=network)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    return response.content


def public_feed(client, world) -> bytes:
    """The public feed of WORLD's network, published by its coordinator."""
    response = client.get(public_feed_path(world.network, by=world.users["coordinator"]))
    assert response.status_code == 200
    return response.content


def occurrences(body: bytes, start=WINDOW[0], end=WINDOW[1]) -> set[tuple[str, object]]:
    """(UID, start in UTC) of every occurrence between START and END, as a client expands them."""
    events = recurring_ical_events.of(Calendar.from_ical(body)).between(start, end)
    return {(str(e["UID"]), e["DTSTART"].dt.astimezone(UTC)) for e in events}


def vevents(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def by_uid(body: bytes, uid: str) -> list:
    return [e for e in vevents(body) if str(e["UID"]) == uid]


def master(body: bytes, series) -> object:
    (event,) = [e for e in by_uid(body, series.uid) if "RECURRENCE-ID" not in e]
    return event


# Occurrences: exactly those of the database


def test_personal_feed_expands_to_the_meetings_of_the_database(client, feed_world):
    body = personal_feed(client, feed_world.member)

    assert occurrences(body) == expected_personal_occurrences(feed_world, *WINDOW)


def test_expansion_keeps_wall_clock_time_across_both_changes_of_time(client, feed_world):
    body = personal_feed(client, feed_world.member)

    starts = sorted(start for uid, start in occurrences(body) if uid == feed_world.intervision_series.uid)
    local = {s.astimezone(BRUSSELS).strftime("%H:%M") for s in starts}
    offsets = {s.astimezone(BRUSSELS).utcoffset() for s in starts}
    assert local == {"12:30"}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}


def test_moved_occurrence_is_an_override_with_its_recurrence_id(client, feed_world):
    moved = feed_world.moved

    body = personal_feed(client, feed_world.member)

    (override,) = [
        e for e in by_uid(body, moved.uid) if e.get("RECURRENCE-ID") and e["DTSTART"].dt == moved.start
    ]
    assert override["RECURRENCE-ID"].dt == moved.recurrence_id
    assert override["DTSTART"].dt.astimezone(BRUSSELS).utcoffset() == timedelta(hours=2)
    assert int(override["SEQUENCE"]) == moved.sequence == 1
    assert (moved.uid, moved.recurrence_id.astimezone(UTC)) not in occurrences(body)
    assert (moved.uid, moved.start.astimezone(UTC)) in occurrences(body)


def test_cancelled_and_declined_occurrences_are_exdates(client, feed_world):
    body = personal_feed(client, feed_world.member)

    intervision_exdates = [
        d.dt for x in _list(master(body, feed_world.intervision_series)["EXDATE"]) for d in x.dts
    ]
    thematic_exdates = [
        d.dt for x in _list(master(body, feed_world.thematic_series)["EXDATE"]) for d in x.dts
    ]
    assert intervision_exdates == [feed_world.cancelled_occurrence.recurrence_id]
    assert thematic_exdates == [feed_world.declined_occurrence.recurrence_id]


def _list(value):
    return value if isinstance(value, list) else [value]


def test_changed_place_is_an_override(client, feed_world):
    relocated = feed_world.relocated

    body = personal_feed(client, feed_world.member)

    (override,) = [
        e
        for e in by_uid(body, relocated.uid)
        if e.get("RECURRENCE-ID") and e["DTSTART"].dt == relocated.start
    ]
    assert str(override["LOCATION"]) == "CPAS, salle 2"


def test_cancelled_single_meeting_stays_as_cancelled(client, feed_world):
    body = personal_feed(client, feed_world.member)

    (event,) = by_uid(body, feed_world.cancelled_single.uid)
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == feed_world.cancelled_single.sequence == 1


def test_declined_draft_and_old_meetings_are_left_out(client, feed_world):
    body = personal_feed(client, feed_world.member)

    uids = {str(e["UID"]) for e in vevents(body)}
    assert feed_world.declined_single.uid not in uids
    assert feed_world.draft.uid not in uids
    assert feed_world.too_old.uid not in uids
    assert feed_world.recent_past.uid in uids


def test_lone_occurrence_is_shown_with_its_recurrence_id(client, feed_world):
    lone = feed_world.lone_occurrence

    body = personal_feed(client, feed_world.member)

    (event,) = by_uid(body, lone.uid)
    assert event["RECURRENCE-ID"].dt == lone.recurrence_id
    assert "RRULE" not in event


def test_series_started_before_the_window_restarts_inside_it(client, feed_world):
    series = feed_world.thematic_series
    since = feeds.window_start(NOW)

    body = personal_feed(client, feed_world.member)

    event = master(body, series)
    first_in_window = series.occurrences.filter(recurrence_id__gte=since).order_by("start").first()
    assert event["DTSTART"].dt == first_in_window.recurrence_id
    assert event["RRULE"].to_ical().decode() == "FREQ=MONTHLY;COUNT=12;BYDAY=+2WE"
    assert int(event["SEQUENCE"]) == series.sequence
    # A series without a group links to the page of its first session in the feed.
    assert str(event["URL"]) == "http://127.0.0.1:8000" + reverse(
        "meetings:meeting", args=[first_in_window.pk]
    )
    everything = occurrences(body, since, since + timedelta(days=800))
    last = series.occurrences.order_by("start").last()
    assert max(start for uid, start in everything if uid == series.uid) == last.start


def test_past_is_bounded_to_ninety_days(client, feed_world):
    since = feeds.window_start(NOW)

    body = personal_feed(client, feed_world.member)

    assert since == NOW.astimezone(BRUSSELS).replace(hour=0, minute=0, second=0) - timedelta(days=90)
    starts = [e["DTSTART"].dt for e in vevents(body)]
    assert min(starts) >= since - timedelta(days=1)
    assert occurrences(body, since - timedelta(days=400), since - timedelta(days=1)) == set()


def test_calendar_properties(client, feed_world):
    response = client.get(feed_path(subscription_create(user=feed_world.member, label="Téléphone")[1]))

    cal = Calendar.from_ical(response.content)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(cal["X-WR-CALNAME"]) == "Concertation — mes réunions"
    assert cal["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert cal["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    for event in cal.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "URL", "SUMMARY", "STATUS"} <= set(event)
        assert str(event["URL"]).startswith("http://127.0.0.1:8000/")
        assert "ATTENDEE" not in event
        assert "ORGANIZER" not in event


def test_dtstamp_is_when_the_meeting_last_changed(client, feed_world):
    body = personal_feed(client, feed_world.member)

    (event,) = by_uid(body, feed_world.concertation.uid)
    assert event["DTSTAMP"].dt == feed_world.concertation.updated_at.replace(microsecond=0)


def test_control_characters_are_stripped(client, feed_world):
    thematic = feed_world.world.thematic
    meeting_update(
        meeting=thematic, changes={"title": "Logement\x07 d'abord\x1b", "place": "CPAS\x0b salle 1"}
    )

    body = network_feed(client, feed_world.member, feed_world.world.network)

    assert re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", body) is None
    (event,) = by_uid(body, thematic.uid)
    assert str(event["SUMMARY"]) == "Logement d'abord"
    assert str(event["LOCATION"]) == "CPAS salle 1"


def test_plain_occurrences_in_sql_are_exactly_those_the_builder_would_not_mention(feed_world):
    """The feed does not read plain occurrences: the SQL test must agree with
    ical.differs_from_rule (and the status) on every row, to the microsecond."""
    odd = feed_world.thematic_series.occurrences.filter(status=MeetingStatus.SCHEDULED).order_by("start")[6]
    Meeting.objects.filter(pk=odd.pk).update(end=odd.end + timedelta(microseconds=1))
    occurrences = Meeting.objects.filter(series__isnull=False).select_related("series")

    plain_in_sql = set(_with_length(occurrences).filter(_plain()).values_list("pk", flat=True))

    expected = {
        m.pk for m in occurrences if m.status in TAKING_PLACE and not ical.differs_from_rule(m, m.series)
    }
    assert plain_in_sql == expected
    assert odd.pk not in plain_in_sql
    assert len(expected) > 50


# Same UID and SEQUENCE as the e-mail invitations


def _email_events(message: OutboxMessage) -> list:
    _method, cal = calendar_part(emails.render(message))
    return cal.walk("VEVENT")


def test_series_uid_and_sequence_equal_the_invitation_emails(client, feed_world):
    series = feed_world.thematic_series
    message = OutboxMessage.objects.about(series=series.pk).filter(kind=MessageKind.REQUEST).latest("pk")

    body = personal_feed(client, feed_world.member)

    emailed = _email_events(message)[0]
    event = master(body, series)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (str(emailed["UID"]), int(emailed["SEQUENCE"]))
    assert event["RRULE"]["FREQ"] == emailed["RRULE"]["FREQ"]


def test_moved_occurrence_uid_sequence_and_recurrence_id_equal_the_update_email(client, feed_world):
    moved = feed_world.moved
    inv.invite_to_series(
        series=moved.series,
        invitees=[inv.guest("ines@example.be")],
        now=feed_world.world.session.start - timedelta(days=400),
    )
    meeting_update(meeting=moved, changes={"place": "Salle du fond"})
    moved.refresh_from_db()
    message = OutboxMessage.objects.about(meeting=moved.pk).filter(kind=MessageKind.UPDATE).latest("pk")

    body = personal_feed(client, feed_world.member)

    (emailed,) = _email_events(message)
    (event,) = [
        e
        for e in by_uid(body, moved.uid)
        if e.get("RECURRENCE-ID") and e["RECURRENCE-ID"].dt == moved.recurrence_id
    ]
    assert str(event["UID"]) == str(emailed["UID"]) == moved.uid
    assert int(event["SEQUENCE"]) == int(emailed["SEQUENCE"]) == moved.sequence == 2
    assert event["RECURRENCE-ID"].dt == emailed["RECURRENCE-ID"].dt


def test_single_meeting_uid_and_sequence_equal_the_invitation_email(client, feed_world):
    meeting = feed_world.recent_past
    message = OutboxMessage.objects.about(meeting=meeting.pk).filter(kind=MessageKind.REQUEST).latest("pk")
    meeting_update(meeting=meeting, changes={"place": "Ailleurs"})
    meeting.refresh_from_db()

    body = personal_feed(client, feed_world.member)

    (emailed,) = _email_events(message)
    (event,) = by_uid(body, meeting.uid)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (str(emailed["UID"]), int(emailed["SEQUENCE"]))
    assert int(event["SEQUENCE"]) == 1


def test_split_series_keeps_both_parts_with_the_emails_uids(client, feed_world):
    series = feed_world.thematic_series
    cut = series.occurrences.filter(start__gte=NOW).order_by("start")[4]

    new = series_split(
        occurrence=cut,
        dtstart=cut.start + timedelta(hours=1),
        duration=timedelta(hours=2),
        rrule="FREQ=MONTHLY;BYDAY=+2WE;COUNT=3",
        changes={},
    )
    series.refresh_from_db()
    body = personal_feed(client, feed_world.member)

    assert int(master(body, series)["SEQUENCE"]) == series.sequence == 1
    assert "UNTIL=" in master(body, series)["RRULE"].to_ical().decode()
    assert int(master(body, new)["SEQUENCE"]) == new.sequence
    # The invitation e-mail is rendered when it leaves, so it carries the new SEQUENCE too.
    message = OutboxMessage.objects.about(series=series.pk).latest("pk")
    assert int(_email_events(message)[0]["SEQUENCE"]) == series.sequence
    assert occurrences(body) == expected_personal_occurrences_with(feed_world, new)


def expected_personal_occurrences_with(feed_world, new_series):
    expected = expected_personal_occurrences(feed_world, *WINDOW)
    added = Meeting.objects.filter(series=new_series, start__gte=WINDOW[0], start__lt=WINDOW[1])
    return expected | {
        (m.uid, m.start.astimezone(UTC)) for m in added.exclude(status=MeetingStatus.CANCELLED)
    }


# Privacy (DESIGN.md, rule 1)


def test_personal_feed_shows_kinds_and_group_names_only_for_confidential_meetings(client, feed_world):
    body = personal_feed(client, feed_world.member).decode()

    for secret in [*SECRETS, CONCERTATION_TITLE]:
        assert secret not in body.replace("\r\n ", "")
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Concertation clinique" in unfolded
    assert f"SUMMARY:Groupe Balint — {GROUP_NAME}" in unfolded
    assert f"SUMMARY:Intervision — {INTERVISION_NAME}" in unfolded
    assert f"SUMMARY:{THEMATIC_SERIES_TITLE}" in unfolded
    assert THEMATIC_PURPOSE in unfolded
    assert "ATTENDEE" not in unfolded


def test_no_feed_carries_case_material_or_participants(client, feed_world):
    world = feed_world.world
    people = [u.get_full_name() for u in world.users.values()] + [u.email for u in world.users.values()]

    bodies = {
        "member": personal_feed(client, feed_world.member),
        "facilitator": personal_feed(client, world.users["facilitator"]),
        "coordinator": personal_feed(client, world.users["coordinator"]),
        "balint group": group_feed(client, feed_world.member, world.group),
        "intervision group": group_feed(client, feed_world.member, feed_world.intervision),
        "network": network_feed(client, feed_world.member, world.network),
        "public": public_feed(client, world),
    }

    for name, body in bodies.items():
        text = body.decode().replace("\r\n ", "")
        for secret in [*SECRETS, BALINT_AGENDA, SECRET_TITLE, SECRET_PURPOSE, CONCERTATION_TITLE]:
            assert secret not in text, (name, secret)
        for person in people:
            assert person not in text, (name, person)
    assert "SUMMARY:Concertation clinique" in bodies["facilitator"].decode()
    assert f"SUMMARY:Groupe Balint — {GROUP_NAME}" in bodies["balint group"].decode()


def test_network_feed_holds_open_meetings_only_with_their_details(client, feed_world):
    world = feed_world.world

    body = network_feed(client, feed_world.member, world.network).decode().replace("\r\n ", "")

    events = vevents(body.encode())
    assert {str(e["UID"]) for e in events} == {world.thematic.uid, feed_world.thematic_series.uid}
    assert f"SUMMARY:{THEMATIC_TITLE}" in body
    assert "Présentation du dispositif." in body
    assert GROUP_NAME not in body
    assert "Concertation clinique" not in body
    assert feed_world.thematic_series.occurrences.filter(status=MeetingStatus.CANCELLED).count() == 0
    # Nobody declines in a network feed: the member's declined session is still there.
    assert (
        feed_world.declined_occurrence.uid,
        feed_world.declined_occurrence.start.astimezone(UTC),
    ) in occurrences(body.encode())


def test_open_agenda_is_in_feeds_of_open_meetings_only(client, feed_world):
    world = feed_world.world
    meeting_update(meeting=world.thematic, changes={}, agenda=[{"title": "Présentation du Housing First"}])

    body = network_feed(client, feed_world.member, world.network).decode().replace("\r\n ", "")
    public = public_feed(client, world).decode().replace("\r\n ", "")

    assert "Ordre du jour :\\n- Présentation du Housing First" in body
    assert "Housing First" not in public


def test_group_session_place_is_hidden_from_a_member_who_has_not_accepted_the_charter(client, feed_world):
    world = feed_world.world
    pending = world.users["pending"]

    personal = personal_feed(client, pending).decode().replace("\r\n ", "")
    group = group_feed(client, pending, world.group).decode().replace("\r\n ", "")
    member = group_feed(client, feed_world.member, world.group).decode().replace("\r\n ", "")

    assert f"SUMMARY:Groupe Balint — {GROUP_NAME}" in personal
    assert "Rue Haute 100" not in personal
    assert "\nLOCATION:" not in group
    assert "Rue Haute 100" in member.replace("\\,", ",")


def test_lone_session_shows_its_place_to_an_invitee_and_not_to_who_may_not_see_details(client, feed_world):
    world = feed_world.world
    pending = world.users["pending"]
    start = world.session.start + timedelta(days=9)
    session = meeting_create(
        network=world.network,
        kind=world.session.kind,
        group=world.group,
        title="Séance supplémentaire",
        start=start,
        end=start + timedelta(hours=1),
        organiser=world.users["facilitator"],
        place="Salle des Tilleuls",
    )

    (not_invited,) = by_uid(personal_feed(client, pending), session.uid)
    inv.invite_to_meeting(meeting=session, invitees=[inv.invitee_for(pending)])
    (invited,) = by_uid(personal_feed(client, pending), session.uid)
    (lone,) = by_uid(personal_feed(client, feed_world.member), feed_world.lone_occurrence.uid)

    assert not rules.can_see_meeting_details(pending, session)
    assert "LOCATION" not in not_invited
    assert str(invited["LOCATION"]) == "Salle des Tilleuls"
    assert str(lone["LOCATION"]) == "Antenne Le Passage"


@pytest.mark.parametrize("role", ["member", "pending", "facilitator"])
def test_group_sessions_place_is_in_a_feed_for_whoever_may_see_the_sessions_details(client, feed_world, role):
    world = feed_world.world
    user = world.users[role]

    event = master(personal_feed(client, user), world.session.series)

    assert ("LOCATION" in event) == rules.can_see_meeting_details(user, world.session)


def test_group_feed_holds_the_groups_sessions(client, feed_world):
    body = group_feed(client, feed_world.member, feed_world.intervision)

    cal = Calendar.from_ical(body)
    assert str(cal["X-WR-CALNAME"]) == f"Intervision — {INTERVISION_NAME}"
    assert {str(e["UID"]) for e in vevents(body)} == {feed_world.intervision_series.uid}
    expected = {
        (m.uid, m.start.astimezone(UTC))
        for m in feed_world.intervision_series.occurrences.filter(
            start__gte=WINDOW[0], start__lt=WINDOW[1]
        ).exclude(status=MeetingStatus.CANCELLED)
    }
    assert occurrences(body) == expected


def test_feed_is_in_the_subscribers_language(client, feed_world):
    member = feed_world.member
    member.language = "en"
    member.save()

    body = personal_feed(client, member).decode().replace("\r\n ", "")

    assert "SUMMARY:Clinical case conference" in body
    assert "Details (login required):" in body


def _override_with_an_agenda(feed_world):
    """An occurrence of an open series that moved, with an agenda full of characters to escape."""
    session = feed_world.thematic_series.occurrences.filter(start__gte=NOW).order_by("start")[0]
    moved_to = session.start + timedelta(hours=1)
    return meeting_update(
        meeting=session,
        changes={"start": moved_to, "end": moved_to + timedelta(hours=2)},
        agenda=[{"title": "Accueil; café, tour de table"}, {"title": "Chiffres du CPAS \\ 2025"}],
    )


# Each case: (its meeting and whether it is an override, text of its unfolded event that shows
# the case is what it says).
SINGLE_EVENTS = {
    "single meeting": (lambda fw: (fw.world.thematic, False), f"SUMMARY:{THEMATIC_TITLE}"),
    "cancelled": (lambda fw: (fw.cancelled_single, False), "STATUS:CANCELLED"),
    "clinical concertation": (lambda fw: (fw.concertation, False), "SUMMARY:Concertation clinique"),
    "override with an agenda": (
        lambda fw: (_override_with_an_agenda(fw), True),
        "- Accueil\\; café\\, tour de table\\n- Chiffres du CPAS \\\\ 2025\\n",
    ),
}


PEOPLE = {"ORGANIZER", "ATTENDEE", "DTSTAMP"}


def _without_people(event) -> dict:
    """EVENT's properties as text, less ORGANIZER and ATTENDEE (never in a feed) and DTSTAMP (when
    each was made)."""
    return {
        name: event[name].to_ical() if hasattr(event[name], "to_ical") else event[name]
        for name in event
        if name not in PEOPLE
    }


def _emailed(events) -> list:
    """EVENTS as an e-mail carries them: with an organizer and the recipient as attendee."""
    guest = ical.Attendee(email="ines@example.be", name="Inès", partstat="NEEDS-ACTION")
    return Calendar.from_ical(ical.with_attendees(ical.calendar(events, method="REQUEST"), [guest])).walk(
        "VEVENT"
    )


@pytest.mark.parametrize("case", SINGLE_EVENTS)
def test_a_feeds_event_is_the_invitations_event_without_people(feed_world, case):
    """One builder makes both: the event a feed shows for a meeting is the one its invitation
    e-mail carries, less ORGANIZER and ATTENDEE."""
    build, shown = SINGLE_EVENTS[case]
    meeting, as_override = build(feed_world)
    agenda = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    in_feed = ical.event_for_meeting(
        meeting, agenda=agenda, as_override=as_override, stamp=meeting.updated_at
    )
    organizer = ical.Attendee(email="invitations@example.be", name="Coordination", partstat="ACCEPTED")
    emailed = ical.event_for_meeting(meeting, agenda=agenda, organizer=organizer, as_override=as_override)

    text = ical.calendar([in_feed]).to_ical().decode()
    (sent,) = _emailed([emailed])

    assert _without_people(Calendar.from_ical(text).walk("VEVENT")[0]) == _without_people(sent)
    assert shown in text.replace("\r\n ", "")
    assert "ATTENDEE" not in text and "ORGANIZER" not in text
    assert str(sent["ATTENDEE"]) == "mailto:ines@example.be"


LONG_PURPOSE = (
    "Élaborer, à partir des situations vécues par les équipes ; des pistes concrètes pour "
    "l'accès au logement des personnes sans abri — « Housing First », santé mentale, précarité\\"
)


def test_a_feeds_events_of_a_series_are_the_invitations_without_people(feed_world):
    """The same for a series with a cancelled occurrence, a moved one and a long purpose with
    accents and characters to escape."""
    world = feed_world.world
    series = series_create(
        network=world.network,
        kind=THEMATIC,
        title="Réunions « logement d'abord »",
        dtstart=local_start(datetime(2026, 2, 4).date(), time(9, 0)),
        duration=timedelta(hours=2),
        rrule="FREQ=MONTHLY;BYDAY=+1WE;COUNT=6",
        organiser=world.users["coordinator"],
        purpose=LONG_PURPOSE,
        place="CPAS d'Anderlecht, salle du conseil; 2e étage",
    )
    sessions = list(series.occurrences.order_by("start"))
    meeting_cancel(meeting=sessions[1])
    moved_to = sessions[3].start + timedelta(days=1, hours=1)
    meeting_update(meeting=sessions[3], changes={"start": moved_to, "end": moved_to + timedelta(hours=2)})
    series.refresh_from_db()
    occurrences = list(series.occurrences.order_by("start"))

    text = ical.calendar(ical.events_for_series(series, occurrences)).to_ical().decode()
    sent = _emailed(ical.events_for_series(series, occurrences))

    parsed = Calendar.from_ical(text).walk("VEVENT")
    assert [_without_people(event) for event in parsed] == [_without_people(event) for event in sent]
    assert text.count("BEGIN:VEVENT") == 2  # the series and its moved session
    rule_line, purpose = str(parsed[0]["DESCRIPTION"]).split("\n", 1)
    assert rule_line == "Le 1er mercredi de chaque mois, à 09:00, 6 séances"
    assert purpose.startswith(LONG_PURPOSE)
    assert str(parsed[0]["LOCATION"]) == "CPAS d'Anderlecht, salle du conseil; 2e étage"
    assert "\r\nEXDATE;TZID=Europe/Brussels:" in text
    assert "\r\n " in text  # folded


def test_a_newline_in_a_group_name_keeps_the_calendar_readable():
    calendar = ical.published_calendar([], name="Groupe\nBalint", refresh=timedelta(hours=1))

    assert Calendar.from_ical(calendar.to_ical())["NAME"] == "Groupe Balint"

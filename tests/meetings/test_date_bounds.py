"""Dates within meetings.bounds: from 1 January 2000 to five years ahead, refused beside the field
and by the services, nothing saved; and rows stored before the bounds still display."""

from datetime import UTC, date, datetime, time, timedelta
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import bounds
from meetings.calendar.services.subscriptions import subscription_create
from meetings.followup.models import Action
from meetings.followup.services import outcomes as out
from meetings.kinds import Kind
from meetings.models import Meeting, Series
from meetings.recurrence import local_start
from meetings.services.groups import charter_accept, group_create
from meetings.services.meetings import meeting_create, meeting_update
from meetings.services.series import series_create
from meetings.vignettes.models import Vignette, VignetteStatus
from tests.feeds_world import feed_path
from tests.mail import calendar_part

pytestmark = pytest.mark.django_db

# Today is Thursday 19 November 2026 (tests/clock.py): the window ends on 19 November 2031.
WINDOW = "Choisissez une date entre le 1 janvier 2000 et le 19 novembre 2031."
FAR = date(9999, 12, 31)


def page(response) -> str:
    return unescape(response.content.decode())


def test_the_window_runs_from_2000_to_five_years_ahead():
    today = timezone.localdate()

    assert bounds.latest_day() == date(2031, 11, 19)
    assert bounds.is_within(date(2000, 1, 1)) and bounds.is_within(bounds.latest_day())
    assert not bounds.is_within(date(1999, 12, 31))
    assert not bounds.is_within(bounds.latest_day() + timedelta(days=1))
    assert bounds.latest_day(date(2028, 2, 29)) == date(2033, 2, 28)
    assert today == date(2026, 11, 19)


# Meetings


@pytest.mark.parametrize("day", [FAR, date(2031, 11, 20), date(1999, 12, 31), date(1, 1, 1)])
def test_meeting_create_refuses_a_day_outside_the_window(world, day):
    start = local_start(day, time(10, 0))

    with pytest.raises(ValidationError) as error:
        meeting_create(
            network=world.network,
            kind=Kind.THEMATIC,
            title="Trop loin",
            start=start,
            end=start + timedelta(hours=1),
            organiser=world.users["coordinator"],
            place="CPAS",
        )

    assert error.value.code == "date_out_of_range"
    assert error.value.messages == [WINDOW]
    assert not Meeting.objects.filter(title="Trop loin").exists()


def test_meeting_form_refuses_year_9999_beside_the_day(client, world):
    client.force_login(world.users["coordinator"])
    data = {
        "kind": Kind.THEMATIC,
        "network": world.network.pk,
        "title": "Trop loin",
        "day": "9999-12-31",
        "start_time": "22:00",
        "duration": "90",
        "place": "CPAS",
        "purpose": "Objet.",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("meetings:meeting_create"), data)

    assert response.status_code == 200
    assert WINDOW in page(response)
    assert not Meeting.objects.filter(title="Trop loin").exists()


def test_moving_a_meeting_outside_the_window_is_refused_and_nobody_hears_of_it(
    client, world, django_capture_on_commit_callbacks
):
    meeting = world.thematic
    before = (meeting.start, meeting.end, meeting.sequence)
    far = local_start(FAR, time(10, 0))
    client.force_login(world.users["coordinator"])
    data = {
        "title": meeting.title,
        "purpose": meeting.purpose,
        "place": meeting.place,
        "day": "9999-12-31",
        "start_time": "10:00",
        "end_time": "11:00",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)
        with pytest.raises(ValidationError) as error:
            meeting_update(meeting=meeting, changes={"start": far, "end": far + timedelta(hours=1)})

    meeting.refresh_from_db()
    assert response.status_code == 200 and WINDOW in page(response)
    assert error.value.code == "date_out_of_range"
    assert (meeting.start, meeting.end, meeting.sequence) == before
    assert mail.outbox == []


def test_a_stored_meeting_outside_the_window_still_takes_other_changes(world):
    Meeting.objects.filter(pk=world.thematic.pk).update(
        start=datetime(1999, 5, 4, 8, tzinfo=UTC), end=datetime(1999, 5, 4, 10, tzinfo=UTC)
    )

    meeting = meeting_update(meeting=world.thematic, changes={"place": "Maison de quartier"})

    assert meeting.place == "Maison de quartier"


# Series


def series_data(**changes):
    return {
        "title": "Séances",
        "first_day": "2026-12-03",
        "start_time": "12:30",
        "duration": "90",
        "place": "Maison médicale",
        "frequency": "weekly",
        "interval": "1",
        "ends": "never",
        **changes,
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"first_day": "9999-11-30"},
        {"first_day": "1999-12-30"},
        {"ends": "on", "until": "9999-12-31"},
        {"ends": "on", "until": "2032-01-01"},
    ],
)
def test_series_form_refuses_days_outside_the_window(client, world, changes):
    client.force_login(world.users["facilitator"])
    before = Series.objects.count(), Meeting.objects.count()

    response = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]), series_data(**changes)
    )

    assert response.status_code == 200
    assert WINDOW in page(response)
    assert (Series.objects.count(), Meeting.objects.count()) == before


@pytest.mark.parametrize(
    ("first_day", "rrule"),
    [(date(9999, 11, 30), "FREQ=WEEKLY;BYDAY=TU"), (date(2026, 12, 1), "FREQ=WEEKLY;UNTIL=99991231T225959Z")],
)
def test_series_create_refuses_days_outside_the_window(world, first_day, rrule):
    before = Series.objects.count(), Meeting.objects.count()

    with pytest.raises(ValidationError) as error:
        series_create(
            network=world.network,
            kind=Kind.BALINT,
            group=world.group,
            title="Séances",
            dtstart=local_start(first_day, time(20, 0)),
            duration=timedelta(minutes=90),
            rrule=rrule,
            organiser=world.users["facilitator"],
            place="Rue Haute 100",
        )

    assert error.value.code == "date_out_of_range"
    assert (Series.objects.count(), Meeting.objects.count()) == before


def test_a_series_ending_within_the_window_is_accepted(client, world):
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]),
        series_data(ends="on", until="2031-11-19"),
    )

    assert response.status_code == 302
    assert Series.objects.filter(title="Séances").exists()


# Actions, group rules, periods


def test_an_action_due_in_year_9999_is_refused(client, world):
    meeting = world.concertation
    far = out.NewAction("Appeler le service social", world.users["member"], FAR)
    with pytest.raises(ValidationError) as error:
        out.outcome_record(
            meeting=meeting,
            by=world.users["facilitator"],
            summary="Synthèse.",
            actions=[far],
            now=meeting.end,
        )
    from meetings.followup.forms import ActionForm

    form = ActionForm(
        {"description": "Appeler", "owner": world.users["member"].pk, "due_date": "9999-12-31"},
        owners=[world.users["member"]],
    )

    assert error.value.code == "date_out_of_range"
    assert not form.is_valid() and form.errors == {"due_date": [WINDOW]}
    assert not Action.objects.exists()


def test_a_cycle_start_in_year_9999_is_refused(client, world):
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_rules", args=[world.group.pk]),
        {"attendance_minimum": "70", "cycle_start": "9999-12-31"},
    )

    world.group.refresh_from_db()
    assert response.status_code == 200 and WINDOW in page(response)
    assert world.group.cycle_start is None and world.group.attendance_minimum != 70


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("attendance:certificate_period", {"start": "9999-12-30", "end": "9999-12-31"}),
        ("attendance:network_attendance_csv", {"start": "2026-01-01", "end": "9999-12-31"}),
    ],
)
def test_a_period_reaching_year_9999_is_refused_with_a_message(client, world, name, query):
    client.force_login(world.users["coordinator"])
    query = query | ({"network": world.network.pk} if "network" in name else {})

    response = client.get(reverse(name), query, follow=True)

    assert response.redirect_chain[0][0] == reverse("attendance:certificates")
    assert WINDOW in page(response)


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1999-W52"])
def test_the_agenda_of_a_week_outside_the_window_shows_this_week(client, world, week):
    client.force_login(world.users["member"])

    body = page(client.get(reverse("meetings:agenda"), {"view": "week", "week": week}))
    next_week = page(client.get(reverse("meetings:agenda"), {"view": "week", "week": "2026-W48"}))

    assert "Semaine du 16 novembre 2026" in body
    assert 'week=2026-W48"' in body
    assert "Rencontre thématique : logement d'abord" in next_week


# Rows stored before the bounds


@pytest.fixture
def far_session(world):
    """An intervision session with a shared vignette, moved to 31 December 9999 behind the
    services' back (as a row stored before the bounds existed)."""
    users = world.users
    group = group_create(
        network=world.network,
        kind=Kind.INTERVISION,
        name="Intervision du jeudi",
        facilitators=[users["facilitator"]],
        members=[users["member"]],
        charter="Ce qui se dit ici reste ici.",
        by=users["coordinator"],
    )
    charter_accept(group=group, user=users["member"])
    start = local_start(timezone.localdate() + timedelta(days=3), time(12, 30))
    meeting = meeting_create(
        network=world.network,
        kind=Kind.INTERVISION,
        group=group,
        title="Intervision du jeudi — séance",
        start=start,
        end=start + timedelta(minutes=90),
        organiser=users["facilitator"],
        place="Maison médicale",
    )
    Vignette.objects.create(
        meeting=meeting,
        author=users["member"],
        title="Un refus de soins",
        text="Une personne refuse les soins à domicile.",
        status=VignetteStatus.SHARED,
        shared_at=timezone.now(),
        readable_until=datetime(9999, 12, 30, tzinfo=UTC),
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        start=datetime(9999, 12, 31, 21, 0, tzinfo=UTC), end=datetime(9999, 12, 31, 22, 30, tzinfo=UTC)
    )
    meeting.refresh_from_db()
    return meeting


@pytest.mark.parametrize("who", ["facilitator", "member", "coordinator"])
def test_a_stored_year_9999_meeting_breaks_no_page(client, world, far_session, who):
    user = world.users[who]
    client.force_login(user)
    _subscription, token = subscription_create(user=user, label="Téléphone")
    _network_subscription, network_token = subscription_create(
        user=user, label="Réseau", network=world.network
    )
    vignette = far_session.vignettes.get()
    urls = [
        reverse("meetings:agenda"),
        reverse("meetings:agenda") + "?view=week",
        reverse("meetings:meeting", args=[far_session.pk]),
        reverse("meetings:group", args=[far_session.group_id]),
        reverse("calendar:calendar"),
        feed_path(token),
        feed_path(network_token),
        reverse("followup:actions"),
        reverse("attendance:certificates"),
    ]

    statuses = {url: client.get(url).status_code for url in urls}
    meeting_page = page(client.get(reverse("meetings:meeting", args=[far_session.pk])))
    vignette_page = client.get(reverse("vignettes:vignette", args=[vignette.pk]))

    assert set(statuses.values()) == {200}, statuses
    assert "9999" in meeting_page
    if who == "coordinator":  # not a participant: the vignette is not theirs to read
        assert vignette_page.status_code == 404
    else:
        assert "Une personne refuse les soins à domicile." in page(vignette_page)


def test_a_stored_year_9999_meeting_feeds_calendars_and_e_mails(
    client, world, far_session, django_capture_on_commit_callbacks
):
    member = world.users["member"]
    _subscription, token = subscription_create(user=member, label="Téléphone")
    _subscription, group_token = subscription_create(user=member, label="Tablette", group=far_session.group)
    client.force_login(world.users["facilitator"])

    feed = client.get(feed_path(token)).content.decode()
    group_feed = client.get(feed_path(group_token)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:invitations", args=[far_session.pk]),
            # A guest of a closed group's session: told she sees only the e-mail, and confirmed.
            {"people_text": "ines@example.be", "role": "participant", "warned": "ines@example.be"},
        )
    (message,) = [m for m in mail.outbox if "ines@example.be" in m.to]
    _method, calendar = calendar_part(message)
    (event,) = calendar.walk("VEVENT")

    assert "DTSTART;TZID=Europe/Brussels:99991231T220000" in feed
    assert "DTSTART;TZID=Europe/Brussels:99991231T220000" in group_feed
    assert response.status_code == 302
    assert event.decoded("dtstart").year == 9999


def test_periodic_tasks_pass_over_a_stored_year_9999_meeting(
    world, far_session, django_capture_on_commit_callbacks
):
    from worker import tasks

    with django_capture_on_commit_callbacks(execute=True):
        tasks.extend_series_horizons()
        tasks.send_reminders()
        tasks.send_followups()
        tasks.send_action_digests()
        tasks.purge_vignettes()

    assert far_session.vignettes.get().status == VignetteStatus.SHARED

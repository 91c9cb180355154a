"""Scheduling a meeting or a series: forms that do not mislead, possible duplicates flagged before
saving (and saved anyway when confirmed), and saving that leads to the invitations.

The world (tests/world.py) holds, at its fixed clock: the Balint group's monthly series on the
first Tuesday at 20:00 (from 1 December 2026), organised by the facilitator; the coordinator's
thematic meeting on Tuesday 24 November 2026, 9:30-11:30; the facilitator's concertation on
Wednesday 25 November, 14:00-15:00, to which `member` is invited."""

from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
from django.urls import reverse

from meetings import queries
from meetings.kinds import Kind
from meetings.models import Invitation, Meeting, Series
from meetings.recurrence import local_start
from meetings.services.groups import group_create
from meetings.services.meetings import meeting_create
from tests.factories import NetworkFactory
from tests.pages import main_form

AGENDA = {"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"}


def meeting_data(world, **changes):
    return {
        "kind": Kind.THEMATIC,
        "network": world.network.pk,
        "title": "Logement et assuétudes",
        "day": "2027-02-09",
        "start_time": "09:30",
        "duration": "120",
        "place": "CPAS d'Anderlecht",
        **AGENDA,
        **changes,
    }


def series_data(**changes):
    return {
        "title": "Balint du jeudi",
        "first_day": "2026-12-03",
        "start_time": "20:00",
        "duration": "90",
        "frequency": "weekly",
        "interval": "1",
        "weekdays": ["3"],
        "ends": "never",
        "place": "Rue Haute 100",
        **changes,
    }


def text(response) -> str:
    return unescape(response.content.decode())


def posted(form: dict) -> dict:
    """The (name, value) pairs of a page's form as a dict the test client posts (lists kept)."""
    data: dict = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    return data


# The meeting form


def test_the_meeting_form_asks_in_the_order_people_think(client, world):
    client.force_login(world.users["coordinator"])

    form = client.get(reverse("meetings:meeting_create")).context["form"]

    visible = [field.name for field in form.visible_fields()]
    assert visible[:7] == ["kind", "title", "day", "start_time", "duration", "place", "online_link"]


def test_the_only_network_is_chosen_and_the_place_or_link_rule_is_labelled(client, world):
    client.force_login(world.users["coordinator"])

    response = client.get(reverse("meetings:meeting_create") + "?kind=thematic")

    form = response.context["form"]
    assert form["network"].is_hidden and form["network"].value() == world.network.pk
    body = text(response)
    assert "Réseau Marolles" in body
    place_or_link = body[
        body.index('id="place-or-link"') : body.index("</fieldset>", body.index('id="place-or-link"'))
    ]
    assert "Lieu ou lien de visioconférence" in place_or_link and "l'un des deux au moins" in place_or_link
    assert "facultatif" not in place_or_link
    # The kind's usual length is offered: two hours for a thematic meeting.
    assert form["duration"].value() == 120


def test_with_several_networks_the_usual_one_is_chosen(client, world):
    coordinator = world.users["coordinator"]
    NetworkFactory(name="Réseau Anderlecht", coordinators=[coordinator])
    client.force_login(coordinator)

    form = client.get(reverse("meetings:meeting_create")).context["form"]

    # The coordinator's last meeting (the world's thematic one) was in the Marolles network.
    assert not form["network"].is_hidden
    assert form["network"].value() == world.network.pk


def test_every_error_of_the_meeting_form_shows_at_once_beside_its_field(client, world):
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("meetings:meeting_create"),
        meeting_data(world, kind=Kind.INTERVISION, title="", start_time="", duration="800", place=""),
    )

    errors = response.context["form"].errors
    assert errors == {
        "kind": ["Les séances d'un groupe se programment depuis la page du groupe."],
        "title": ["Ce champ est obligatoire."],
        "start_time": ["Ce champ est obligatoire."],
        "duration": ["Une réunion ne peut pas durer plus de 12 heures."],
        "place": ["Indiquez un lieu, un lien de visioconférence, ou les deux."],
    }
    body = text(response)
    assert body.count('class="field has-error"') == 5
    assert "Indiquez un lieu, un lien de visioconférence, ou les deux." in body
    assert not Meeting.objects.filter(title="").exists()


def test_a_link_alone_is_enough(client, world):
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("meetings:meeting_create"),
        meeting_data(world, place="", online_link="https://visio.example/x"),
    )

    assert response.status_code == 302
    assert Meeting.objects.get(title="Logement et assuétudes").online_link == "https://visio.example/x"


def test_saving_a_meeting_leads_to_its_invitations(client, world):
    client.force_login(world.users["coordinator"])

    response = client.post(reverse("meetings:meeting_create"), meeting_data(world), follow=True)

    meeting = Meeting.objects.get(title="Logement et assuétudes")
    assert response.redirect_chain == [(reverse("meetings:invitations", args=[meeting.pk]), 302)]
    assert "La réunion est enregistrée. Choisissez maintenant qui inviter." in text(response)
    assert (meeting.start, meeting.end) == (
        local_start(date(2027, 2, 9), time(9, 30)),
        local_start(date(2027, 2, 9), time(11, 30)),
    )


# Possible duplicates of a meeting


def test_a_meeting_at_the_time_of_one_the_organiser_already_has_is_flagged_then_saved_if_confirmed(
    client, world
):
    client.force_login(world.users["coordinator"])
    data = meeting_data(world, title="Logement d'abord", day="2026-11-24", start_time="10:00", duration="60")

    warned = client.post(reverse("meetings:meeting_create"), data)

    body = text(warned)
    assert 'id="possible-duplicates"' in body
    assert f'href="{reverse("meetings:meeting", args=[world.thematic.pk])}"' in body
    assert "Rencontre thématique : logement d'abord" in body and "que vous organisez aussi" in body
    assert "Enregistrer quand même" in body
    assert not Meeting.objects.filter(title="Logement d'abord").exists()

    confirmed = client.post(reverse("meetings:meeting_create"), posted(main_form(warned)))

    meeting = Meeting.objects.get(title="Logement d'abord")
    assert confirmed.url == reverse("meetings:invitations", args=[meeting.pk])


def test_a_time_changed_after_the_warning_is_checked_again(client, world):
    coordinator = world.users["coordinator"]
    other = meeting_create(
        network=world.network,
        kind=Kind.THEMATIC,
        title="Comité de pilotage",
        start=local_start(date(2026, 11, 26), time(14, 0)),
        end=local_start(date(2026, 11, 26), time(16, 0)),
        organiser=coordinator,
        place="CPAS",
    )
    client.force_login(coordinator)
    data = meeting_data(world, title="Logement d'abord", day="2026-11-24", start_time="10:00", duration="60")
    warned = client.post(reverse("meetings:meeting_create"), data)
    again = posted(main_form(warned))
    # Moved onto another of the coordinator's meetings: the confirmation was for the first one.
    again.update(day=["2026-11-26"], start_time=["15:00"])

    moved = client.post(reverse("meetings:meeting_create"), again)

    assert moved.status_code == 200
    assert f'href="{reverse("meetings:meeting", args=[other.pk])}"' in text(moved)
    assert not Meeting.objects.filter(title="Logement d'abord").exists()
    # Back onto the thematic meeting with the old confirmation: it still holds for that one.
    data.update(seen_duplicates=str(world.thematic.pk), title="Encore")
    saved = client.post(reverse("meetings:meeting_create"), data)
    assert saved.url == reverse("meetings:invitations", args=[Meeting.objects.get(title="Encore").pk])


def test_another_organisers_meeting_at_the_same_time_is_not_a_duplicate(client, world):
    client.force_login(world.users["member"])

    response = client.post(
        reverse("meetings:meeting_create"),
        meeting_data(world, kind=Kind.EXCHANGE, title="Vis ma vie", day="2026-11-24", start_time="10:00"),
    )

    assert response.status_code == 302
    assert Meeting.objects.filter(title="Vis ma vie").exists()


# The series form


def test_a_first_session_off_the_rule_is_refused_beside_its_day(client, world):
    client.force_login(world.users["facilitator"])
    before = Series.objects.count(), Meeting.objects.count()
    data = series_data(frequency="monthly_nth", nth="3", weekday="3", first_day="2026-12-03")

    response = client.post(reverse("meetings:group_series_create", args=[world.group.pk]), data)
    preview = client.get(reverse("meetings:series_preview"), data)

    message = (
        "Le jeudi 3 décembre 2026 ne suit pas la règle « Le 3e jeudi de chaque mois, à 20:00 » : "
        "la première séance serait le jeudi 17 décembre 2026 à 20:00."
    )
    assert response.context["form"].errors == {"first_day": [message]}
    assert (Series.objects.count(), Meeting.objects.count()) == before
    # The preview says it as the person types, above the dates the rule gives.
    assert message in text(preview)
    assert "jeudi 17 décembre 2026 à 20:00" in text(preview)


def test_every_error_of_the_series_form_shows_at_once(client, world):
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]),
        series_data(title="", ends="after", count="", place="", duration=""),
    )

    assert set(response.context["form"].errors) == {"title", "count", "place", "duration"}
    assert response.context["form"].errors["count"] == ["Indiquez le nombre de séances."]


def test_fields_of_another_end_of_the_series_are_ignored(client, world):
    """Without JavaScript every field is on the page: what was typed in the ones that do not
    apply to the chosen end (or repetition) is neither refused nor used."""
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]),
        series_data(ends="after", count="4", until="1999-01-01", month_day="99", nth="7"),
    )

    assert response.status_code == 302
    assert Series.objects.get(title="Balint du jeudi").rrule == "FREQ=WEEKLY;BYDAY=TH;COUNT=4"


def test_the_series_page_shows_the_end_fields_for_the_script_to_hide(client, world):
    client.force_login(world.users["facilitator"])

    body = text(client.get(reverse("meetings:group_series_create", args=[world.group.pk])))

    assert '<div data-ends="on">' in body and 'id="id_until"' in body
    assert '<div data-ends="after">' in body and 'id="id_count"' in body
    assert "js/series-form.js" in body


def test_saving_a_series_leads_to_inviting_people_to_all_its_sessions(client, world):
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]), series_data(), follow=True
    )

    series = Series.objects.get(title="Balint du jeudi")
    first = series.occurrences.order_by("start").first()
    assert first.start == local_start(date(2026, 12, 3), time(20, 0))
    assert response.redirect_chain == [(reverse("meetings:invitations", args=[first.pk]), 302)]
    assert "Choisissez maintenant qui inviter à toutes ses séances." in text(response)


# Possible duplicates of a series


def test_a_second_series_of_a_group_at_the_same_time_is_flagged_then_saved_if_confirmed(client, world):
    client.force_login(world.users["facilitator"])
    # Every Tuesday at 20:00: the group's first-Tuesday sessions are among them.
    data = series_data(first_day="2026-12-01", weekdays=["1"], title="Balint hebdomadaire")

    warned = client.post(reverse("meetings:group_series_create", args=[world.group.pk]), data)

    duplicates = warned.context["duplicates"]
    assert [(d.meeting, d.same_group) for d in duplicates] == [(world.session, True)]
    assert duplicates[0].overlapping == 12  # a year of first Tuesdays
    body = text(warned)
    assert f'href="{reverse("meetings:meeting", args=[world.session.pk])}"' in body
    assert "une séance du même groupe" in body and "12 séances de sa série" in body
    assert not Series.objects.filter(title="Balint hebdomadaire").exists()

    confirmed = client.post(
        reverse("meetings:group_series_create", args=[world.group.pk]), posted(main_form(warned))
    )

    series = Series.objects.get(title="Balint hebdomadaire")
    assert confirmed.url == reverse("meetings:invitations", args=[series.occurrences.order_by("start")[0].pk])


def test_a_series_of_the_group_at_other_times_is_not_flagged(client, world):
    client.force_login(world.users["facilitator"])

    response = client.post(reverse("meetings:group_series_create", args=[world.group.pk]), series_data())

    series = Series.objects.get(title="Balint du jeudi")
    assert series.group == world.group
    assert response.url == reverse("meetings:invitations", args=[series.occurrences.order_by("start")[0].pk])


def test_cancelled_sessions_are_not_duplicates(world):
    world.session.series.occurrences.update(status="cancelled")

    found = queries.possible_duplicates(
        windows=[(world.session.start, world.session.end)],
        organiser=world.users["coordinator"],
        group=world.group,
    )

    assert found == []


# The query


def _intervision_of(world, members):
    return group_create(
        network=world.network,
        kind=Kind.INTERVISION,
        name="Intervision des Marolles",
        facilitators=[world.users["facilitator"]],
        members=members,
        charter="Ce qui se dit ici reste ici.",
        by=world.users["coordinator"],
    )


def test_the_same_organiser_counts_when_half_of_the_people_are_the_same(world):
    """Another group's session at the time of the facilitator's concertation: a duplicate only
    once at least half of the smaller list of people are the same."""
    users = world.users
    group = _intervision_of(world, [users["outsider"], users["applicant"]])
    windows = [(world.concertation.start, world.concertation.end)]

    before = queries.possible_duplicates(windows=windows, organiser=users["facilitator"], group=group)
    Invitation.objects.create(
        meeting=world.concertation, user=users["outsider"], email=users["outsider"].email
    )
    after = queries.possible_duplicates(windows=windows, organiser=users["facilitator"], group=group)

    # Invited: member (not in the group); then member and outsider: one of two is in the group.
    assert before == []
    assert [(d.meeting, d.same_group) for d in after] == [(world.concertation, False)]


@pytest.mark.parametrize("weeks", [1, 60])
def test_the_query_count_does_not_grow_with_the_sessions(world, django_assert_num_queries, weeks):
    start = datetime.fromisoformat("2026-12-01T20:00:00+01:00")
    windows = [(start + timedelta(weeks=i), start + timedelta(weeks=i, minutes=90)) for i in range(weeks)]

    with django_assert_num_queries(3):
        found = queries.possible_duplicates(
            windows=windows, organiser=world.users["facilitator"], group=world.group
        )

    assert [d.meeting for d in found] == [world.session]


# Two series of one group, told apart


def test_a_second_series_of_a_group_needs_a_title_of_its_own(client, world):
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:group_series_create", args=[world.group.pk])

    page = client.get(url)
    response = client.post(url, series_data(title="balint des marolles — SÉANCE"))

    assert "Ce groupe a déjà : « Balint des Marolles — séance »." in text(page)
    assert response.context["form"].errors == {
        "title": [
            "Ce groupe a déjà une série « balint des marolles — SÉANCE » : "
            "donnez à celle-ci un titre qui la distingue."
        ]
    }
    assert (
        not Series.objects.filter(title__iexact="balint des marolles — séance")
        .exclude(pk=world.session.series_id)
        .exists()
    )


def test_the_group_page_tells_the_sessions_of_two_series_apart(client, world):
    client.force_login(world.users["facilitator"])
    url = reverse("meetings:group", args=[world.group.pk])
    alone = text(client.get(url))
    client.post(reverse("meetings:group_series_create", args=[world.group.pk]), series_data())

    body = text(client.get(url))

    assert "series-label" not in alone
    sessions = body[body.index('id="session-list"') : body.index("</ul>", body.index('id="session-list"'))]
    assert "Balint des Marolles — séance — Le 1er mardi de chaque mois, à 20:00" in sessions
    assert "Balint du jeudi — Chaque semaine le jeudi, à 20:00" in sessions


def test_the_edit_form_labels_the_place_or_link_rule_too(client, world):
    client.force_login(world.users["coordinator"])

    body = text(client.get(reverse("meetings:meeting_edit", args=[world.thematic.pk])))

    place_or_link = body[
        body.index('id="place-or-link"') : body.index("</fieldset>", body.index('id="place-or-link"'))
    ]
    assert 'id="id_place"' in place_or_link and 'id="id_online_link"' in place_or_link
    assert "facultatif" not in place_or_link
    assert body.count('id="id_online_link"') == 1


def test_moving_this_and_the_following_sessions_off_the_rule_is_refused(client, world):
    session = world.session
    before = (session.series.rrule, session.series.dtstart, session.series.occurrences.count())
    client.force_login(world.users["facilitator"])

    response = client.post(
        reverse("meetings:meeting_edit", args=[session.pk]),
        {
            "scope": "following",
            "title": session.title,
            "day": "2026-12-02",  # a Wednesday; the series meets on first Tuesdays
            "start_time": "20:00",
            "end_time": "21:30",
            "place": session.place,
            **AGENDA,
        },
    )

    assert response.status_code == 200
    assert (
        "Le mercredi 2 décembre 2026 ne suit pas la règle « Le 1er mardi de chaque mois, à 20:00 »"
        in text(response)
    )
    session.series.refresh_from_db()
    assert (session.series.rrule, session.series.dtstart, session.series.occurrences.count()) == before


def test_the_people_to_invite_when_known_are_compared_instead_of_the_group(world):
    users = world.users
    windows = [(world.concertation.start, world.concertation.end)]

    strangers = queries.possible_duplicates(
        windows=windows, organiser=users["facilitator"], people={users["outsider"].pk, "guest@example.test"}
    )
    same = queries.possible_duplicates(
        windows=windows, organiser=users["facilitator"], people={users["member"].pk, "guest@example.test"}
    )

    assert strangers == []
    assert [d.meeting for d in same] == [world.concertation]

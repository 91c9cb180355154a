"""Creating a poll: the form and its page. Each bad input is refused beside its field with its
message and nothing written; a good poll is written with its slots (or a series' patterns)."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.kinds import Kind
from meetings.polls.forms import PollForm, parse_line
from meetings.polls.models import Poll, PollMode, PollSlot
from meetings.polls.services.polls import poll_create
from meetings.polls.slots import at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "/polls/new/"
# Nothing to generate: the slots are typed.
TYPED = {"gen_weekdays": [], "gen_start": "", "gen_end": "", "gen_first_day": ""}


def data(world, **fields) -> dict:
    """The facilitator's poll for the Balint group: "mardis et jeudis 12:30–14:00 pendant 3 semaines"."""
    base = {
        "network": world.network.pk,
        "kind": Kind.BALINT,
        "group": world.group.pk,
        "mode": PollMode.MEETING,
        "title": "Balint : séance extraordinaire",
        "place": "Rue Haute 100, 1000 Bruxelles",
        "duration": "",
        "deadline_day": "2026-11-23",
        "deadline_time": "18:00",
        "gen_weekdays": ["1", "3"],
        "gen_start": "12:30",
        "gen_end": "14:00",
        "gen_first_day": "2026-11-23",
        "gen_weeks": "3",
        "slot_lines": "",
        "session_count": "",
    }
    return {**base, **fields}


def post(client, user, payload):
    client.force_login(user)
    return client.post(NEW, payload)


@pytest.fixture
def facilitator(world):
    return world.users["facilitator"]


# The page


def test_the_page_offers_the_groups_one_manages_and_explains_a_private_poll(client, world, facilitator):
    client.force_login(facilitator)

    body = client.get(NEW).content.decode()

    assert "Nouveau sondage de date" in body
    assert world.group.name in body
    assert "ne voient ni les noms ni les réponses des autres" in body
    assert 'hx-get="/polls/new/preview/"' in body
    assert 'formaction="/polls/new/preview/"' in body  # the preview without JavaScript


def test_someone_in_no_network_is_refused_with_a_clear_page(client):
    client.force_login(UserFactory())

    for response in (client.get(NEW), client.post(NEW, {}), client.get(reverse("polls:preview"))):
        assert response.status_code == 403
        assert "Vous ne pouvez proposer de sondage dans aucun réseau" in response.content.decode()
    assert not Poll.objects.exists()


# Good polls


def test_generated_slots_make_a_poll_with_six_slots(client, world, facilitator):
    response = post(client, facilitator, data(world))

    poll = Poll.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("polls:detail", args=[poll.pk])
    assert (poll.organiser, poll.group, poll.kind, poll.mode) == (
        facilitator,
        world.group,
        Kind.BALINT,
        "meeting",
    )
    assert poll.deadline == at(date(2026, 11, 23), time(18))
    assert poll.duration == timedelta(minutes=90)
    assert not poll.private and poll.session_count is None
    assert [s.start for s in poll.slots.all()] == [
        at(d, time(12, 30))
        for d in [
            date(2026, 11, 24),
            date(2026, 11, 26),
            date(2026, 12, 1),
            date(2026, 12, 3),
            date(2026, 12, 8),
            date(2026, 12, 10),
        ]
    ]
    assert {s.end - s.start for s in poll.slots.all()} == {timedelta(minutes=90)}


def test_typed_slots_add_to_generated_ones_each_once(client, world, facilitator):
    lines = "24/11/2026 12:30-14:00\n\n2026-11-25 08:00–09:30\n27.11.2026 12h30 - 14h"
    payload = data(world, slot_lines=lines, gen_weeks="1", private="on")

    post(client, facilitator, payload)

    poll = Poll.objects.get()
    assert poll.private
    assert [s.start for s in poll.slots.all()] == [
        at(date(2026, 11, 24), time(12, 30)),  # generated and typed: once
        at(date(2026, 11, 25), time(8)),
        at(date(2026, 11, 26), time(12, 30)),
        at(date(2026, 11, 27), time(12, 30)),
    ]


def test_a_line_without_its_end_lasts_the_duration(client, world, facilitator):
    post(client, facilitator, data(world, **TYPED, slot_lines="2026-11-30T10:00", duration="45"))

    slot = PollSlot.objects.get()
    assert (slot.start, slot.end) == (at(date(2026, 11, 30), time(10)), at(date(2026, 11, 30), time(10, 45)))
    assert slot.poll.duration == timedelta(minutes=45)


def test_a_series_poll_is_written_with_its_patterns(client, world, facilitator):
    payload = data(
        world,
        mode=PollMode.SERIES,
        duration="90",
        session_count="10",
        pattern_0_rhythm="1",
        pattern_0_weekday="1",
        pattern_0_start="12:30",
        pattern_1_rhythm="3",
        pattern_1_weekday="3",
        pattern_1_start="12:30",
        pattern_2_rhythm="weekly",
        pattern_2_weekday="0",
        pattern_2_start="20:00",
    )

    response = post(client, facilitator, payload)

    poll = Poll.objects.get()
    assert response.status_code == 302
    assert (poll.mode, poll.session_count, poll.duration) == ("series", 10, timedelta(minutes=90))
    # The generated slots typed for a meeting do not apply to a series; each pattern's first
    # session comes after the deadline (Monday 23 November, 18:00).
    assert [(s.start, s.rrule) for s in poll.slots.all()] == [
        (at(date(2026, 11, 30), time(20)), "FREQ=WEEKLY;BYDAY=MO;COUNT=10"),
        (at(date(2026, 12, 1), time(12, 30)), "FREQ=MONTHLY;BYDAY=+1TU;COUNT=10"),
        (at(date(2026, 12, 17), time(12, 30)), "FREQ=MONTHLY;BYDAY=+3TH;COUNT=10"),
    ]


def test_a_member_may_propose_a_meeting_on_invitation(client, world):
    payload = data(world, kind=Kind.CONCERTATION, group="", title="Concertation : quelle date ?")

    response = post(client, world.users["member"], payload)

    assert response.status_code == 302
    assert Poll.objects.get().organiser == world.users["member"]


# Bad input: refused beside the field, nothing written


def refused(client, user, payload, field_text: str, status: int = 400) -> str:
    response = post(client, user, payload)
    body = response.content.decode()
    assert response.status_code == status, body[:2000]
    assert field_text in body
    assert not Poll.objects.exists()
    assert not PollSlot.objects.exists()
    return body


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        (TYPED, "Proposez au moins un créneau", "slot_lines"),
        ({"gen_weekdays": []}, "Cochez au moins un jour pour générer les créneaux.", "gen_weekdays"),
        ({"gen_first_day": "2026-11-17"}, "Un créneau proposé est déjà passé.", "gen_first_day"),
        ({"gen_end": "12:00"}, "La fin doit être après le début.", "gen_end"),
        ({"gen_start": ""}, "Indiquez l&#x27;heure de début des créneaux.", "gen_start"),
        ({"gen_end": "", "duration": ""}, "Indiquez l&#x27;heure de fin des créneaux", "gen_end"),
        (
            {"gen_start": "06:00", "gen_end": "19:00"},
            "Une réunion ne peut pas durer plus de 12 heures.",
            "gen_end",
        ),
        ({"deadline_day": "2026-11-18"}, "La date limite des réponses est déjà passée.", "deadline_day"),
        (
            {"deadline_day": "2027-12-01"},
            "La date limite doit tomber dans l&#x27;année qui vient.",
            "deadline_day",
        ),
        ({"kind": Kind.INTERVISION}, "Le groupe choisi n&#x27;est pas de ce type ou de ce réseau.", "group"),
        ({"group": ""}, "se décident avec son groupe", "group"),
        ({"place": ""}, "Indiquez un lieu, un lien de visioconférence, ou les deux.", "place"),
        ({"gen_weeks": "9"}, "inférieure ou égale à 8", "gen_weeks"),
    ],
)
def test_bad_input_is_refused_beside_its_field(client, world, facilitator, fields, message, field):
    body = refused(client, facilitator, data(world, **fields), message)

    assert message in field_block(body, field)


def field_block(body: str, name: str) -> str:
    """The part of the page that shows field NAME (templates/_field.html): its label, input,
    help and errors."""
    blocks = [b for b in body.split('<div class="field')[1:] if f'name="{name}"' in b]
    assert len(blocks) == 1, name
    return blocks[0]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("18/11/2026 12:30-14:00", "ce créneau est déjà passé"),
        ("24/11/2026 14:00-12:30", "la fin doit être après le début"),
        ("24/11/2026 08:00-21:00", "une réunion ne peut pas durer plus de 12 heures"),
        ("31/11/2026 12:30-14:00", "cette date ou cette heure n&#x27;existe pas"),
        ("mardi prochain", "écrivez la date puis les heures"),
        ("24/11/2026 12:30", "indiquez l&#x27;heure de fin, ou la durée plus haut"),
    ],
)
def test_a_bad_line_is_named(client, world, facilitator, line, reason):
    lines = f"25/11/2026 12:30-14:00\n{line}"

    body = refused(client, facilitator, data(world, **TYPED, slot_lines=lines), reason)

    assert f"Ligne 2 (« {line} ») : {reason}" in body.replace("&quot;", '"')


def test_more_than_a_hundred_slots_are_refused(client, world, facilitator):
    start = date(2026, 12, 1)
    lines = "\n".join(f"{start + timedelta(days=n):%d/%m/%Y} 12:30-14:00" for n in range(101))

    refused(
        client,
        facilitator,
        data(world, **TYPED, slot_lines=lines),
        "Un sondage propose au plus 100 créneaux (ici 101).",
    )


def test_a_meeting_reserved_to_the_coordination_is_refused_to_a_member(client, world):
    payload = data(world, kind=Kind.THEMATIC, group="", title="Thématique : quelle date ?")

    refused(
        client,
        world.users["member"],
        payload,
        "Seule la coordination du réseau peut proposer ce type de réunion.",
    )


def test_a_group_one_does_not_manage_cannot_be_chosen(client, world):
    refused(client, world.users["member"], data(world), "Sélectionnez un choix valide")


def test_a_series_needs_its_sessions_count_duration_and_a_pattern(client, world, facilitator):
    series = data(world, mode=PollMode.SERIES)

    refused(client, facilitator, series, "Proposez au moins un rythme de séances.")
    body = refused(
        client,
        facilitator,
        {**series, "pattern_0_rhythm": "2", "pattern_0_start": "12:30"},
        "Indiquez le nombre de séances.",
    )
    assert "Indiquez la durée de chaque séance." in body
    refused(
        client,
        facilitator,
        {
            **series,
            "pattern_0_rhythm": "2",
            "pattern_0_start": "12:30",
            "duration": "90",
            "session_count": "60",
        },
        "inférieure ou égale à 52",
    )


def test_a_series_without_a_group_is_for_the_coordination(client, world):
    payload = data(
        world,
        kind=Kind.THEMATIC,
        group="",
        mode=PollMode.SERIES,
        duration="120",
        session_count="6",
        pattern_0_rhythm="2",
        pattern_0_weekday="3",
        pattern_0_start="09:30",
    )

    refused(
        client,
        world.users["member"],
        payload,
        "Seule la coordination du réseau peut programmer une série sans groupe.",
    )
    assert post(client, world.users["coordinator"], payload).status_code == 302
    assert Poll.objects.get().slots.get().rrule == "FREQ=MONTHLY;BYDAY=+2TH;COUNT=6"


def test_the_service_checks_again_and_its_refusal_shows_beside_the_field(world, facilitator):
    form = PollForm(data(world), user=facilitator)
    assert form.is_valid(), form.errors
    # Time passes between the check and the save: the deadline is now behind.
    form.now = at(date(2026, 11, 24), time(9))
    with pytest.raises(ValidationError) as refusal:
        poll_create(**form.service_arguments())
    form.add_service_error(refusal.value)

    assert form.errors["deadline_day"] == ["La date limite des réponses est déjà passée."]
    assert not Poll.objects.exists()


def test_lines_in_every_accepted_shape():
    duration = timedelta(minutes=60)
    expected = (at(date(2026, 11, 24), time(12, 30)), at(date(2026, 11, 24), time(14)))
    for line in [
        "24/11/2026 12:30-14:00",
        "2026-11-24 12:30–14:00",
        "24.11.2026 12h30 - 14h",
        " 24/11/2026 12:30 — 14:00 ",
    ]:
        candidate = parse_line(line, duration=duration)
        assert (candidate.start, candidate.end) == expected, line


# The preview


def test_the_preview_shows_the_slots_the_form_would_make(client, world, facilitator):
    client.force_login(facilitator)

    response = client.get(reverse("polls:preview"), data(world, title=""), HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "<html" not in body
    assert "6 créneaux proposés" in body
    assert "mardi 24 novembre 2026 à 12:30–14:00" in body
    assert "jeudi 10 décembre 2026 à 12:30–14:00" in body
    assert "obligatoire" not in body  # the missing title is for later
    assert not Poll.objects.exists()


def test_the_preview_of_a_series_says_each_rule_and_its_next_dates(client, world, facilitator):
    client.force_login(facilitator)
    payload = data(
        world,
        mode=PollMode.SERIES,
        duration="90",
        session_count="10",
        pattern_0_rhythm="1",
        pattern_0_weekday="1",
        pattern_0_start="12:30",
        pattern_1_rhythm="-1",
        pattern_1_weekday="3",
        pattern_1_start="12:30",
    )

    body = client.get(reverse("polls:preview"), payload, HTTP_HX_REQUEST="true").content.decode()

    assert "Le 1er mardi de chaque mois, à 12:30, 10 séances" in body
    assert "Le dernier jeudi de chaque mois, à 12:30, 10 séances" in body
    assert "mardi 1 décembre 2026 à 12:30" in body and "mardi 2 mars 2027 à 12:30" in body
    assert "jeudi 26 novembre 2026 à 12:30" in body


def test_without_javascript_the_preview_is_the_whole_form_again(client, world, facilitator):
    client.force_login(facilitator)

    response = client.get(reverse("polls:preview"), data(world, gen_first_day="2026-11-10"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and 'action="/polls/new/"' in body
    assert "Un créneau proposé est déjà passé." in body
    assert 'value="Balint : séance extraordinaire"' in body


def test_a_link_from_a_group_starts_the_form_with_it(client, world, facilitator):
    client.force_login(facilitator)

    form = client.get(NEW, {"group": world.group.pk}).context["form"]
    other = client.get(NEW, {"group": "999999"}).context["form"]

    assert (form["group"].value(), form["kind"].value()) == (world.group.pk, Kind.BALINT)
    assert other["group"].value() is None


def test_a_pattern_needs_its_day_and_time(client, world, facilitator):
    payload = data(
        world,
        mode=PollMode.SERIES,
        duration="90",
        session_count="10",
        pattern_0_rhythm="1",
        pattern_0_weekday="",
    )

    body = refused(client, facilitator, payload, "Choisissez le jour.")

    assert "Indiquez l&#x27;heure des séances." in field_block(body, "pattern_0_start")
    assert "Choisissez le jour." in field_block(body, "pattern_0_weekday")


def test_generated_slots_without_an_end_last_the_duration(client, world, facilitator):
    post(client, facilitator, data(world, gen_end="", duration="60", gen_weeks="1"))

    assert [(s.start, s.end) for s in PollSlot.objects.all()] == [
        (at(date(2026, 11, 24), time(12, 30)), at(date(2026, 11, 24), time(13, 30))),
        (at(date(2026, 11, 26), time(12, 30)), at(date(2026, 11, 26), time(13, 30))),
    ]


def test_a_group_of_another_network_is_refused(client, world):
    from meetings.services.groups import group_create

    coordinator = world.users["coordinator"]
    world.other_network.coordinators.add(coordinator)
    elsewhere = group_create(
        network=world.other_network,
        kind=Kind.BALINT,
        name="Balint voisin",
        facilitators=[coordinator],
        members=[],
        charter="Ce qui se dit ici reste ici.",
        by=coordinator,
    )

    body = refused(client, coordinator, data(world, group=elsewhere.pk), "ou de ce réseau.")

    assert "Le groupe choisi n&#x27;est pas de ce type ou de ce réseau." in field_block(body, "group")

"""The answer page of a logged-in participant: shows the slots in the person's time zone, a
pattern's rule and dates, their conflicts (never what they are), nobody else; GET records
nothing, POST records and comes back (PRG); a closed poll shows the answers read-only."""

from datetime import date, time, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from meetings.kinds import Kind
from meetings.models import Invitation
from meetings.polls.models import BusyInterval, Poll, PollAnswer, PollStatus
from meetings.polls.services.answers import record_answers
from meetings.polls.slots import at
from meetings.services.meetings import meeting_create
from tests.polls.conftest import ask, make_series_poll

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Situation de Mme Dupont, sortie d'hôpital"


class _Radios(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.checked, self.disabled, self.forms = {}, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(a.get("action", ""))
        if tag == "input" and a.get("type") == "radio":
            if "checked" in a:
                self.checked[a["name"]] = a["value"]
            if "disabled" in a:
                self.disabled.append(a["name"])


def radios(response) -> _Radios:
    parser = _Radios()
    parser.feed(response.content.decode())
    return parser


def text(response) -> str:
    return unescape(response.content.decode())


def answer_url(poll) -> str:
    return reverse("polls:answer", kwargs={"pk": poll.pk})


def post_answers(client, poll, choices: dict, time_zone="Europe/Brussels"):
    data = {f"slot_{pk}": choice for pk, choice in choices.items()}
    return client.post(answer_url(poll), {**data, "time_zone": time_zone})


def stored(participant) -> dict:
    return dict(PollAnswer.objects.filter(participant=participant).values_list("slot_id", "choice"))


@pytest.fixture
def member_client(client, poll_world):
    client.force_login(poll_world.world.users["member"])
    return client


def test_the_page_shows_each_slot_and_records_nothing_on_get(member_client, poll_world):
    poll, member = poll_world.poll, poll_world.member

    shown = member_client.get(answer_url(poll))
    member_client.head(answer_url(poll))

    page = text(shown)
    assert shown.status_code == 200
    assert "mardi 24 novembre 2026, 12:30–14:00" in page
    assert "jeudi 26 novembre 2026, 12:30–14:00" in page
    assert "mardi 1 décembre 2026, 12:30–14:00" in page
    assert page.count('<fieldset class="poll-slot') == 3
    assert "Rien n'est encore enregistré" in page
    assert stored(member) == {}
    member.refresh_from_db()
    assert member.answered_at is None


def test_sending_records_then_the_page_shows_the_answers(member_client, poll_world):
    poll, member = poll_world.poll, poll_world.member
    first, second, third = poll.slots.all()

    sent = post_answers(member_client, poll, {first.pk: "yes", second.pk: "maybe", third.pk: "no"})
    shown = member_client.get(sent.url)

    assert sent.status_code == 302 and sent.url == answer_url(poll)
    assert stored(member) == {first.pk: "yes", second.pk: "maybe", third.pk: "no"}
    assert "Merci, vos réponses sont enregistrées." in text(shown)
    assert radios(shown).checked == {
        f"slot_{first.pk}": "yes",
        f"slot_{second.pk}": "maybe",
        f"slot_{third.pk}": "no",
    }
    assert "Vos réponses sont enregistrées" in text(shown)


def test_a_slot_left_out_re_renders_with_the_message_and_changes_nothing(member_client, poll_world):
    poll, member = poll_world.poll, poll_world.member
    first, second, _third = poll.slots.all()

    refused = post_answers(member_client, poll, {first.pk: "yes", second.pk: "no"})

    assert refused.status_code == 400
    page = text(refused)
    assert "Répondez pour chaque créneau" in page and "mardi 1 décembre 2026" in page
    # What the person chose stays chosen on the page, nothing is stored.
    assert radios(refused).checked == {f"slot_{first.pk}": "yes", f"slot_{second.pk}": "no"}
    assert stored(member) == {}


def test_times_are_shown_in_the_persons_time_zone_and_the_slot_is_unchanged(member_client, poll_world):
    poll = poll_world.poll
    choices = {slot.pk: "yes" for slot in poll.slots.all()}

    post_answers(member_client, poll, choices, time_zone="Europe/London")
    page = text(member_client.get(answer_url(poll)))

    assert "mardi 24 novembre 2026, 11:30–13:00" in page
    assert "Europe/London" in page
    assert poll.slots.first().start == at(date(2026, 11, 24), time(12, 30))


def test_someone_not_asked_gets_404_and_anonymous_people_log_in(client, poll_world):
    poll = poll_world.poll
    client.force_login(poll_world.world.users["outsider"])
    assert client.get(answer_url(poll)).status_code == 404
    assert client.post(answer_url(poll), {"time_zone": "Europe/Brussels"}).status_code == 404
    client.logout()
    assert client.get(answer_url(poll)).status_code == 302
    assert not PollAnswer.objects.exists()


def test_a_series_pattern_shows_its_rule_in_words_and_its_next_dates(client, world):
    poll = make_series_poll(world)
    ask(poll, world)
    client.force_login(world.users["member"])

    page = text(client.get(answer_url(poll)))

    assert "Le 1er mardi de chaque mois, à 12:30" in page
    assert "Le 3e jeudi de chaque mois, à 12:30" in page
    assert "mardi 1 décembre 2026, 12:30–14:00" in page
    assert "mardi 5 janvier 2027, 12:30–14:00" in page
    assert "jeudi 21 janvier 2027, 12:30–14:00" in page


def test_a_conflict_is_marked_without_the_other_meetings_title(member_client, poll_world):
    world, poll = poll_world.world, poll_world.poll
    other = meeting_create(
        network=world.network,
        kind=Kind.CONCERTATION,
        title=SECRET_TITLE,
        start=at(date(2026, 11, 26), time(13, 0)),
        end=at(date(2026, 11, 26), time(14, 0)),
        organiser=world.users["coordinator"],
        place="Maison médicale",
    )
    Invitation.objects.create(meeting=other, user=world.users["member"], email=world.users["member"].email)

    page = text(member_client.get(answer_url(poll)))

    assert page.count("Déjà pris dans votre agenda") == 1
    second = poll.slots.all()[1]
    block = page[page.index(f'id="slot-{second.pk}"') :]
    assert block.index("Déjà pris dans votre agenda") < block.index("</fieldset>")
    assert SECRET_TITLE not in page and "Mme Dupont" not in page


def test_the_page_names_nobody_else(client, private_poll_world):
    world, poll = private_poll_world.world, private_poll_world.poll
    record_answers(participant=private_poll_world.guest, choices={s.pk: "yes" for s in poll.slots.all()})
    client.force_login(world.users["member"])

    page = text(client.get(answer_url(poll)))

    assert "Invitée du CPAS" not in page
    assert "invitee@partenaire.test" not in page
    assert world.users["pending"].email not in page
    assert world.users["pending"].get_full_name() not in page


def test_after_the_deadline_the_page_is_read_only_and_a_post_is_refused(member_client, poll_world):
    poll, member = poll_world.poll, poll_world.member
    first, second, third = poll.slots.all()
    record_answers(participant=member, choices={first.pk: "yes", second.pk: "maybe", third.pk: "no"})

    with time_machine.travel(at(date(2026, 11, 23), time(18, 30)), tick=False):
        shown = member_client.get(answer_url(poll))
        refused = post_answers(member_client, poll, {s.pk: "no" for s in (first, second, third)})

    page = text(shown)
    assert "Ce sondage est clos" in page
    assert "Enregistrer mes réponses" not in page
    assert 'id="my-answers"' in page and "si nécessaire" in page
    assert refused.status_code == 400
    assert "Ce sondage est clos : les réponses ne sont plus possibles." in text(refused)
    assert stored(member) == {first.pk: "yes", second.pk: "maybe", third.pk: "no"}


def test_a_poll_stopped_by_its_organiser_refuses_answers(member_client, poll_world):
    poll = poll_world.poll
    Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED)

    refused = post_answers(member_client, poll, {s.pk: "yes" for s in poll.slots.all()})

    assert "Ce sondage est clos" in text(refused)
    assert not PollAnswer.objects.exists()


def test_the_calendar_line_says_whether_and_when_it_was_read(member_client, poll_world):
    poll, member = poll_world.poll, poll_world.member
    before = text(member_client.get(answer_url(poll)))
    member.calendar_read_at = at(date(2026, 11, 19), time(9, 15))
    member.save(update_fields=["calendar_read_at"])
    BusyInterval.objects.create(
        participant=member, start=at(date(2026, 11, 24), time(12, 0)), end=at(date(2026, 11, 24), time(13, 0))
    )

    after = text(member_client.get(answer_url(poll)))

    assert "Votre agenda n'a pas été lu" in before
    assert "oubliés à la clôture du sondage" in before
    assert "Votre agenda a été lu le jeudi 19 novembre 2026, 09:15" in after
    assert after.count("Déjà pris dans votre agenda") == 1
    assert (
        reverse("polls:calendar", kwargs={"pk": poll.pk}) in radios(member_client.get(answer_url(poll))).forms
    )


def test_an_organiser_of_a_poll_who_is_not_asked_has_no_answer_page(client, poll_world):
    client.force_login(poll_world.world.users["facilitator"])
    assert client.get(answer_url(poll_world.poll)).status_code == 404


def test_the_page_takes_as_many_queries_for_30_slots_as_for_3(client, world):
    """Conflicts and answers are read for all slots at once, never one query per slot."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.polls import tokens
    from tests.polls.conftest import make_poll

    counts = []
    for days in ([date(2026, 11, 24) + timedelta(days=n) for n in range(count)] for count in (3, 30)):
        poll = make_poll(world, days=days)
        _member, _pending, guest = ask(poll, world)
        record_answers(participant=guest, choices={slot.pk: "yes" for slot in poll.slots.all()})
        path = tokens.link_path(guest)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

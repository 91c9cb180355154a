"""Outcomes shaped by the kind, follow-up actions, closing and its lock, feedback anonymity."""

from datetime import time, timedelta
from html import unescape

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings.attendance.services import roll_call as att
from meetings.followup.models import Action, ActionStatus, Feedback, Outcome
from meetings.followup.services import outcomes as out
from meetings.followup.services.reminders import open_actions_for
from meetings.kinds import Kind
from meetings.models import Meeting, MeetingStatus
from meetings.recurrence import local_start
from meetings.services.meetings import meeting_create
from tests.factories import OrganisationFactory, professional_in
from tests.pages import panel

pytestmark = pytest.mark.django_db


def record(world, meeting=None, **kwargs):
    meeting = meeting or world.concertation
    kwargs.setdefault("summary", "La sortie est préparée avec l'équipe mobile.")
    with time_machine.travel(meeting.end + timedelta(minutes=5), tick=False):
        return out.outcome_record(meeting=meeting, by=world.users["facilitator"], **kwargs)


def action(world, description="Appeler le service social", owner="member", due_days=10):
    meeting = world.concertation
    return out.NewAction(
        description, world.users[owner] if owner else None, meeting.start.date() + timedelta(due_days)
    )


def test_outcome_with_decisions_and_actions(world):
    outcome = record(world, decisions=["Revoir dans un mois", " "], actions=[action(world)])

    world.concertation.refresh_from_db()
    assert outcome.decisions == ["Revoir dans un mois"]
    assert world.concertation.status == MeetingStatus.HELD
    assert list(Action.objects.values_list("description", "owner__email", "status")) == [
        ("Appeler le service social", "member@example.test", "open")
    ]


@pytest.mark.parametrize(
    ("owner", "due_days", "code"),
    [(None, 10, "action_owner"), ("member", None, "action_due_date"), ("outsider", 10, "action_owner")],
)
def test_action_without_owner_or_due_date_or_by_an_outsider_is_refused(world, owner, due_days, code):
    bad = out.NewAction(
        "Écrire au médecin",
        world.users[owner] if owner else None,
        None if due_days is None else world.concertation.start.date() + timedelta(due_days),
    )

    with pytest.raises(ValidationError) as error:
        record(world, actions=[action(world), bad])

    assert error.value.code == code
    assert not Action.objects.exists()
    assert not Outcome.objects.exists()


def test_balint_keeps_themes_only(world):
    with pytest.raises(ValidationError) as error:
        record(world, meeting=world.session, decisions=["Une décision"])

    assert error.value.code == "no_decisions"
    assert not Outcome.objects.exists()


def test_balint_outcome_with_actions_is_refused(world):
    with pytest.raises(ValidationError) as error:
        record(world, meeting=world.session, summary="La juste distance.", actions=[action(world)])

    assert error.value.code == "no_decisions"
    assert not Outcome.objects.exists()
    assert not Action.objects.exists()


def test_balint_themes_naming_someone_are_refused_with_what_was_found(world):
    themes = "Le médecin face à Madame Sylvie Verstraeten, qui ne revient pas."

    with pytest.raises(ValidationError) as error:
        record(world, meeting=world.session, summary=themes)

    assert error.value.code == "identifying"
    assert [finding.text for finding in error.value.params["findings"]] == ["Madame Sylvie Verstraeten"]
    assert not Outcome.objects.exists()
    world.session.refresh_from_db()
    assert world.session.status == MeetingStatus.SCHEDULED


def test_balint_themes_naming_someone_are_refused_even_when_confirmed(world):
    themes = "Le médecin face à Madame Sylvie Verstraeten, qui ne revient pas."

    with pytest.raises(ValidationError) as error:
        record(world, meeting=world.session, summary=themes, confirmed_anonymous=True)

    assert error.value.code == "identifying"
    assert "sans exception" in error.value.messages[0]
    assert [finding.text for finding in error.value.params["findings"]] == ["Madame Sylvie Verstraeten"]
    assert not Outcome.objects.exists()
    world.session.refresh_from_db()
    assert world.session.status == MeetingStatus.SCHEDULED


def test_balint_outcome_page_offers_no_override_and_saves_nothing(client, world):
    client.force_login(world.users["facilitator"])
    url = reverse("followup:outcome", args=[world.session.pk])
    themes = "Le médecin face à Madame Sylvie Verstraeten, qui ne revient pas."

    with time_machine.travel(world.session.end + timedelta(minutes=10)):
        form_page = unescape(client.get(url).content.decode())
        response = client.post(url, {"summary": themes, "confirm_anonymous": "on"})
    page = unescape(response.content.decode())

    assert 'name="confirm_anonymous"' not in form_page
    assert response.status_code == 200
    assert 'id="outcome-findings"' in page and "Madame Sylvie Verstraeten" in page
    assert "aucun écrit qui permette d'identifier une personne, sans exception" in page
    assert 'name="confirm_anonymous"' not in page
    assert not Outcome.objects.exists()


def test_balint_themes_are_short(world):
    limit = world.session.policy.outcome_max_length
    themes = "La juste distance ; la fatigue de fin de journée. "

    outcome = record(world, meeting=world.session, summary=(themes * 20)[: limit - 1] + ".")

    assert limit == 500
    assert len(Outcome.objects.get(pk=outcome.pk).summary) == limit


def test_balint_themes_too_long_are_refused_by_the_service_and_the_form(client, world):
    limit = world.session.policy.outcome_max_length
    themes = "La juste distance ; la fatigue de fin de journée. " * 20

    with pytest.raises(ValidationError) as error:
        record(world, meeting=world.session, summary=themes[: limit + 1])
    client.force_login(world.users["facilitator"])
    with time_machine.travel(world.session.end + timedelta(minutes=10)):
        response = client.post(reverse("followup:outcome", args=[world.session.pk]), {"summary": themes})

    assert error.value.code == "too_long"
    assert "500 caractères au plus" in error.value.messages[0]
    assert response.status_code == 200
    assert "au plus 500 caractères" in unescape(response.content.decode())
    assert not Outcome.objects.exists()
    world.session.refresh_from_db()
    assert world.session.status == MeetingStatus.SCHEDULED


def test_only_kinds_without_written_case_material_refuse_identities_outright():
    from meetings.kinds import POLICIES

    refusing = {kind for kind, policy in POLICIES.items() if policy.refuses_identities_in_outcome}

    assert refusing == {
        kind
        for kind, policy in POLICIES.items()
        if policy.checks_outcome_for_identities and not policy.written_case_material
    }
    assert "balint" in refusing
    assert all(POLICIES[kind].written_case_material is False for kind in refusing)


def test_balint_outcome_form_says_no_clinical_content_and_asks_no_actions(client, world):
    client.force_login(world.users["facilitator"])

    with time_machine.travel(world.session.end):
        body = unescape(client.get(reverse("followup:outcome", args=[world.session.pk])).content.decode())

    assert "Pas de contenu clinique" in body
    assert "Thèmes abordés" in body
    assert 'id="action-forms"' not in body
    assert 'name="decisions"' not in body


def test_outcome_before_the_meeting_or_by_a_member_is_refused(world):
    with time_machine.travel(world.concertation.start - timedelta(hours=1)), pytest.raises(ValidationError):
        out.outcome_record(meeting=world.concertation, by=world.users["facilitator"], summary="Trop tôt")
    with time_machine.travel(world.concertation.end), pytest.raises(PermissionDenied):
        out.outcome_record(meeting=world.concertation, by=world.users["member"], summary="Pas moi")

    assert not Outcome.objects.exists()


def test_closing_needs_an_outcome_then_locks_attendance_and_outcome(world):
    meeting, facilitator = world.concertation, world.users["facilitator"]
    with time_machine.travel(meeting.end + timedelta(minutes=1), tick=False):
        with pytest.raises(ValidationError) as no_outcome:
            out.meeting_close(meeting=meeting, by=facilitator)
        record(world)
        att.record_roll_call(
            meeting=meeting, by=facilitator, marks={f"u{world.users['member'].pk}": att.Mark("present")}
        )
        out.meeting_close(meeting=meeting, by=facilitator)
        meeting.refresh_from_db()
        with pytest.raises(ValidationError) as locked_outcome:
            out.outcome_record(meeting=meeting, by=facilitator, summary="Changé après coup")
        with pytest.raises(ValidationError) as locked_attendance:
            att.record_roll_call(
                meeting=meeting, by=facilitator, marks={f"u{world.users['member'].pk}": att.Mark("absent")}
            )

    assert no_outcome.value.code == "no_outcome"
    assert meeting.status == MeetingStatus.CLOSED and meeting.closed_at is not None
    assert (locked_outcome.value.code, locked_attendance.value.code) == ("closed", "closed")
    assert Outcome.objects.get().summary.startswith("La sortie")
    assert meeting.attendances.get().status == "present"


def test_an_outcome_for_a_meeting_closed_meanwhile_is_refused(world):
    record(world)
    seen_before_closing = Meeting.objects.get(pk=world.concertation.pk)
    with time_machine.travel(world.concertation.end + timedelta(hours=1)):
        out.meeting_close(meeting=world.concertation, by=world.users["facilitator"])

    with pytest.raises(ValidationError) as error:
        record(world, meeting=seen_before_closing, summary="Réécrit", actions=[action(world)])

    assert error.value.code == "closed"
    assert Outcome.objects.get().summary.startswith("La sortie")
    assert not Action.objects.exists()


def test_outcome_button_appears_when_the_service_accepts_an_outcome(client, world):
    meeting = world.concertation
    client.force_login(world.users["facilitator"])
    url, outcome_url = (
        reverse("meetings:meeting", args=[meeting.pk]),
        reverse("followup:outcome", args=[meeting.pk]),
    )

    seen = {}
    for label, when in [
        ("15 minutes before", meeting.start - timedelta(minutes=10)),
        ("at the start", meeting.start),
    ]:
        with time_machine.travel(when, tick=False):
            response = client.get(url)
            try:
                out.check_recordable(meeting, world.users["facilitator"])
                accepted = True
            except ValidationError:
                accepted = False
        seen[label] = (
            panel(response, "followup/_followup.html")["can_record_outcome"],
            outcome_url in response.content.decode(),
            accepted,
        )

    assert seen == {"15 minutes before": (False, False, False), "at the start": (True, True, True)}


def test_close_button_appears_once_the_meeting_ended_with_an_outcome(client, world):
    meeting = world.concertation
    client.force_login(world.users["facilitator"])
    url, close_url = (
        reverse("meetings:meeting", args=[meeting.pk]),
        reverse("followup:meeting_close", args=[meeting.pk]),
    )

    with time_machine.travel(meeting.end + timedelta(minutes=1)):
        without_outcome = close_url in client.get(url).content.decode()
    record(world)
    with time_machine.travel(meeting.end + timedelta(minutes=1)):
        with_outcome = close_url in client.get(url).content.decode()

    assert (without_outcome, with_outcome) == (False, True)


@pytest.mark.parametrize("held", [False, True])
def test_cancel_button_is_offered_after_the_end_exactly_when_cancelling_is_allowed(client, world, held):
    from meetings.services.meetings import meeting_cancel

    meeting = world.concertation
    if held:
        record(world)
    client.force_login(world.users["facilitator"])
    cancel_url = reverse("meetings:meeting_cancel", args=[meeting.pk])

    with time_machine.travel(meeting.end + timedelta(hours=1)):
        offered = cancel_url in client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
        try:
            meeting_cancel(meeting=meeting)
            cancelled = True
        except ValidationError as error:
            assert error.code == "past"
            cancelled = False

    meeting.refresh_from_db()
    assert offered == cancelled == (not held)
    assert meeting.status == (MeetingStatus.HELD if held else MeetingStatus.CANCELLED)


def test_closed_meeting_cannot_be_edited_through_its_page(client, world):
    record(world)
    with time_machine.travel(world.concertation.end + timedelta(hours=1)):
        out.meeting_close(meeting=world.concertation, by=world.users["facilitator"])
    client.force_login(world.users["facilitator"])

    response = client.post(reverse("followup:outcome", args=[world.concertation.pk]), {"summary": "Réécrit"})

    assert response.status_code == 302
    assert Outcome.objects.get().summary.startswith("La sortie")


# Follow-up actions


def test_owner_marks_done_or_drops_with_a_reason(world):
    record(world, actions=[action(world), action(world, "Envoyer le rapport")])
    first, second = Action.objects.order_by("pk")
    member = world.users["member"]

    out.action_done(action=first, by=member)
    with pytest.raises(ValidationError):
        out.action_drop(action=second, by=member, reason="")
    out.action_drop(action=second, by=member, reason="Plus nécessaire")
    with pytest.raises(PermissionDenied):
        out.action_reopen(action=second, by=world.users["pending"])

    assert list(Action.objects.order_by("pk").values_list("status", "drop_reason")) == [
        (ActionStatus.DONE, ""),
        (ActionStatus.DROPPED, "Plus nécessaire"),
    ]


def test_my_actions_page_lists_open_actions_by_due_date(client, world, django_assert_max_num_queries):
    record(world, actions=[action(world, "Deuxième", due_days=20), action(world, "Première", due_days=3)])
    for n in range(5):
        Action.objects.create(
            origin=world.concertation,
            description=f"Autre {n}",
            owner=world.users["member"],
            due_date=world.concertation.start.date() + timedelta(days=30 + n),
            created_by=world.users["facilitator"],
        )
    client.force_login(world.users["member"])

    with django_assert_max_num_queries(8):
        body = client.get(reverse("followup:actions")).content.decode()

    first = world.concertation.start.date() + timedelta(days=3)
    assert body.index("Première") < body.index("Deuxième") < body.index("Autre 4")
    assert f'<time datetime="{first.isoformat()}">' in body


@pytest.mark.parametrize("extra", [1, 8])
def test_my_actions_page_query_count_does_not_grow(client, world, django_assert_num_queries, extra):
    member, facilitator = world.users["member"], world.users["facilitator"]
    for n in range(extra):
        for owner, by in [(member, facilitator), (facilitator, member)]:
            Action.objects.create(
                origin=world.concertation,
                description=f"Action {n}",
                owner=owner,
                due_date=world.concertation.start.date() + timedelta(days=30 + n),
                created_by=by,
            )
    today = timezone.localdate()
    for n in range(extra):  # ended, not closed: hers to close
        day = today - timedelta(days=2 + n)
        meeting_create(
            network=world.network,
            kind=Kind.THEMATIC,
            title=f"À clôturer {n}",
            start=local_start(day, time(9, 0)),
            end=local_start(day, time(10, 0)),
            organiser=member,
            place="CPAS",
        )
    client.force_login(member)

    # session, user, the open actions I own or handed out, the ids of the meetings I should close
    # (organised, my groups' sessions, invited to facilitate), those meetings
    with django_assert_num_queries(5):
        response = client.get(reverse("followup:actions"))

    assert [a.description for a in response.context["mine"]] == [f"Action {n}" for n in range(extra)]
    assert [a.description for a in response.context["given"]] == [f"Action {n}" for n in range(extra)]
    titles = [m.title for m in response.context["to_close"]]
    assert titles == [f"À clôturer {n}" for n in reversed(range(extra))]


def test_actions_given_to_others_appear_for_whoever_gave_them(client, world):
    record(world, actions=[action(world)])
    client.force_login(world.users["facilitator"])

    body = client.get(reverse("followup:actions")).content.decode()

    assert 'id="given-actions"' in body
    assert "Appeler le service social" in body


def test_open_actions_come_back_on_the_next_session_agenda(client, world):
    first, second = list(world.session.series.occurrences.order_by("start")[:2])
    with time_machine.travel(first.end, tick=False):
        out.outcome_record(meeting=first, by=world.users["facilitator"], summary="Thèmes : la fatigue.")
    Action.objects.create(
        origin=first,
        description="Proposer une date de supervision",
        owner=world.users["member"],
        due_date=second.start.date(),
        created_by=world.users["facilitator"],
    )
    done = Action.objects.create(
        origin=first,
        description="Déjà faite",
        owner=world.users["member"],
        due_date=second.start.date(),
        created_by=world.users["facilitator"],
        status=ActionStatus.DONE,
    )
    client.force_login(world.users["member"])

    body = client.get(reverse("meetings:meeting", args=[second.pk])).content.decode()

    member = world.users["member"]
    assert [a.description for a in open_actions_for(second, member)] == ["Proposer une date de supervision"]
    assert list(open_actions_for(first, member)) == []
    assert "Suivi des actions" in body and "Proposer une date de supervision" in body
    assert done.description not in body


@pytest.fixture
def concertation_series(world):
    """Three weekly concertations around the same person, organised by the facilitator."""
    from meetings.kinds import Kind
    from meetings.services.series import series_create

    series = series_create(
        network=world.network,
        kind=Kind.CONCERTATION,
        title="Concertation autour de Madame Y.",
        dtstart=world.concertation.start,
        duration=timedelta(hours=1),
        rrule="FREQ=WEEKLY;COUNT=3",
        organiser=world.users["facilitator"],
        place="Maison médicale",
    )
    return list(series.occurrences.order_by("start"))


def test_carried_actions_of_a_concertation_hidden_from_someone_not_invited_to_their_meeting(
    client, world, concertation_series
):
    first, second, _third = concertation_series
    member, pending = world.users["member"], world.users["pending"]
    second.invitations.create(user=member, email=member.email)  # invited to the second one only
    for meeting in (first, second):
        meeting.invitations.create(user=pending, email=pending.email)
    Action.objects.create(
        origin=first,
        description="Appeler la sœur de Madame Y.",
        owner=world.users["facilitator"],
        due_date=second.start.date(),
        created_by=world.users["facilitator"],
    )

    carried = {
        name: [a.description for a in open_actions_for(second, world.users[name])]
        for name in ("member", "pending", "facilitator")
    }
    pages = {}
    for name in ("member", "pending"):
        client.force_login(world.users[name])
        pages[name] = client.get(reverse("meetings:meeting", args=[second.pk])).content.decode()

    assert carried == {
        "member": [],
        "pending": ["Appeler la sœur de Madame Y."],
        "facilitator": ["Appeler la sœur de Madame Y."],
    }
    assert "Madame Y." not in unescape(pages["member"][pages["member"].index('id="agenda-heading"') :])
    assert "Appeler la sœur de Madame Y." in unescape(pages["pending"])


# Feedback


def attended(world, meeting, role="member"):
    with time_machine.travel(meeting.start, tick=False):
        att.record_roll_call(
            meeting=meeting,
            by=world.users["facilitator"],
            marks={f"u{world.users[role].pk}": att.Mark("present")},
        )


def test_feedback_is_anonymous_to_the_organiser(client, world):
    meeting = world.concertation
    attended(world, meeting)
    with time_machine.travel(meeting.end + timedelta(hours=1)):
        out.feedback_give(
            meeting=meeting, user=world.users["member"], score=4, comment="Très utile pour la sortie"
        )
        out.feedback_give(meeting=meeting, user=world.users["member"], score=5)  # changes the score only
        client.force_login(world.users["facilitator"])
        body = unescape(client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode())

    feedback = Feedback.objects.get()
    assert (feedback.score, feedback.comment) == (5, "Très utile pour la sortie")
    # Nothing in the row points to a person: a keyed hash only, different for another person.
    assert not [f for f in Feedback._meta.concrete_fields if f.related_model is User]
    assert feedback.respondent == out.respondent_key(meeting, world.users["member"])
    assert feedback.respondent != out.respondent_key(meeting, world.users["pending"])
    summary = body[body.index('id="feedback-summary"') :]
    assert "1 avis" in summary and "Très utile pour la sortie" in summary
    assert world.users["member"].get_full_name() not in summary
    assert world.users["member"].email not in summary


def test_feedback_from_someone_absent_is_refused(world):
    attended(world, world.concertation, role="facilitator")
    with time_machine.travel(world.concertation.end + timedelta(hours=1)), pytest.raises(PermissionDenied):
        out.feedback_give(meeting=world.concertation, user=world.users["member"], score=3)

    assert not Feedback.objects.exists()


def test_feedback_form_on_the_meeting_page_shows_and_changes_ones_answer(client, world):
    meeting = world.concertation
    attended(world, meeting)
    client.force_login(world.users["member"])
    url = reverse("meetings:meeting", args=[meeting.pk])

    with time_machine.travel(meeting.end + timedelta(hours=1)):
        out.feedback_give(meeting=meeting, user=world.users["member"], score=2, comment="Trop long")
        body = unescape(client.get(url).content.decode())
        client.post(
            reverse("followup:feedback", args=[meeting.pk]), {"score": "5", "comment": "Finalement utile"}
        )

    form = body[body.index('id="feedback-form"') : body.index("</form>", body.index('id="feedback-form"'))]
    score_inputs = [tag for tag in form.split("<input") if 'name="score"' in tag]
    assert [('value="2"' in tag, "checked" in tag) for tag in score_inputs if "checked" in tag] == [
        (True, True)
    ]
    assert len(score_inputs) == 5
    assert "Cette réunion vous a-t-elle été utile ?" in form
    assert "1 : pas du tout, 5 : tout à fait." in form
    assert 'maxlength="2000"' in form and "Trop long</textarea>" in form
    feedback = Feedback.objects.get()
    assert (feedback.score, feedback.comment) == (5, "Finalement utile")


@pytest.mark.parametrize("extra", [1, 8])
def test_meeting_page_after_the_meeting_does_not_grow_with_people(
    client, world, django_assert_max_num_queries, extra
):
    from meetings.services.invitations import invite_to_meeting, invitee_for

    meeting = world.concertation
    people = [professional_in(OrganisationFactory()) for _ in range(extra)]
    invite_to_meeting(meeting=meeting, invitees=[invitee_for(p) for p in people])
    with time_machine.travel(meeting.start, tick=False):
        att.record_roll_call(
            meeting=meeting,
            by=world.users["facilitator"],
            marks={f"u{p.pk}": att.Mark("present") for p in people},
        )
    record(
        world, actions=[out.NewAction(f"Action {n}", people[n], meeting.start.date()) for n in range(extra)]
    )
    with time_machine.travel(meeting.end + timedelta(hours=1)):
        for person in people:
            out.feedback_give(meeting=meeting, user=person, score=4, comment="Bien")
    client.force_login(world.users["facilitator"])

    # 15: besides the meeting's own, the situations panel asks once whether this concertation
    # belongs to a situation, and the access log writes this read and lists the others'.
    with time_machine.travel(meeting.end + timedelta(hours=2)), django_assert_max_num_queries(15):
        response = client.get(reverse("meetings:meeting", args=[meeting.pk]))

    shown = panel(response, "followup/_followup.html")
    assert shown["counts"]["attended"] == extra
    assert len(shown["actions"]) == extra
    assert shown["feedback_summary"].count == extra


@pytest.fixture
def intervision_session(world):
    from meetings.kinds import Kind
    from meetings.services.groups import group_create
    from meetings.services.meetings import meeting_create

    group = group_create(
        network=world.network,
        kind=Kind.INTERVISION,
        name="Intervision du jeudi",
        facilitators=[world.users["facilitator"]],
        members=[world.users["member"]],
        by=world.users["coordinator"],
    )
    start = world.concertation.start
    session = meeting_create(
        network=world.network,
        kind=Kind.INTERVISION,
        group=group,
        title="Séance",
        start=start,
        end=start + timedelta(minutes=90),
        organiser=world.users["facilitator"],
        place="Maison médicale",
    )
    return session


def test_an_outcome_naming_someone_is_refused_by_the_service_without_confirmation(world, intervision_session):
    summary = "Nous retenons que Madame Sylvie Verstraeten refuse les visites à domicile."

    with time_machine.travel(intervision_session.end), pytest.raises(ValidationError) as error:
        out.outcome_record(meeting=intervision_session, by=world.users["facilitator"], summary=summary)

    assert error.value.code == "identifying"
    assert not Outcome.objects.filter(meeting=intervision_session).exists()


def test_intervision_outcome_naming_someone_asks_for_a_second_look(client, world, intervision_session):
    session = intervision_session
    client.force_login(world.users["facilitator"])
    url = reverse("followup:outcome", args=[session.pk])
    summary = "Nous retenons que Madame Sylvie Verstraeten refuse les visites à domicile."
    data = {"summary": summary, "decisions": "", "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"}

    with time_machine.travel(session.end + timedelta(minutes=10)):
        page = unescape(client.post(url, data).content.decode())
        saved_before = Outcome.objects.filter(meeting=session).exists()
        confirmed = client.post(url, data | {"confirm_anonymous": "on"})

    assert "Ce que nous retenons" in page
    assert 'id="outcome-findings"' in page and "Sylvie Verstraeten" in page
    assert not saved_before
    assert confirmed.status_code == 302
    assert Outcome.objects.get(meeting=session).summary == summary


def test_concertation_outcome_is_hidden_from_who_declined_and_from_the_person_concerned(client, world):
    from meetings.models import InvitationRole
    from meetings.services.invitations import answer, invite_to_meeting, invitee_for

    meeting = world.concertation
    person = professional_in(OrganisationFactory(), email="person@example.test")
    invite_to_meeting(meeting=meeting, invitees=[invitee_for(person, InvitationRole.PERSON_CONCERNED)])
    answer(target=meeting.invitations.get(user=world.users["member"]), partstat="DECLINED")
    record(
        world, summary="Hospitalisation à Brugmann envisagée.", actions=[action(world, owner="facilitator")]
    )
    seen = {}
    with time_machine.travel(meeting.end + timedelta(hours=1)):
        for email in ["member@example.test", "person@example.test", "facilitator@example.test"]:
            client.force_login(User.objects.get(email=email))
            seen[email] = (
                "Brugmann" in client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
            )

    assert seen == {
        "member@example.test": False,
        "person@example.test": False,
        "facilitator@example.test": True,
    }


def test_a_coordinator_has_no_say_on_a_concertations_attendance(world):
    from meetings.attendance import rules as attendance_rules
    from meetings.followup import rules as followup_rules

    coordinator = world.users["coordinator"]
    world.concertation.invitations.create(user=coordinator, email=coordinator.email)

    assert not attendance_rules.can_correct_attendance(coordinator, world.concertation)
    assert not attendance_rules.can_export_attendance(coordinator, world.concertation)
    assert not followup_rules.can_see_feedback(coordinator, world.concertation)
    assert attendance_rules.can_correct_attendance(coordinator, world.thematic)


def test_admin_pages_never_show_a_concertations_title_or_an_actions_wording(client, world):
    record(world, actions=[action(world)])
    admin = User.objects.create_superuser(email="admin@example.test", password="x" * 12)
    client.force_login(admin)
    the_action = Action.objects.get()

    pages = [
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:meetings_meeting_change", args=[world.concertation.pk]),
        reverse("admin:followup_action_changelist"),
        reverse("admin:followup_action_change", args=[the_action.pk]),
        reverse("admin:index"),
    ]
    bodies = [unescape(client.get(url).content.decode()) for url in pages]

    for body in bodies:
        assert "Monsieur Z." not in body
        assert "Appeler le service social" not in body
    assert client.post(pages[3], {"owner": world.users["outsider"].pk}).status_code == 403
    assert Action.objects.get().owner == world.users["member"]

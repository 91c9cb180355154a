"""The report and the plan: goals and actions with one owner each; the référents hear when an
action is done or overdue, the professional who asked hears that the plan moved — never what it says."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.situations.models import ActionStatus, ConcertationReport, PlanAction
from meetings.situations.services import plan as plan_services
from tests.mail import html_body, text_body
from tests.situations.world import CODE, deliver_pending, fresh, held_concertation

ACTION = "Introduire la demande de logement de transit"
GOAL = "Retrouver un logement"


@pytest.fixture
def held(sworld):
    return held_concertation(sworld)


def report_post(client, sworld, held, **extra):
    client.force_login(sworld.users["referent"])
    data = {
        "participants": [
            sworld.members["referent"].pk,
            sworld.members["professional"].pk,
            sworld.members["relative"].pk,
        ],
        "needs": "Un logement stable.",
        "goals": f"{GOAL}\nGarder le lien",
        "next_review": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "action0-description": ACTION,
        "action0-owner": sworld.members["no_secrecy"].pk,
        "action0-due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "action0-revision_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        **extra,
    }
    return client.post(
        reverse("situations:report", kwargs={"pk": sworld.situation.pk, "concertation_id": held.pk}), data
    )


def test_the_report_records_participants_goals_actions_and_the_next_review(
    client, sworld, held, django_capture_on_commit_callbacks
):
    deliver_pending()

    with django_capture_on_commit_callbacks(execute=True):
        response = report_post(client, sworld, held)

    assert response.status_code == 302
    report = held.report
    participants = {p.member: p.discipline for p in report.participants.all()}
    assert participants[sworld.members["professional"]] == "Médecin généraliste"
    assert participants[sworld.members["relative"]] == "proche (famille)"
    assert [g.text for g in report.goals.all()] == [GOAL, "Garder le lien"]
    action = PlanAction.objects.get(situation=sworld.situation)
    assert (action.description, action.owner, action.status) == (
        ACTION,
        sworld.members["no_secrecy"],
        ActionStatus.TODO,
    )
    assert report.next_review == timezone.localdate() + timedelta(days=60)
    retours = [m for m in mail.outbox if m.to == ["demande@midi.test"]]
    assert len(retours) == 1
    assert (
        ACTION not in text_body(retours[0])
        and GOAL not in text_body(retours[0])
        and CODE not in text_body(retours[0])
    )


def test_a_report_without_participants_is_refused(client, sworld, held):
    response = report_post(client, sworld, held, participants=[])

    assert response.status_code == 200
    assert not PlanAction.objects.filter(situation=sworld.situation).exists()
    assert not ConcertationReport.objects.filter(concertation=held).exists()


def test_an_action_needs_an_owner_in_the_network(client, sworld, held):
    response = report_post(client, sworld, held, **{"action0-owner": 99999})

    assert response.status_code == 200
    assert not PlanAction.objects.filter(situation=sworld.situation).exists()


def test_each_participant_confirms_the_report_in_the_application(client, sworld, held):
    report_post(client, sworld, held)
    client.force_login(sworld.users["professional"])
    url = reverse("situations:report_confirm", kwargs={"pk": sworld.situation.pk, "concertation_id": held.pk})

    client.post(url)
    client.post(url)  # twice: the first date stays
    client.force_login(sworld.users["psychologist"])
    refused = client.post(url)

    rows = {p.member: p.confirmed_at for p in held.report.participants.all()}
    assert rows[sworld.members["professional"]] is not None
    assert rows[sworld.members["referent"]] is None
    assert refused.status_code == 403


def _action(sworld, owner="relative", due_in=7):
    return plan_services.action_add(
        situation=fresh(sworld.situation),
        by=sworld.users["referent"],
        action=plan_services.NewAction(
            description=ACTION,
            owner=sworld.members[owner],
            due_date=timezone.localdate() + timedelta(days=due_in),
        ),
    )


def test_an_owner_marks_their_action_done_and_the_referent_hears_once(
    client, sworld, django_capture_on_commit_callbacks
):
    action = _action(sworld)
    deliver_pending()
    client.force_login(sworld.users["relative"])
    url = reverse("situations:action_update", kwargs={"pk": sworld.situation.pk, "action_id": action.pk})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "done"})
        client.post(url, {"status": "done"})

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_at is not None
    to_referent = [m for m in mail.outbox if m.to == ["referente@midi.test"]]
    assert len(to_referent) == 1
    for body in (to_referent[0].subject, text_body(to_referent[0]), html_body(to_referent[0])):
        assert ACTION not in body and CODE not in body


def test_someone_else_cannot_change_an_action(client, sworld):
    action = _action(sworld)
    client.force_login(sworld.users["professional"])

    response = client.post(
        reverse("situations:action_update", kwargs={"pk": sworld.situation.pk, "action_id": action.pk}),
        {"status": "done"},
    )

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.TODO


def test_an_overdue_action_is_told_to_the_referents_once(sworld, django_capture_on_commit_callbacks):
    action = _action(sworld, owner="professional", due_in=2)
    deliver_pending()

    with django_capture_on_commit_callbacks(execute=True):
        early = plan_services.notify_overdue_actions(today=timezone.localdate() + timedelta(days=2))
        first = plan_services.notify_overdue_actions(today=timezone.localdate() + timedelta(days=3))
        again = plan_services.notify_overdue_actions(today=timezone.localdate() + timedelta(days=4))

    assert (early, first, again) == (0, 1, 0)
    assert [m.to for m in mail.outbox] == [["referente@midi.test"]]
    assert ACTION not in text_body(mail.outbox[0])
    action.refresh_from_db()
    assert action.overdue_notified_at is not None


def test_the_plan_page_lists_goals_and_actions_with_their_owners(client, sworld, held):
    report_post(client, sworld, held)
    client.force_login(sworld.users["professional"])

    body = client.get(reverse("situations:plan", kwargs={"pk": sworld.situation.pk})).content.decode()

    assert GOAL in body and ACTION in body and "Louis Logis" in body
    assert 'id="action-form"' not in body  # only référents add actions


def test_a_relative_sees_the_action_they_own_on_the_situation_page(client, sworld):
    _action(sworld)
    client.force_login(sworld.users["relative"])

    body = client.get(reverse("situations:situation", kwargs={"pk": sworld.situation.pk})).content.decode()

    assert 'id="my-situation-actions"' in body and ACTION in body

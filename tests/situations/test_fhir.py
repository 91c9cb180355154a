"""The situation's FHIR R4 export: valid resources, the pseudonym only, the agreement with its
exclusions, the plan with its owners and dates, logged, and for the référents only."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from audit.models import AccessRecord
from meetings.situations import fhir
from meetings.situations.models import ActionStatus, Goal, GoalStatus, SituationStatus
from meetings.situations.services import consent as consent_services
from meetings.situations.services import plan as plan_services
from tests.situations.world import CODE, NOTE_TEXT, RELATIVE_NOTE_TEXT, SHARED_CONTENT, fresh

GOAL_TEXT = "Garder le logement"
DROPPED_GOAL_TEXT = "Reprendre contact avec la famille"
ACTION_TEXT = "Accompagner au CPAS pour l'aide au loyer"
# R4's required bindings, which fhir.resources' models do not check (they check structure, types
# and cardinalities).
R4_CODES = {
    "CareTeam.status": {"proposed", "active", "suspended", "inactive", "entered-in-error"},
    "Consent.status": {"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"},
    "Consent.provision.type": {"deny", "permit"},
    "Goal.lifecycleStatus": {
        "proposed",
        "planned",
        "accepted",
        "active",
        "on-hold",
        "completed",
        "cancelled",
        "entered-in-error",
        "rejected",
    },
    "CarePlan.status": {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    "CarePlan.intent": {"proposal", "plan", "order", "option"},
    "CarePlan.activity.detail.status": {
        "not-started",
        "scheduled",
        "in-progress",
        "on-hold",
        "completed",
        "cancelled",
        "stopped",
        "unknown",
        "entered-in-error",
    },
}


def _plan(sworld):
    situation, referent, members = sworld.situation, sworld.users["referent"], sworld.members
    today = timezone.localdate()
    goal = Goal.objects.create(situation=situation, text=GOAL_TEXT)
    Goal.objects.create(
        situation=situation, text="Reprendre contact avec la famille", status=GoalStatus.DROPPED
    )
    linked = plan_services.action_create(
        situation=situation,
        by=referent,
        action=plan_services.NewAction(
            description=ACTION_TEXT,
            owner=members["no_secrecy"],
            due_date=today + timedelta(days=14),
            revision_date=today + timedelta(days=30),
            goal=GOAL_TEXT,
        ),
        goals={GOAL_TEXT: goal},
    )
    done = plan_services.action_add(
        situation=situation,
        by=referent,
        action=plan_services.NewAction(
            description="Rappeler la sœur", owner=members["relative"], due_date=today + timedelta(days=3)
        ),
    )
    plan_services.action_set_status(action=done, by=referent, status=ActionStatus.DONE)
    plan_services.action_add(
        situation=situation,
        by=referent,
        action=plan_services.NewAction(
            description="Apporter le bail", owner=members["person"], due_date=today + timedelta(days=7)
        ),
    )
    return goal, linked


def _check_r4(data) -> None:
    """The whole bundle and each resource on its own class, plus what the models leave unchecked."""
    Bundle.model_validate(data)
    for entry in data["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    resources = _resources(data)
    for team in resources.get("CareTeam", []):
        assert team["status"] in R4_CODES["CareTeam.status"]
    for consent in resources.get("Consent", []):
        assert consent["status"] in R4_CODES["Consent.status"]
        assert "policy" in consent or "policyRule" in consent  # ppc-1
        provisions = [consent["provision"], *consent["provision"].get("provision", [])]
        assert all(p["type"] in R4_CODES["Consent.provision.type"] for p in provisions)
    for goal in resources.get("Goal", []):
        assert goal["lifecycleStatus"] in R4_CODES["Goal.lifecycleStatus"]
    for plan in resources.get("CarePlan", []):
        assert plan["status"] in R4_CODES["CarePlan.status"]
        assert plan["intent"] in R4_CODES["CarePlan.intent"]
        for activity in plan.get("activity", []):
            assert activity["detail"]["status"] in R4_CODES["CarePlan.activity.detail.status"]


def _export(client, sworld, user=None):
    client.force_login(user or sworld.users["referent"])
    return client.get(reverse("situations:fhir", kwargs={"pk": sworld.situation.pk}))


def _resources(data) -> dict:
    found = {}
    for entry in data["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


@pytest.fixture
def exported(client, sworld):
    _plan(sworld)
    response = _export(client, sworld)
    assert response.status_code == 200
    return response


def test_the_bundle_is_valid_fhir(exported, sworld):
    assert exported["Content-Type"].startswith("application/fhir+json")
    data = json.loads(exported.content)
    _check_r4(data)
    assert data["type"] == "collection"
    assert data["timestamp"].startswith(timezone.now().date().isoformat())
    kinds = [entry["resource"]["resourceType"] for entry in data["entry"]]
    assert kinds == ["Patient", "CareTeam", "Consent", "Goal", "Goal", "CarePlan"]
    urls = [entry["fullUrl"] for entry in data["entry"]]
    assert len(set(urls)) == len(urls)
    for entry in data["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    # Every reference points to an entry of the bundle.
    text = json.dumps(data)
    for reference in {part.split('"')[0] for part in text.split('"reference": "')[1:]}:
        assert reference in urls


def test_every_status_has_an_r4_code():
    assert set(fhir.CARE_TEAM_STATUS) == set(fhir.CARE_PLAN_STATUS) == set(SituationStatus)
    assert set(fhir.CARE_TEAM_STATUS.values()) <= R4_CODES["CareTeam.status"]
    assert set(fhir.CARE_PLAN_STATUS.values()) <= R4_CODES["CarePlan.status"]
    assert set(fhir.GOAL_STATUS) == set(GoalStatus)
    assert set(fhir.GOAL_STATUS.values()) <= R4_CODES["Goal.lifecycleStatus"]
    assert set(fhir.ACTION_STATUS) == set(ActionStatus)
    assert set(fhir.ACTION_STATUS.values()) <= R4_CODES["CarePlan.activity.detail.status"]


def test_the_entries_ids_are_stable(client, sworld):
    first = json.loads(_export(client, sworld).content)
    second = json.loads(_export(client, sworld).content)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]


def test_the_person_appears_only_by_the_pseudonym(exported, sworld):
    text = exported.content.decode()
    data = json.loads(text)
    (patient,) = _resources(data)["Patient"]
    assert patient["name"] == [{"text": CODE}]
    assert set(patient) == {"resourceType", "id", "name"}
    for secret in ("La personne", "personne@midi.test", NOTE_TEXT, RELATIVE_NOTE_TEXT, "Expulsion annoncée"):
        assert secret not in text
    # The person's own action is the Patient's.
    (plan,) = _resources(data)["CarePlan"]
    (own,) = [a["detail"] for a in plan["activity"] if a["detail"]["description"] == "Apporter le bail"]
    assert own["performer"] == [{"reference": f"urn:uuid:{patient['id']}", "display": CODE}]


def test_the_care_team_lists_the_current_members(exported, sworld):
    (team,) = _resources(json.loads(exported.content))["CareTeam"]
    assert team["status"] == "active"
    by_name = {p["member"]["display"]: p for p in team["participant"]}
    assert "Gilles Petit" in by_name and "Sarah Proche" in by_name
    assert "Ali Ancien" not in by_name  # their period ended
    assert "Xavier Lemaire" not in by_name  # refused by the person
    gp = by_name["Gilles Petit"]
    assert [role["text"] for role in gp["role"]] == ["Médecin généraliste", "Médecin traitant"]
    assert gp["onBehalfOf"] == {"display": "Maison médicale du Midi"}
    assert gp["period"] == {"start": (timezone.localdate() - timedelta(days=60)).isoformat()}
    assert [role["text"] for role in by_name["Sarah Proche"]["role"]] == ["proche (famille)", "sœur"]
    referent_roles = [role["text"].casefold() for role in by_name["Rita Renard"]["role"]]
    assert "référent·e" in referent_roles


def test_the_agreement_and_its_exclusion(exported, sworld):
    (consent,) = _resources(json.loads(exported.content))["Consent"]
    assert consent["status"] == "active"
    assert consent["dateTime"] == (timezone.localdate() - timedelta(days=30)).isoformat()
    assert consent["policyRule"]["coding"][0]["code"] == "OPTIN"
    provision = consent["provision"]
    assert provision["type"] == "permit"
    assert provision["code"] == [{"text": SHARED_CONTENT}]
    covered = {actor["reference"]["display"] for actor in provision["actor"]}
    assert {"Rita Renard", "Gilles Petit", "Sarah Proche"} <= covered
    assert "Noé Neuf" not in covered  # added after the agreement
    assert all(actor["role"]["coding"][0]["code"] == "IRCP" for actor in provision["actor"])
    (deny,) = provision["provision"]
    assert deny["type"] == "deny"
    assert deny["actor"][0]["reference"] == {"display": "Dr Lemaire"}


def test_a_withdrawn_agreement_is_inactive(client, sworld):
    consent_services.consent_withdraw(situation=fresh(sworld.situation), by=sworld.users["referent"])
    data = json.loads(_export(client, sworld).content)
    _check_r4(data)
    (consent,) = _resources(data)["Consent"]
    assert consent["status"] == "inactive"
    assert consent["provision"]["period"]["end"] == timezone.localdate().isoformat()
    assert consent["provision"]["provision"][0]["type"] == "deny"


def test_a_legal_basis_is_a_policy_rule_text(client, sworld):
    referent, members = sworld.users["referent"], sworld.members
    consent_services.consent_record(
        situation=fresh(sworld.situation),
        by=referent,
        given_on=timezone.localdate(),
        shared_content=SHARED_CONTENT,
        covered_members=[members["referent"], members["professional"]],
        basis="prosecutor",
        basis_reference="Parquet de Bruxelles, 2026/123",
    )
    data = json.loads(_export(client, sworld).content)
    _check_r4(data)
    (consent,) = _resources(data)["Consent"]
    assert "coding" not in consent["policyRule"]
    assert "Parquet de Bruxelles, 2026/123" in consent["policyRule"]["text"]
    assert consent["category"][0]["coding"][0]["code"] == "INFA"
    assert "provision" not in consent["provision"]  # the new agreement names nobody


def test_goals_and_actions_are_in_the_care_plan(exported, sworld):
    resources = _resources(json.loads(exported.content))
    goals = {goal["description"]["text"]: goal for goal in resources["Goal"]}
    assert goals[GOAL_TEXT]["lifecycleStatus"] == "active"
    assert goals[DROPPED_GOAL_TEXT]["lifecycleStatus"] == "cancelled"
    (plan,) = resources["CarePlan"]
    (team,) = resources["CareTeam"]
    assert plan["status"] == "active" and plan["intent"] == "plan"
    assert plan["careTeam"] == [{"reference": f"urn:uuid:{team['id']}"}]
    assert {ref["reference"] for ref in plan["goal"]} == {f"urn:uuid:{goal['id']}" for goal in goals.values()}
    details = {activity["detail"]["description"]: activity for activity in plan["activity"]}
    today = timezone.localdate()
    linked = details[ACTION_TEXT]
    assert linked["detail"]["status"] == "not-started"
    assert linked["detail"]["performer"] == [{"display": "Louis Logis"}]
    assert linked["detail"]["scheduledPeriod"] == {"end": (today + timedelta(days=14)).isoformat()}
    assert linked["detail"]["goal"] == [{"reference": f"urn:uuid:{goals[GOAL_TEXT]['id']}"}]
    assert linked["progress"][0]["time"] == (today + timedelta(days=30)).isoformat()
    done = details["Rappeler la sœur"]["detail"]
    assert done["status"] == "completed"
    assert done["performer"] == [{"display": "Sarah Proche"}]
    assert done["scheduledPeriod"] == {"end": (today + timedelta(days=3)).isoformat()}


def test_the_export_is_logged(exported, sworld):
    record = AccessRecord.objects.get(item="fhir")
    assert record.reader == sworld.users["referent"]
    assert record.subject == sworld.situation.audit_subject


@pytest.mark.parametrize(("role", "status"), [("professional", 403), ("outsider", 404), ("superuser", 404)])
def test_only_the_referents_export(client, sworld, role, status):
    assert _export(client, sworld, sworld.users[role]).status_code == status
    assert not AccessRecord.objects.filter(item="fhir").exists()

"""The situation as one FHIR R4 Bundle (type "collection"), for the person's other tools: a
Patient known only by the pseudonym, the CareTeam of the current members, the latest agreement
as a Consent, the Goals and the CarePlan with its actions.

Nothing else about the person leaves: no name, e-mail, address or birth date (the person's own
member row is never exported; where it is an action's owner or covered by the agreement, the
Patient stands for it), no note, no report. Display texts follow the language active at export.

The tests validate every resource with fhir.resources' R4B models, which share these
resources' R4 structure (Consent, CarePlan.activity.detail and CareTeam are as in R4).
"""

import uuid
from datetime import date, datetime

from django.utils import timezone, translation

from meetings.situations.models import (
    ActionStatus,
    Consent,
    GoalStatus,
    LegalBasis,
    Member,
    MemberKind,
    PlanAction,
    Referent,
    Situation,
    SituationStatus,
)
from meetings.situations.models.network import NON_PROFESSIONAL_KINDS
from meetings.situations.queries import members_of
from meetings.situations.rules import is_excluded_person

# Entry ids are derived from this namespace and the rows' ids: the same export gives the same ids.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:concertation:situations:fhir")
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"

CARE_TEAM_STATUS = {
    SituationStatus.REQUESTED: "proposed",
    SituationStatus.ACTIVE: "active",
    SituationStatus.HANDED_OVER: "suspended",  # may come back to this network
    SituationStatus.CLOSED: "inactive",
}
CARE_PLAN_STATUS = {
    SituationStatus.REQUESTED: "draft",
    SituationStatus.ACTIVE: "active",
    SituationStatus.HANDED_OVER: "on-hold",
    SituationStatus.CLOSED: "completed",
}
GOAL_STATUS = {GoalStatus.OPEN: "active", GoalStatus.REACHED: "completed", GoalStatus.DROPPED: "cancelled"}
ACTION_STATUS = {
    ActionStatus.TODO: "not-started",
    ActionStatus.IN_PROGRESS: "in-progress",
    ActionStatus.DONE: "completed",
    ActionStatus.CANCELLED: "cancelled",
}


class Refs:
    """The fullUrl ("urn:uuid:…") of each entry of one situation's bundle."""

    def __init__(self, situation: Situation):
        self.situation = situation

    def uuid(self, kind: str, pk: int | None = None) -> str:
        return str(uuid.uuid5(NAMESPACE, f"situation/{self.situation.pk}/{kind}/{pk or ''}"))

    def url(self, kind: str, pk: int | None = None) -> str:
        return f"urn:uuid:{self.uuid(kind, pk)}"

    @property
    def patient(self) -> dict:
        return {"reference": self.url("patient"), "display": self.situation.code}

    def member(self, member: Member) -> dict:
        """A member by their display name; the person by the Patient, never by their name."""
        if member.kind == MemberKind.PERSON:
            return self.patient
        return {"display": member.display_name}


def _text(value) -> dict:
    return {"text": str(value)}


def _day(value: date | datetime) -> str:
    return (timezone.localdate(value) if isinstance(value, datetime) else value).isoformat()


def _period(start, end) -> dict:
    return {key: _day(value) for key, value in (("start", start), ("end", end)) if value is not None}


def patient(situation: Situation, refs: Refs) -> dict:
    return {"resourceType": "Patient", "id": refs.uuid("patient"), "name": [{"text": situation.code}]}


def care_team(situation: Situation, refs: Refs) -> dict:
    """The current members, without the person (the Patient) nor anyone the person refused (the
    Consent's deny provisions name them)."""
    today = timezone.localdate()
    referents = set(situation.referents.filter(ended_at__isnull=True).values_list("user_id", flat=True))
    referent = str(Referent._meta.verbose_name)
    participants = []
    for member in members_of(situation):
        if member.is_person or not member.is_current(today):
            continue
        if is_excluded_person(situation, user=member.user, name=member.display_name):
            continue
        roles = [member.get_profession_display() if member.profession else member.get_kind_display()]
        roles += [text for text in (member.relation, member.role) if text]
        if member.user_id in referents and referent.casefold() not in {role.casefold() for role in roles}:
            roles.append(referent)
        participant = {"role": [_text(role) for role in roles], "member": refs.member(member)}
        if member.service:
            participant["onBehalfOf"] = {"display": member.service}
        participant["period"] = _period(member.since, member.until)
        participants.append(participant)
    team = {
        "resourceType": "CareTeam",
        "id": refs.uuid("careteam"),
        "status": CARE_TEAM_STATUS[situation.status],
        "subject": refs.patient,
        "period": _period(situation.created_at, situation.closed_at),
        "managingOrganization": [{"display": situation.network.name}],
    }
    if participants:
        team["participant"] = participants
    return team


def _policy_rule(consent: Consent) -> dict:
    """R4's ppc-1 wants a policy or a policyRule: the person's opt-in, or the other legal basis."""
    if consent.basis == LegalBasis.CONSENT:
        return {
            "coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}],
            "text": consent.get_basis_display(),
        }
    return {"text": f"{consent.get_basis_display()} : {consent.basis_reference}"}


def _actor(reference: dict) -> dict:
    return {"role": {"coding": [{"system": PARTICIPATION_TYPE, "code": "IRCP"}]}, "reference": reference}


def consent(situation: Situation, refs: Refs) -> dict | None:
    """The latest agreement, in force or withdrawn (an older one was replaced by it)."""
    latest = situation.consents.filter(replaced_at__isnull=True).prefetch_related("exclusions").first()
    if latest is None:
        return None
    covered = list(latest.covered_members.select_related("user").order_by("kind", "pk"))
    provision = {
        "type": "permit",
        "period": _period(latest.given_on, latest.withdrawn_at),
        "actor": [_actor(refs.member(member)) for member in covered],
        "purpose": [{"system": ACT_REASON, "code": "CAREMGT", "display": "care management"}],
        "code": [_text(latest.shared_content)],
    }
    denials = [
        {"type": "deny", "actor": [_actor({"display": exclusion.name})]}
        for exclusion in latest.exclusions.all()
    ]
    # What relatives may not be told: for the relatives and other non-professionals it covers.
    relatives = [_actor(refs.member(m)) for m in covered if m.kind in NON_PROFESSIONAL_KINDS]
    if latest.relatives_limits and relatives:
        denials.append({"type": "deny", "actor": relatives, "code": [_text(latest.relatives_limits)]})
    if denials:
        provision["provision"] = denials
    if latest.basis == LegalBasis.CONSENT:
        category = {"coding": [{"system": LOINC, "code": "59284-0", "display": "Patient Consent"}]}
    else:
        category = {"coding": [{"system": ACT_CODE, "code": "INFA", "display": "information access"}]}
    return {
        "resourceType": "Consent",
        "id": refs.uuid("consent", latest.pk),
        "status": "active" if latest.is_current else "inactive",
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [category],
        "patient": refs.patient,
        "dateTime": latest.given_on.isoformat(),
        "policyRule": _policy_rule(latest),
        "provision": provision,
    }


def goals(situation: Situation, refs: Refs) -> list[dict]:
    return [
        {
            "resourceType": "Goal",
            "id": refs.uuid("goal", goal.pk),
            "lifecycleStatus": GOAL_STATUS[goal.status],
            "description": _text(goal.text),
            "subject": refs.patient,
        }
        for goal in situation.goals.all()
    ]


def _activity(action: PlanAction, refs: Refs) -> dict:
    detail = {
        "kind": "Task",
        "status": ACTION_STATUS[action.status],
        "description": action.description,
        "performer": [refs.member(action.owner)],
        "scheduledPeriod": {"end": action.due_date.isoformat()},
    }
    if action.goal_id:
        detail["goal"] = [{"reference": refs.url("goal", action.goal_id)}]
    activity = {"detail": detail}
    if action.revision_date:
        label = PlanAction._meta.get_field("revision_date").verbose_name
        revision = action.revision_date.isoformat()
        activity["progress"] = [{"time": revision, "text": f"{label} {revision}"}]
    return activity


def care_plan(situation: Situation, refs: Refs, goal_entries: list[dict]) -> dict:
    plan = {
        "resourceType": "CarePlan",
        "id": refs.uuid("careplan"),
        "status": CARE_PLAN_STATUS[situation.status],
        "intent": "plan",
        "subject": refs.patient,
        "careTeam": [{"reference": refs.url("careteam")}],
        "period": _period(situation.created_at, situation.closed_at),
    }
    if goal_entries:
        plan["goal"] = [{"reference": f"urn:uuid:{goal['id']}"} for goal in goal_entries]
    actions = situation.actions.select_related("owner__user")  # by due date
    activities = [_activity(action, refs) for action in actions]
    if activities:
        plan["activity"] = activities
    return plan


def situation_bundle(situation: Situation) -> dict:
    refs = Refs(situation)
    goal_entries = goals(situation, refs)
    resources = [patient(situation, refs), care_team(situation, refs), consent(situation, refs)]
    resources += [*goal_entries, care_plan(situation, refs, goal_entries)]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "language": translation.get_language() or "fr",
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources if r is not None],
    }

"""A person's situation: who coordinates it, who is around the person, what the person agreed
to, what is written and decided. The interface says "situation" and "personne accompagnée",
never "cas"; the person appears only by the pseudonym the référent chose."""

from meetings.situations.models.consent import Consent, ConsentExclusion, ConsentForm, LegalBasis
from meetings.situations.models.network import Member, MemberKind
from meetings.situations.models.notes import Note
from meetings.situations.models.plan import (
    ActionStatus,
    Concertation,
    ConcertationReport,
    Goal,
    GoalStatus,
    PlanAction,
    ReportParticipant,
)
from meetings.situations.models.situations import (
    Origin,
    Referent,
    Situation,
    SituationStatus,
    StatusChange,
)

__all__ = [
    "ActionStatus",
    "Concertation",
    "ConcertationReport",
    "Consent",
    "ConsentExclusion",
    "ConsentForm",
    "Goal",
    "GoalStatus",
    "LegalBasis",
    "Member",
    "MemberKind",
    "Note",
    "Origin",
    "PlanAction",
    "Referent",
    "ReportParticipant",
    "Situation",
    "SituationStatus",
    "StatusChange",
]

"""Planning a concertation around the person: who is invited (within the agreement's scope, the
person by default), and what the chosen template asks, checked before anything is sent."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from accounts.models import User
from meetings.kinds import around_a_person
from meetings.models import TAKING_PLACE, InvitationRole
from meetings.recurrence import BRUSSELS
from meetings.services.invitations import Invitee, invite_to_meeting
from meetings.services.meetings import meeting_create
from meetings.situations.models import Concertation, Member, MemberKind, Situation
from meetings.situations.models.network import NON_PROFESSIONAL_KINDS
from meetings.situations.policies import ConcertationPolicy, PersonPresence, policy_for
from meetings.situations.rules import current_consent, is_excluded_person

YEAR = timedelta(days=365)
NO_CONSENT = _lazy(
    "Sans accord de la personne en cours (ou autre base légale), aucune concertation ne peut être planifiée."
)


@dataclass
class Plan:
    """A concertation as the référent is about to send it."""

    situation: Situation
    template: str
    start: datetime
    end: datetime
    invited: list[Member]  # besides the person concerned
    invite_person: bool
    person_not_invited_reason: str = ""
    facilitator: Member | None = None
    place: str = ""
    online_link: str = ""
    purpose: str = ""

    @property
    def policy(self) -> ConcertationPolicy:
        return policy_for(self.template)

    @cached_property
    def person(self) -> Member | None:
        """The person concerned on the map (asked once per plan)."""
        return self.situation.members.filter(kind=MemberKind.PERSON).select_related("user").first()

    @property
    def everyone(self) -> list[Member]:
        people = list(self.invited)
        if self.facilitator is not None and self.facilitator not in people:
            people.append(self.facilitator)
        return people


def refusals(plan: Plan) -> list[str]:
    """What makes the concertation impossible as planned: no current agreement, someone invited
    outside its scope or excluded by name, the person left out without a reason."""
    consent = current_consent(plan.situation)
    if consent is None:
        return [str(NO_CONSENT)]
    problems = []
    for member in plan.everyone:
        if member.situation_id != plan.situation.pk:
            problems.append(_("Un·e invité·e n'appartient pas au réseau de cette situation."))
        elif is_excluded_person(plan.situation, user=member.user, name=member.display_name):
            problems.append(
                _("%(name)s est exclu·e par la personne : ne l'invitez pas.") % {"name": member.display_name}
            )
        elif not member.is_current(plan.start.astimezone(BRUSSELS).date()):
            problems.append(
                _("%(name)s ne fait plus partie du réseau de la personne.") % {"name": member.display_name}
            )
        elif member.pk not in consent.covered_ids and member.kind != MemberKind.PERSON:
            problems.append(
                _("%(name)s n'est pas couvert·e par l'accord de la personne.") % {"name": member.display_name}
            )
        elif not member.contact_email:
            problems.append(_("%(name)s n'a pas d'adresse e-mail.") % {"name": member.display_name})
    if not plan.invite_person and not plan.person_not_invited_reason.strip():
        problems.append(_("La personne est invitée par défaut : notez pourquoi elle ne l'est pas."))
    if plan.invite_person and (plan.person is None or not plan.person.contact_email):
        problems.append(
            _(
                "Pour inviter la personne, ajoutez-la à la carte du réseau avec une adresse e-mail — "
                "ou notez comment elle est prévenue autrement."
            )
        )
    return problems


def warnings(plan: Plan) -> list[str]:
    """What the template's rules would not meet, shown before sending (the référent may still send)."""
    policy = plan.policy
    professionals = [m for m in plan.everyone if m.kind == MemberKind.PROFESSIONAL and m != plan.facilitator]
    professions = [m.profession for m in professionals]
    found = []
    if len(professionals) < policy.min_professionals:
        found.append(
            ngettext(
                "Ce cadre demande au moins %(count)s professionnel·les ; %(invited)s est invité·e.",
                "Ce cadre demande au moins %(count)s professionnel·les ; %(invited)s sont invité·es.",
                len(professionals),
            )
            % {"count": policy.min_professionals, "invited": len(professionals)}
        )
    for requirement in policy.requirements:
        if not requirement.met_by(professions):
            found.append(_("Ce cadre demande %(who)s parmi les invité·es.") % {"who": requirement.label})
    if policy.person_must_attend and not plan.invite_person:
        carers = [m for m in plan.invited if m.kind in NON_PROFESSIONAL_KINDS]
        if policy.person_presence == PersonPresence.REQUIRED or not carers:
            found.append(_("Ce cadre demande la présence de la personne ou de son représentant."))
    if policy.funded_participants is not None and len(professionals) > policy.funded_participants:
        found.append(
            _(
                "Le financement couvre au plus %(count)s participant·es : choisissez lesquel·les "
                "seront déclaré·es."
            )
            % {"count": policy.funded_participants}
        )
    if policy.per_year is not None:
        held = (
            Concertation.objects.filter(
                situation=plan.situation,
                template=plan.template,
                meeting__status__in=TAKING_PLACE,
                meeting__start__gt=plan.start - YEAR,
                meeting__start__lt=plan.start + YEAR,
            )
            .exclude(meeting__start__gt=plan.start)
            .count()
        )
        if held >= policy.per_year:
            found.append(
                _(
                    "%(count)s concertation(s) de ce cadre sur les douze derniers mois : le nombre "
                    "annuel est atteint."
                )
                % {"count": held}
            )
    if plan.facilitator is not None and plan.facilitator.clinical_role:
        found.append(
            _(
                "%(name)s anime et intervient auprès de la personne : une animation neutre aide chacun·e "
                "à prendre sa place."
            )
            % {"name": plan.facilitator.display_name}
        )
    return found


class NeedsConfirmation(Exception):
    def __init__(self, found: list[str]):
        super().__init__("; ".join(found))
        self.warnings = found


def _role(member: Member, plan: Plan) -> str:
    if member == plan.facilitator:
        return InvitationRole.FACILITATOR
    if member.kind == MemberKind.PERSON:
        return InvitationRole.PERSON_CONCERNED
    if member.kind in NON_PROFESSIONAL_KINDS:
        return InvitationRole.RELATIVE
    if not member.bound_by_secrecy:
        # Takes part, but does not read the clinical minutes (shared secrecy).
        return InvitationRole.NOT_BOUND_BY_SECRECY
    return InvitationRole.PARTICIPANT


def _invitee(member: Member, role: str) -> Invitee:
    if member.user_id:
        return Invitee(
            email=member.user.email,
            name=member.display_name,
            user=member.user,
            language=member.user.language,
            role=role,
        )
    return Invitee(email=member.email, name=member.display_name, role=role)


@transaction.atomic
def concertation_schedule(*, plan: Plan, by: User, confirmed: bool = False) -> Concertation:
    """Create the meeting (kind clinical concertation) and invite its people. Refusals stop it;
    warnings stop it until the référent confirms them (they are kept with the concertation).
    Its title names the template only: the pseudonym never reaches a calendar or an e-mail."""
    problems = refusals(plan)
    if problems:
        raise ValidationError(problems, code="refused")
    found = warnings(plan)
    if found and not confirmed:
        raise NeedsConfirmation(found)
    meeting = meeting_create(
        network=plan.situation.network,
        kind=around_a_person().kind,
        title=str(plan.policy.label),
        start=plan.start,
        end=plan.end,
        organiser=by,
        purpose=plan.purpose or _("Faire le point avec la personne et son réseau."),
        place=plan.place,
        online_link=plan.online_link,
    )
    people = plan.everyone + ([plan.person] if plan.invite_person and plan.person else [])
    invite_to_meeting(meeting=meeting, invitees=[_invitee(m, _role(m, plan)) for m in people])
    return Concertation.objects.create(
        situation=plan.situation,
        meeting=meeting,
        template=plan.template,
        facilitator=plan.facilitator,
        person_not_invited_reason="" if plan.invite_person else plan.person_not_invited_reason.strip(),
        accepted_warnings=found,
        created_by=by,
    )

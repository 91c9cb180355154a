"""Concertation templates as policies, like the meeting kinds: who must take part, whether the
person must be there, what a funding claim covers and how often. The figures come from FIELD.md
("Concertation around a person"), which names its sources (INAMI for home care, the "107"
networks and AViQ for psychiatric care at home, the first-line psychology convention); they
change, so they live here and nowhere else.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession


class Template(models.TextChoices):
    HOME_CARE = "home_care", _("Concertation multidisciplinaire à domicile (SISD)")
    PSYCHIATRIC_HOME = "psychiatric_home", _("Concertation psychiatrique à domicile (réseau 107)")
    FIRST_LINE_PSYCHOLOGY = "first_line_psychology", _("Concertation en psychologie de première ligne")
    NETWORK = "network", _("Concertation de réseau (sans financement)")


# Disciplines, from the directory's professions. Health professionals are those of the health
# care professions' law (coordinated law of 10 May 2015); "mental health" and "first line" follow
# the 107 networks' functions.
HEALTH = {
    Profession.GP,
    Profession.PSYCHIATRIST,
    Profession.PSYCHOLOGIST,
    Profession.NURSE,
    Profession.PHARMACIST,
}
MENTAL_HEALTH = {Profession.PSYCHIATRIST, Profession.PSYCHOLOGIST}
FIRST_LINE = {Profession.GP, Profession.NURSE, Profession.PHARMACIST, Profession.SOCIAL_WORKER}


class PersonPresence(models.TextChoices):
    REQUIRED = "required", _("la personne ou son représentant doit être présent·e")
    PERSON_OR_CARER = "person_or_carer", _("la personne et/ou un proche aidant doit être présent·e")
    AS_THEY_DECIDE = "as_they_decide", _("comme la personne le souhaite")


@dataclass(frozen=True)
class Requirement:
    """A discipline rule: at least COUNT professionals whose profession is in PROFESSIONS."""

    label: Promise
    professions: frozenset
    count: int = 1

    def met_by(self, professions: list[str]) -> bool:
        return sum(1 for p in professions if p in self.professions) >= self.count


@dataclass(frozen=True)
class ConcertationPolicy:
    template: Template
    explanation: Promise
    min_professionals: int
    requirements: tuple[Requirement, ...] = ()
    person_presence: PersonPresence = PersonPresence.AS_THEY_DECIDE
    # How many participants one funding claim pays (None: no funding).
    funded_participants: int | None = None
    funded_note: Promise | None = None
    # How many concertations of this template a year (rolling 12 months) per person (None: no limit).
    per_year: int | None = None

    @property
    def label(self) -> str:
        return self.template.label

    @property
    def person_must_attend(self) -> bool:
        return self.person_presence != PersonPresence.AS_THEY_DECIDE


def _requirement(label, professions, count=1) -> Requirement:
    return Requirement(label=label, professions=frozenset(professions), count=count)


POLICIES: dict[str, ConcertationPolicy] = {
    policy.template.value: policy
    for policy in [
        # INAMI, multidisciplinary home-care concertation organised by a SISD/GDT: at least three
        # care providers including the GP (and the home nurse when the person receives nursing
        # care); the person or their representative takes part; at most 4 participants paid,
        # care providers only.
        ConcertationPolicy(
            template=Template.HOME_CARE,
            explanation=_(
                "Au moins trois prestataires de soins, dont le médecin généraliste (et l'infirmier·e "
                "à domicile si la personne reçoit des soins infirmiers), avec la personne ou son "
                "représentant."
            ),
            min_professionals=3,
            requirements=(_requirement(_("le médecin généraliste"), {Profession.GP}),),
            person_presence=PersonPresence.REQUIRED,
            funded_participants=4,
            funded_note=_("Seuls les prestataires de soins sont payés, pas les proches ni les aidants."),
        ),
        # Networks "107" / Protocole 3: at least three different professionals, one from mental
        # health and one from first-line care (the GP is invited); the person and/or an informal
        # carer; at most 4 paid, 3 a year per person (AViQ: 3 for adults, 5 for children).
        ConcertationPolicy(
            template=Template.PSYCHIATRIC_HOME,
            explanation=_(
                "Au moins trois professionnel·les différent·es, dont un·e de la santé mentale et un·e "
                "de la première ligne ; le médecin généraliste est invité ; avec la personne et/ou un "
                "proche aidant."
            ),
            min_professionals=3,
            requirements=(
                _requirement(_("un·e professionnel·le de la santé mentale"), MENTAL_HEALTH),
                _requirement(_("un·e professionnel·le de première ligne"), FIRST_LINE),
            ),
            person_presence=PersonPresence.PERSON_OR_CARER,
            funded_participants=4,
            per_year=3,
        ),
        # First-line psychology convention: at least three professionals, two of them health
        # professionals; consent required; a written report; once per 12 months.
        ConcertationPolicy(
            template=Template.FIRST_LINE_PSYCHOLOGY,
            explanation=_(
                "Au moins trois professionnel·les, dont deux professionnel·les de la santé ; un compte "
                "rendu écrit ; une fois par période de douze mois."
            ),
            min_professionals=3,
            requirements=(_requirement(_("deux professionnel·les de la santé"), HEALTH, count=2),),
            per_year=1,
        ),
        ConcertationPolicy(
            template=Template.NETWORK,
            explanation=_("Comme le réseau et la personne le décident ; sans financement."),
            min_professionals=0,
        ),
    ]
}


def policy_for(template: str) -> ConcertationPolicy:
    return POLICIES[template]

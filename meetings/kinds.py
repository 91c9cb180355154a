"""Meeting kinds as policies.

Each kind of meeting is described once here: who may take part, whether written case material is
allowed, what minutes may hold, what is required before it takes place, its defaults and what a
calendar feed may show of it. The rest of the code asks these attributes and never tests a kind's
name, so a new kind is one entry in POLICIES.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    THEMATIC = "thematic", _("Réunion thématique de réseau")
    INTERVISION = "intervision", _("Intervision")
    BALINT = "balint", _("Groupe Balint")
    SUPERVISION = "supervision", _("Supervision")
    EXCHANGE = "exchange", _("« Vis ma vie »")
    CONCERTATION = "concertation", _("Concertation clinique")


class Membership(models.TextChoices):
    OPEN_TO_NETWORK = "open", _("ouvert aux membres du réseau")
    CLOSED_GROUP = "closed", _("groupe fermé")
    INVITED_ONLY = "invited", _("sur invitation")


class FeedDetail(models.TextChoices):
    FULL = "full", _("tout : titre, objet et ordre du jour")
    KIND_AND_GROUP = "kind_and_group", _("le type et le nom du groupe seulement")
    KIND_ONLY = "kind_only", _("le type seulement")


DEFAULT_OUTCOME_LABEL = _("Synthèse")
DEFAULT_OUTCOME_GUIDANCE = _("Ce qui a été dit d'essentiel, en quelques lignes.")


@dataclass(frozen=True)
class KindPolicy:
    kind: Kind
    explanation: Promise
    membership: Membership
    written_case_material: bool
    clinical_minutes: bool
    requires_purpose: bool
    requires_agenda: bool
    default_duration: timedelta
    reminder_before: timedelta
    feed_detail: FeedDetail
    max_group_size: int | None = None
    runs_as_group: bool = False
    # Whether the person concerned and their relatives may be invited (around one person only).
    invites_person_and_relatives: bool = False
    # Whether it is a day a visitor spends in a host service (the exchanges app's meetings).
    hosts_a_visitor: bool = False
    # The outcome form: what its summary is called, what it may hold, whether the group decides
    # and hands out follow-up actions (a Balint group keeps only its themes and attendance).
    outcome_label: Promise = DEFAULT_OUTCOME_LABEL
    outcome_guidance: Promise = DEFAULT_OUTCOME_GUIDANCE
    records_decisions: bool = True
    # The summary's length: what a kind keeps of a meeting, not a limit of the database. A Balint
    # group notes its themes in a few words; a longer text would be the written case it keeps none of.
    outcome_max_length: int = 20_000
    # Why a kind without written case material takes no vignette (shown where one would be written).
    no_vignette_reason: Promise | None = None
    # Which series may be merged (meeting load's "same people" flag): two series of kinds of one
    # family, said in these words; None: never (a concertation is about one person, a "vis ma vie"
    # is a day in one service: two of them are never the same meeting twice).
    merge_family: Promise | None = None

    @property
    def checks_outcome_for_identities(self) -> bool:
        """Outcomes of confidential kinds without clinical minutes must not identify anyone."""
        return self.is_confidential and not self.clinical_minutes

    @property
    def refuses_identities_in_outcome(self) -> bool:
        """Whether an outcome in which someone can be identified is refused outright: a kind
        without written case material keeps none, whatever its author confirms (privacy rule 3).
        Other checked kinds let the author confirm that nobody is identifiable after all."""
        return self.checks_outcome_for_identities and not self.written_case_material

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def is_confidential(self) -> bool:
        """Whether details are reserved to the people taking part."""
        return self.membership != Membership.OPEN_TO_NETWORK


# Intervision and supervision both analyse practice in a closed group from written vignettes.
PRACTICE_GROUPS = _("groupes fermés d'analyse de pratique, où les vignettes écrites sont permises")

POLICIES: dict[str, KindPolicy] = {
    policy.kind.value: policy
    for policy in [
        KindPolicy(
            kind=Kind.THEMATIC,
            merge_family=_("réunions thématiques ouvertes au même réseau"),
            explanation=_(
                "Une rencontre ouverte aux membres du réseau autour d'un thème, avec un objet "
                "et un ordre du jour annoncés."
            ),
            membership=Membership.OPEN_TO_NETWORK,
            written_case_material=True,
            clinical_minutes=False,
            requires_purpose=True,
            requires_agenda=True,
            default_duration=timedelta(hours=2),
            reminder_before=timedelta(hours=48),
            feed_detail=FeedDetail.FULL,
        ),
        KindPolicy(
            kind=Kind.INTERVISION,
            merge_family=PRACTICE_GROUPS,
            explanation=_(
                "Des pairs de services différents réfléchissent ensemble à partir de vignettes "
                "anonymisées, dans un groupe fermé."
            ),
            membership=Membership.CLOSED_GROUP,
            written_case_material=True,
            clinical_minutes=False,
            requires_purpose=False,
            requires_agenda=True,
            default_duration=timedelta(minutes=90),
            reminder_before=timedelta(hours=48),
            feed_detail=FeedDetail.KIND_AND_GROUP,
            runs_as_group=True,
            outcome_label=_("Ce que nous retenons"),
            outcome_guidance=_(
                "Les pistes et apprentissages du groupe, sans rien qui permette d'identifier une personne."
            ),
        ),
        KindPolicy(
            kind=Kind.BALINT,
            merge_family=_("groupes Balint"),
            explanation=_(
                "Un groupe fermé de soignants parle oralement de la relation avec un patient ; "
                "aucun écrit sur les situations n'est conservé."
            ),
            membership=Membership.CLOSED_GROUP,
            written_case_material=False,
            clinical_minutes=False,
            requires_purpose=False,
            requires_agenda=False,
            default_duration=timedelta(minutes=90),
            reminder_before=timedelta(hours=48),
            feed_detail=FeedDetail.KIND_AND_GROUP,
            max_group_size=12,
            runs_as_group=True,
            outcome_label=_("Thèmes abordés"),
            outcome_guidance=_(
                "Pas de contenu clinique : un groupe Balint ne garde que les thèmes abordés et la "
                "présence. Rien sur les patients ni sur les situations."
            ),
            records_decisions=False,
            outcome_max_length=500,
            no_vignette_reason=_(
                "Un groupe Balint travaille à l'oral : aucun écrit sur les situations n'est conservé, "
                "pas même une vignette anonymisée."
            ),
        ),
        KindPolicy(
            kind=Kind.SUPERVISION,
            merge_family=PRACTICE_GROUPS,
            explanation=_(
                "Un superviseur extérieur accompagne une équipe ou un groupe dans l'analyse de sa pratique."
            ),
            membership=Membership.CLOSED_GROUP,
            written_case_material=True,
            clinical_minutes=False,
            requires_purpose=False,
            requires_agenda=False,
            default_duration=timedelta(hours=2),
            reminder_before=timedelta(hours=48),
            feed_detail=FeedDetail.KIND_AND_GROUP,
            runs_as_group=True,
            outcome_label=_("Ce que nous retenons"),
            outcome_guidance=_(
                "Les repères de pratique dégagés, sans rien qui permette d'identifier une personne."
            ),
        ),
        KindPolicy(
            kind=Kind.EXCHANGE,
            explanation=_("Une journée passée dans un autre service pour comprendre comment il travaille."),
            membership=Membership.INVITED_ONLY,
            written_case_material=False,
            clinical_minutes=False,
            requires_purpose=True,
            requires_agenda=False,
            default_duration=timedelta(hours=7),
            reminder_before=timedelta(hours=72),
            feed_detail=FeedDetail.FULL,
            hosts_a_visitor=True,
            no_vignette_reason=_(
                "Un « Vis ma vie » se vit sur place : il ne se prépare pas avec des vignettes."
            ),
        ),
        KindPolicy(
            kind=Kind.CONCERTATION,
            explanation=_(
                "Les professionnels et proches autour d'une personne accompagnée se concertent, "
                "avec son accord ; seuls les participants y ont accès."
            ),
            membership=Membership.INVITED_ONLY,
            written_case_material=False,
            clinical_minutes=True,
            requires_purpose=True,
            requires_agenda=False,
            default_duration=timedelta(hours=1),
            reminder_before=timedelta(hours=24),
            feed_detail=FeedDetail.KIND_ONLY,
            invites_person_and_relatives=True,
            no_vignette_reason=_(
                "Une concertation clinique parle d'une personne avec son accord : elle n'utilise pas "
                "de vignette anonymisée."
            ),
            outcome_label=_("Synthèse de la concertation"),
            outcome_guidance=_(
                "Ce qui a été convenu avec la personne et autour d'elle ; visible des seuls participants."
            ),
        ),
    ]
}


def policy_for(kind: str) -> KindPolicy:
    return POLICIES[kind]


def around_a_person() -> KindPolicy:
    """The kind whose meetings gather the network around one person (the situations app's meetings)."""
    return next(p for p in POLICIES.values() if p.invites_person_and_relatives)


def a_day_elsewhere() -> KindPolicy:
    """The kind whose meetings are a visitor's day in another service (the exchanges app's)."""
    return next(p for p in POLICIES.values() if p.hosts_a_visitor)


def group_kinds() -> list[KindPolicy]:
    """Kinds that run as standing groups (with members, a charter and series of sessions)."""
    return [p for p in POLICIES.values() if p.runs_as_group]


def network_kinds() -> list[KindPolicy]:
    """Kinds a coordinator schedules for the whole network (open to its members)."""
    return [p for p in POLICIES.values() if p.membership == Membership.OPEN_TO_NETWORK]

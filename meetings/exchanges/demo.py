"""Demo « Vis ma vie » rounds, added by `seed_demo` after the core's meetings and the polls:

- an open round: applications until six weeks from today, visits in the two months after. The
  Maison médicale du Peterbos offers two Tuesdays (French and Dutch; its nurse Emine Demir is the
  contact), the bas-seuil antenna Le Passage one Thursday (French; its educator Karim Benali is the
  contact). Karim applies to the maison médicale, Emine to Le Passage, each available on the
  other's days and offering a visit in return, both agreed by the coordinatrice. The coordinator
  sees one proposal at /exchanges/, the reciprocal pair, and confirms it there: no visit of this
  round is written here.
- a past round, the visits of a season ago: four visits that took place (their meetings held,
  their undertakings accepted before the day) and three feedbacks, two of them shared, so that
  the round's report has figures and excerpts.

Quiet and idempotent like the other steps: rows are written directly, as the services would
leave them once their e-mails left (the outbox rows already sent). The open round is renewed only
when the demo is seeded again after its visits are over; the past round is written once.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Network, Organisation, OrganisationKind
from meetings.demo import people
from meetings.exchanges.models import (
    DAY_PART_HOURS,
    AgreementWay,
    Application,
    DayPart,
    ExchangeRound,
    Feedback,
    Offer,
    OfferDate,
    Placement,
    Side,
    Wish,
)
from meetings.exchanges.services.placements import address_of, meeting_title
from meetings.kinds import Kind
from meetings.models import Invitation, InvitationRole, Meeting, MeetingStatus, MessageKind, PartStat
from meetings.recurrence import BRUSSELS
from meetings.services.meetings import meeting_create
from outbox import services as outbox

MEDICAL_HOUSE = "Maison médicale du Peterbos"
LOW_THRESHOLD = "Antenne bas seuil Le Passage"
TITLE_PREFIX = "« Vis ma vie »"

UNDERTAKING = (
    "Je suis tenu·e au secret professionnel partagé pendant toute la journée : ce que j'apprends des "
    "patients et de leur situation reste dans l'équipe qui m'accueille. Je ne prends aucune note "
    "nominative sur les patients, je ne photographie rien, et je ne rapporte rien de ce que j'ai vu "
    "ou entendu hors du service, ni à mon équipe ni ailleurs. Si je reconnais une personne que "
    "j'accompagne, je le dis à ma personne de contact et je me retire de la consultation."
)
STREET_UNDERTAKING = (
    "Les personnes rencontrées en rue ou à l'accueil ne sont pas nommées, ni pendant la journée ni "
    "après. Je ne prends pas de notes sur elles, je ne rapporte rien de ce qui se dit hors du "
    "service, et je respecte le refus d'une personne de me parler ou de me voir présent·e."
)
MM_ACTIVITIES = (
    "L'accueil du matin avec l'équipe, des consultations infirmières (avec l'accord du patient), la "
    "préparation des traitements de substitution avec le médecin, et la réunion d'équipe de midi "
    "où se discutent les situations difficiles."
)
STREET_ACTIVITIES = (
    "La permanence d'accueil sans rendez-vous, l'échange de matériel stérile, une tournée de rue "
    "l'après-midi avec deux éducateurs, et le débriefing de fin de journée."
)

# The past round: visitor, host service, host contact, feedback (author: what they discovered,
# what they change, shared).
PAST_VISITS = [
    ("sophie.lambert", "Service de santé mentale Les Tilleuls", "animateur"),
    ("anna.kowalska", LOW_THRESHOLD, "grace.kabila"),
    ("grace.kabila", "Hôpital du Sud-Ouest — Unité de psychiatrie", "jean.mukendi"),
    ("hilde.maes", "CPAS d'Anderlecht — Service social général", "sophie.lambert"),
]
PAST_FEEDBACK = [
    (
        0,
        Side.VISITOR,
        "Le temps que prend une première consultation en santé mentale, et le travail fait avant "
        "même que la personne arrive : je comprends mieux les délais que je reprochais au service.",
        "J'appelle l'équipe avant d'orienter, pour préparer la demande avec la personne.",
        True,
    ),
    (
        0,
        Side.HOST,
        "Ce que le CPAS doit vérifier avant de pouvoir aider : nous demandions souvent l'impossible.",
        "Nous joignons désormais un court rapport social quand nous orientons vers le CPAS.",
        False,
    ),
    (
        1,
        Side.VISITOR,
        "L'accueil sans condition n'est pas l'absence de cadre : chaque geste de l'équipe est pensé. "
        "Les personnes que nous voyons aux urgences y sont connues depuis des années.",
        "Je propose le numéro du Passage à la sortie de l'hôpital, et je les appelle quand c'est urgent.",
        True,
    ),
]


def today() -> date:
    return timezone.localdate()


def season(day: date) -> str:
    return {12: "hiver", 1: "hiver", 2: "hiver", 3: "printemps", 4: "printemps", 5: "printemps"}.get(
        day.month, "été" if day.month in (6, 7, 8) else "automne"
    )


def round_title(visits_from: date) -> str:
    return f"{TITLE_PREFIX} {season(visits_from)} {visits_from.year}"


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=BRUSSELS)


def _organisation(network: Network, name: str, kind: str) -> Organisation:
    """The demo's service NAME, or the network's first of KIND when the directory changed."""
    services = network.organisations.all()
    return services.filter(name=name).first() or services.filter(kind=kind).order_by("pk").first()


def _offer(round, organisation, contact, *, days, languages, activities, undertaking, created) -> Offer:
    offer = Offer.objects.create(
        round=round,
        organisation=organisation,
        contact=contact,
        capacity=1,
        languages=languages,
        activities=activities,
        undertaking=undertaking,
        people_told=True,
        created_by=contact,
    )
    Offer.objects.filter(pk=offer.pk).update(created_at=created)
    OfferDate.objects.bulk_create(OfferDate(offer=offer, day=day, part=DayPart.DAY) for day in days)
    return offer


def _application(
    round, visitor, organisation, *, days, wished, motivation, wanted, coordinator, at
) -> Application:
    application = Application.objects.create(
        round=round,
        visitor=visitor,
        organisation=organisation,
        motivation=motivation,
        available_days=[day.isoformat() for day in days],
        languages=["fr"],
        wanted_kinds=wanted,
        offers_return=True,
        agreed_at=at + timedelta(days=2),
        agreed_way=AgreementWay.COORDINATOR,
        agreement_recorded_by=coordinator,
    )
    Application.objects.filter(pk=application.pk).update(created_at=at)
    Wish.objects.bulk_create(
        Wish(
            application=application,
            offer=offer,
            undertaking_version=offer.undertaking_version,
            undertaking_accepted_at=at,
        )
        for offer in wished
    )
    return application


@transaction.atomic
def seed_open_round(network: Network) -> None:
    if ExchangeRound.objects.filter(
        network=network, title__startswith=TITLE_PREFIX, visits_until__gte=today()
    ).exists():
        return
    medical_house = _organisation(network, MEDICAL_HOUSE, OrganisationKind.MEDICAL_HOUSE)
    street = _organisation(network, LOW_THRESHOLD, OrganisationKind.LOW_THRESHOLD)
    if medical_house is None or street is None:
        return
    coordinator, nurse, educator = people(["coordinatrice", "emine.demir", "karim.benali"])
    now = timezone.now()
    applications_until = today() + timedelta(weeks=6)
    visits_from = applications_until + timedelta(days=1)
    round = ExchangeRound.objects.create(
        network=network,
        title=round_title(visits_from),
        description=(
            "Une journée dans un autre service du réseau, pour voir comment il accueille, oriente "
            "et travaille. Les services proposent des dates, les travailleurs se portent "
            "candidats ; la coordination forme les paires, de préférence réciproques."
        ),
        applications_until=applications_until,
        visits_from=visits_from,
        visits_until=visits_from + timedelta(days=60),
        created_by=coordinator,
    )
    first_tuesday = next_weekday(visits_from + timedelta(days=7), 1)
    mm_days = [first_tuesday, first_tuesday + timedelta(weeks=1)]
    street_day = next_weekday(visits_from + timedelta(days=9), 3)
    mm_offer = _offer(
        round,
        medical_house,
        nurse,
        days=mm_days,
        languages=["fr", "nl"],
        activities=MM_ACTIVITIES,
        undertaking=UNDERTAKING,
        created=now - timedelta(days=6),
    )
    street_offer = _offer(
        round,
        street,
        educator,
        days=[street_day],
        languages=["fr"],
        activities=STREET_ACTIVITIES,
        undertaking=STREET_UNDERTAKING,
        created=now - timedelta(days=5),
    )
    _application(
        round,
        educator,
        street,
        days=mm_days,
        wished=[mm_offer],
        motivation=(
            "Beaucoup des personnes que nous accompagnons n'ont plus de médecin. Je voudrais voir "
            "comment la maison médicale les accueille, pour mieux les y orienter."
        ),
        wanted=[OrganisationKind.MEDICAL_HOUSE],
        coordinator=coordinator,
        at=now - timedelta(days=4),
    )
    _application(
        round,
        nurse,
        medical_house,
        days=[street_day],
        wished=[street_offer],
        motivation=(
            "Nos patients sous traitement de substitution parlent souvent du Passage. Je voudrais "
            "connaître l'équipe et ce qu'elle propose en rue."
        ),
        wanted=[OrganisationKind.LOW_THRESHOLD],
        coordinator=coordinator,
        at=now - timedelta(days=3),
    )


@transaction.atomic
def seed_past_round(network: Network) -> None:
    visits_until = today() - timedelta(weeks=3)
    visits_from = visits_until - timedelta(days=70)
    title = round_title(visits_from)
    if ExchangeRound.objects.filter(network=network, title=title).exists():
        return
    services = {o.name: o for o in network.organisations.all()}
    if any(host not in services for _visitor, host, _contact in PAST_VISITS):
        return
    (coordinator,) = people(["coordinatrice"])
    opened = at(visits_from - timedelta(days=45), time(9, 0))
    round = ExchangeRound.objects.create(
        network=network,
        title=title,
        description="Les journées d'échange de la saison passée.",
        applications_until=visits_from - timedelta(days=14),
        visits_from=visits_from,
        visits_until=visits_until,
        created_by=coordinator,
    )
    ExchangeRound.objects.filter(pk=round.pk).update(created_at=opened)
    visitors = people([visitor for visitor, _host, _contact in PAST_VISITS])
    contacts = people([contact for _visitor, _host, contact in PAST_VISITS])
    placements = []
    rows = zip(PAST_VISITS, visitors, contacts, strict=True)
    for index, ((_v, host, _c), visitor, contact) in enumerate(rows):
        organisation = services[host]
        own = visitor.professional.organisations.filter(networks=network).order_by("pk").first()
        day = next_weekday(visits_from + timedelta(days=10 + 14 * index), 1 + index % 3)
        offer = _offer(
            round,
            organisation,
            contact,
            days=[day],
            languages=["fr"],
            activities="Une journée avec l'équipe : accueil, entretiens, réunion d'équipe.",
            undertaking=UNDERTAKING,
            created=opened + timedelta(days=3),
        )
        application = _application(
            round,
            visitor,
            own,
            days=[day],
            wished=[offer],
            motivation="Mieux connaître un partenaire avec qui nous travaillons souvent.",
            wanted=[organisation.kind],
            coordinator=coordinator,
            at=opened + timedelta(days=10),
        )
        confirmed = at(visits_from - timedelta(days=7), time(10, 0))
        start, end = (at(day, moment) for moment in DAY_PART_HOURS[DayPart.DAY])
        meeting = meeting_create(
            network=network,
            kind=Kind.EXCHANGE,
            title=meeting_title(own.name, organisation.name),
            purpose=offer.activities,
            start=start,
            end=end,
            organiser=coordinator,
            place=address_of(organisation),
        )
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
        for user in (contact, visitor):
            invitation = Invitation.objects.create(
                meeting=meeting,
                user=user,
                email=user.email,
                name=user.get_full_name(),
                language=user.language,
                role=InvitationRole.PARTICIPANT,
                partstat=PartStat.ACCEPTED,
                answered_at=confirmed + timedelta(hours=3),
                sent_sequence=meeting.sequence,
            )
            outbox.record_sent(
                kind=MessageKind.REQUEST,
                email=invitation.email,
                name=invitation.name,
                language=invitation.language,
                refs={"meeting": meeting.pk, "invitation": invitation.pk},
                at=confirmed + timedelta(minutes=2),
            )
        placements.append(
            Placement.objects.create(
                round=round,
                application=application,
                offer_date=offer.dates.get(),
                reasons=["reciprocal"] if index in (1, 2) else [],
                meeting=meeting,
                confirmed_by=coordinator,
                confirmed_at=confirmed,
                undertaking_version=offer.undertaking_version,
                undertaking_accepted_at=confirmed + timedelta(days=2),
            )
        )
    for index, side, discovered, will_change, shared in PAST_FEEDBACK:
        placement = placements[index]
        author = visitors[index] if side == Side.VISITOR else contacts[index]
        Feedback.objects.create(
            placement=placement,
            author=author,
            side=side,
            discovered=discovered,
            will_change=will_change,
            share_excerpt=shared,
            written_at=placement.meeting.end + timedelta(days=2, hours=3),
        )


def seed(network: Network) -> None:
    seed_open_round(network)
    seed_past_round(network)

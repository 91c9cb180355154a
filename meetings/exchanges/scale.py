"""« Vis ma vie » in the scale data (`seed_scale`), written after the meetings:

- each network has an open round (applications until six weeks from now, visits in the two
  months after). The busiest network's is the benchmark's: 150 offers (1 to 3 dates each,
  capacity 1 or 2, mostly in French, some in Dutch or English) and 300 applications (as many as
  it has people, below that), each available on days the offers hold, naming 0 to 3 offers
  (their undertaking accepted), 60 % offering a visit in return, 90 % agreed. The other
  networks' rounds are smaller. Nothing is confirmed in them: the matching has it all to do.
- each network whose past holds meetings of kind « Vis ma vie » (meetings/scale.py) has a past
  round made of them: each such meeting is a confirmed visit, its organiser the host contact and
  its first other invitee the visitor (once per round), the undertaking accepted before the day;
  about half of the visitors and a third of the hosts wrote their feedback, half of it shared.
"""

from collections import defaultdict
from datetime import date, timedelta

from accounts.bulk import Context
from accounts.models import Network, Organisation, OrganisationKind, Professional
from meetings.exchanges.models import (
    AgreementWay,
    Application,
    DayPart,
    ExchangeRound,
    Feedback,
    Offer,
    OfferDate,
    Placement,
    PlacementStatus,
    Side,
    Wish,
)
from meetings.kinds import Kind
from meetings.models import Invitation, Meeting, MeetingStatus
from meetings.recurrence import BRUSSELS

BUSIEST_OFFERS = 150
BUSIEST_APPLICATIONS = 300
RETURN = 0.6
AGREED = 0.9
VISITOR_FEEDBACK, HOST_FEEDBACK, SHARED = 0.5, 0.35, 0.5
LANGUAGES = ([["fr"], ["fr", "nl"], ["nl"], ["fr", "en"]], [0.7, 0.15, 0.1, 0.05])
PARTS = ([DayPart.DAY, DayPart.MORNING, DayPart.AFTERNOON], [0.8, 0.1, 0.1])
KINDS = [kind.value for kind in OrganisationKind]
ACTIVITIES = "L'accueil du matin, des entretiens avec l'accord des personnes, la réunion d'équipe."
UNDERTAKING = (
    "Je garde pour moi ce que j'apprends des personnes accompagnées, je ne prends aucune note "
    "nominative et je ne rapporte rien hors du service."
)
MOTIVATION = "Mieux connaître un service avec qui nous travaillons, pour mieux y orienter."
DISCOVERED = "Comment l'équipe accueille sans rendez-vous, et le temps que cela demande."
WILL_CHANGE = "J'appelle l'équipe avant d'orienter quelqu'un vers elle."


def seed(ctx: Context) -> None:
    services = _services(ctx)
    _open_rounds(ctx, services)
    _past_rounds(ctx, services)


def _services(ctx: Context) -> dict:
    """Who works where, in which network: {network: {user: [organisation]}}, and kinds."""
    in_network: dict[int, set[int]] = defaultdict(set)
    for network_id, organisation_id in Network.organisations.through.objects.values_list(
        "network_id", "organisation_id"
    ):
        in_network[network_id].add(organisation_id)
    of_user: dict[int, list[int]] = defaultdict(list)
    for user_id, organisation_id in Professional.organisations.through.objects.order_by("pk").values_list(
        "professional__user_id", "organisation_id"
    ):
        of_user[user_id].append(organisation_id)
    people: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for user_id, *_rest, network in ctx.people:
        own = [o for o in of_user.get(user_id, []) if o in in_network[network]]
        if own:
            people[network][user_id] = own
    return {"people": people, "kinds": dict(Organisation.objects.values_list("pk", "kind"))}


def _weekdays(first: date, last: date) -> list[date]:
    return [
        first + timedelta(days=d)
        for d in range((last - first).days + 1)
        if (first + timedelta(days=d)).weekday() < 5
    ]


def _open_rounds(ctx: Context, services: dict) -> None:
    rng, now = ctx.rng, ctx.now
    today = now.astimezone(BRUSSELS).date()
    people = services["people"]
    busiest = max(ctx.networks, key=lambda n: (len(people.get(n, {})), -n))
    for network in ctx.networks:
        members = people.get(network, {})
        if len(members) < 2:
            continue
        if network == busiest:
            offer_count, application_count = BUSIEST_OFFERS, min(BUSIEST_APPLICATIONS, len(members))
        else:
            offer_count, application_count = max(2, len(members) // 10), min(60, len(members) // 4)
        applications_until = today + timedelta(weeks=6)
        visits_from = applications_until + timedelta(days=1)
        visits_until = visits_from + timedelta(days=60)
        coordinator = ctx.coordinators[network][0]
        round_id = ctx.add(
            ExchangeRound,
            {
                "network_id": network,
                "title": f"« Vis ma vie » {visits_from.year}",
                "description": "Une journée dans un autre service du réseau.",
                "applications_until": applications_until,
                "visits_from": visits_from,
                "visits_until": visits_until,
                "created_by_id": coordinator,
                "created_at": now - timedelta(days=rng.randint(5, 20)),
            },
        )
        pool = _weekdays(visits_from, visits_until)
        user_ids = list(members)
        offers, offered_days = [], set()
        for _index in range(offer_count):
            contact = rng.choice(user_ids)
            organisation = rng.choice(members[contact])
            offer_id = ctx.add(
                Offer,
                {
                    "round_id": round_id,
                    "organisation_id": organisation,
                    "contact_id": contact,
                    "capacity": rng.choice([1, 1, 2]),
                    "languages": rng.choices(*LANGUAGES)[0],
                    "activities": ACTIVITIES,
                    "undertaking": UNDERTAKING,
                    "undertaking_version": 1,
                    "people_told": rng.random() < 0.9,
                    "created_by_id": contact,
                    "created_at": now - timedelta(days=rng.randint(1, 5)),
                    "withdrawn_at": None,
                },
            )
            offers.append((offer_id, organisation))
            for day in rng.sample(pool, rng.randint(1, 3)):
                ctx.add(OfferDate, {"offer_id": offer_id, "day": day, "part": rng.choices(*PARTS)[0]})
                offered_days.add(day)
        offered = sorted(offered_days)
        for visitor in rng.sample(user_ids, application_count):
            organisation = rng.choice(members[visitor])
            created = now - timedelta(hours=rng.randint(1, 96))
            agreed = rng.random() < AGREED
            by_manager = rng.random() < 0.5
            _email, _name, language = ctx.recipient(visitor)
            application_id = ctx.add(
                Application,
                {
                    "round_id": round_id,
                    "visitor_id": visitor,
                    "organisation_id": organisation,
                    "motivation": MOTIVATION,
                    "available_days": [
                        d.isoformat()
                        for d in sorted(rng.sample(offered, min(len(offered), rng.randint(3, 10))))
                    ],
                    "languages": ["nl", "fr"] if language == "nl" else rng.choices(*LANGUAGES)[0],
                    "wanted_kinds": rng.sample(KINDS, rng.randint(0, 2)),
                    "offers_return": rng.random() < RETURN,
                    "manager_name": "Responsable du service",
                    "manager_email": f"responsable.{organisation}@services.federation.concertation.test",
                    "manager_nonce": "",
                    "agreed_at": created + timedelta(hours=6) if agreed else None,
                    "agreed_way": (AgreementWay.MANAGER if by_manager else AgreementWay.COORDINATOR)
                    if agreed
                    else "",
                    "agreement_recorded_by_id": coordinator if agreed and not by_manager else None,
                    "created_at": created,
                    "withdrawn_at": None,
                },
            )
            others = [offer_id for offer_id, host in offers if host != organisation]
            for offer_id in rng.sample(others, min(len(others), rng.randint(0, 3))):
                ctx.add(
                    Wish,
                    {
                        "application_id": application_id,
                        "offer_id": offer_id,
                        "undertaking_version": 1,
                        "undertaking_accepted_at": created,
                    },
                )


def _past_rounds(ctx: Context, services: dict) -> None:
    rng, now = ctx.rng, ctx.now
    people, kinds = services["people"], services["kinds"]
    meetings = list(
        Meeting.objects.filter(kind=Kind.EXCHANGE, end__lt=now)
        .exclude(status__in=[MeetingStatus.CANCELLED, MeetingStatus.DRAFT])
        .order_by("start", "pk")
        .values("pk", "network_id", "organiser_id", "start", "end")
    )
    invitees: dict[int, list[int]] = defaultdict(list)
    for meeting_id, user_id in (
        Invitation.objects.filter(meeting__in=[m["pk"] for m in meetings], user__isnull=False)
        .order_by("pk")
        .values_list("meeting_id", "user_id")
    ):
        invitees[meeting_id].append(user_id)
    by_network: dict[int, list[dict]] = defaultdict(list)
    for meeting in meetings:
        by_network[meeting["network_id"]].append(meeting)
    for network, held in by_network.items():
        members = people.get(network, {})
        days = [m["start"].astimezone(BRUSSELS).date() for m in held]
        coordinator = ctx.coordinators[network][0]
        round_id = ctx.add(
            ExchangeRound,
            {
                "network_id": network,
                "title": f"« Vis ma vie » {days[0].year} (passée)",
                "description": "Les journées d'échange passées.",
                "applications_until": days[0] - timedelta(days=14),
                "visits_from": days[0],
                "visits_until": days[-1],
                "created_by_id": coordinator,
                "created_at": held[0]["start"] - timedelta(days=60),
            },
        )
        placed: set[int] = set()
        for meeting, day in zip(held, days, strict=True):
            host = meeting["organiser_id"]
            visitor = next(
                (u for u in invitees[meeting["pk"]] if u != host and u in members and u not in placed), None
            )
            if visitor is None or host not in members:
                continue
            host_organisation = members[host][0]
            # A visit is to another service: the visitor's first one that is not the host's.
            visitor_organisation = next((o for o in members[visitor] if o != host_organisation), None)
            if visitor_organisation is None:
                continue
            placed.add(visitor)
            confirmed = meeting["start"] - timedelta(days=rng.randint(10, 30))
            offer_id = ctx.add(
                Offer,
                {
                    "round_id": round_id,
                    "organisation_id": host_organisation,
                    "contact_id": host,
                    "capacity": 1,
                    "languages": ["fr"],
                    "activities": ACTIVITIES,
                    "undertaking": UNDERTAKING,
                    "undertaking_version": 1,
                    "people_told": True,
                    "created_by_id": host,
                    "created_at": confirmed - timedelta(days=30),
                    "withdrawn_at": None,
                },
            )
            offer_date_id = ctx.add(OfferDate, {"offer_id": offer_id, "day": day, "part": DayPart.DAY})
            application_id = ctx.add(
                Application,
                {
                    "round_id": round_id,
                    "visitor_id": visitor,
                    "organisation_id": visitor_organisation,
                    "motivation": MOTIVATION,
                    "available_days": [day.isoformat()],
                    "languages": ["fr"],
                    "wanted_kinds": [kinds.get(host_organisation, "")]
                    if kinds.get(host_organisation)
                    else [],
                    "offers_return": rng.random() < RETURN,
                    "manager_name": "",
                    "manager_email": "",
                    "manager_nonce": "",
                    "agreed_at": confirmed - timedelta(days=5),
                    "agreed_way": AgreementWay.COORDINATOR,
                    "agreement_recorded_by_id": coordinator,
                    "created_at": confirmed - timedelta(days=20),
                    "withdrawn_at": None,
                },
            )
            ctx.add(
                Wish,
                {
                    "application_id": application_id,
                    "offer_id": offer_id,
                    "undertaking_version": 1,
                    "undertaking_accepted_at": confirmed - timedelta(days=20),
                },
            )
            placement_id = ctx.add(
                Placement,
                {
                    "round_id": round_id,
                    "application_id": application_id,
                    "offer_date_id": offer_date_id,
                    "host_id": host,
                    "status": PlacementStatus.CONFIRMED,
                    "reasons": [],
                    "meeting_id": meeting["pk"],
                    "confirmed_by_id": coordinator,
                    "confirmed_at": confirmed,
                    "cancelled_at": None,
                    "undertaking_version": 1,
                    "undertaking_accepted_at": confirmed + timedelta(days=2),
                },
            )
            for author, side, share in (
                (visitor, Side.VISITOR, VISITOR_FEEDBACK),
                (host, Side.HOST, HOST_FEEDBACK),
            ):
                if rng.random() < share:
                    ctx.add(
                        Feedback,
                        {
                            "placement_id": placement_id,
                            "author_id": author,
                            "side": side,
                            "discovered": DISCOVERED,
                            "will_change": WILL_CHANGE,
                            "share_excerpt": rng.random() < SHARED,
                            "written_at": min(meeting["end"] + timedelta(days=rng.randint(2, 9)), now),
                        },
                    )

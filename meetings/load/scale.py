"""Meeting load in the scale data (`seed_scale`): what people told the application about their
time — a third of the professionals gave their travel time to a place or two they go to, a
tenth set a budget of their own —, a fifth of the services set their own budget per full-time
month, and each network's coordinators set a few health flags aside.

Every series a year old or more went through its yearly reviews as the daily task would have
run them (services/reviews.py): each past anniversary asked of the series' facilitators (the
e-mails sent), answered within three weeks — kept, now and then shortened —; the anniversary of
the last thirty days still open, some already answered, reminded when its answer is due within
the week. So the task finds nothing to open, remind or stop on the seeded data.

Hours themselves are computed from meetings, invitations and roll calls, which the steps below
this one wrote: nothing of them is stored here.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import F

from accounts.bulk import Context
from accounts.models import Network, Organisation, Professional
from meetings.load.accounting import place_key
from meetings.load.models import FlagDismissal, OrganisationBudget, ReviewAnswer, SeriesReview, TravelEstimate
from meetings.load.notices import ReviewKind
from meetings.load.services import reviews
from meetings.models import Meeting, Series
from meetings.recurrence import BRUSSELS

TRAVELLERS = 0.33
OWN_BUDGET = 0.10
SERVICES_WITH_A_BUDGET = 0.20
DISMISSALS_PER_NETWORK = 3
DISMISSAL_REASONS = [
    "Série de lancement : la fréquentation se stabilise après la rentrée.",
    "Les deux groupes se rejoignent déjà une fois par trimestre.",
    "Décision reportée à l'assemblée générale.",
]


def seed(ctx: Context) -> None:
    rng = ctx.rng
    places = sorted(set(Meeting.objects.exclude(place="").values_list("place", flat=True).distinct()[:50]))
    profiles = list(Professional.objects.order_by("user_id").values_list("user_id", flat=True))
    own_budgets: dict[int, list[int]] = {}  # hours per full-time month → who chose it
    bar = ctx.bar(len(profiles), "meeting load")
    for user_id in profiles:
        bar.update()
        if places and rng.random() < TRAVELLERS:
            for place in rng.sample(places, min(len(places), rng.choice([1, 1, 2]))):
                ctx.add(
                    TravelEstimate,
                    {
                        "user_id": user_id,
                        "place_key": place_key(place),
                        "place": place,
                        "minutes": rng.choice([10, 20, 40, 60, 90]),
                        "updated_at": ctx.now,
                    },
                )
        if rng.random() < OWN_BUDGET:
            own_budgets.setdefault(rng.choice([4, 6, 10, 12]), []).append(user_id)
    bar.close()
    for per_fte, user_ids in own_budgets.items():
        # Rounded to the tenth of an hour by the column, as a budget typed in the form would be.
        Professional.objects.filter(user_id__in=user_ids).update(monthly_meeting_budget=F("fte") * per_fte)
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        if rng.random() < SERVICES_WITH_A_BUDGET:
            ctx.add(
                OrganisationBudget,
                {
                    "organisation_id": organisation_id,
                    "hours_per_fte": Decimal(rng.choice([6, 10, 12])),
                    "updated_by_id": None,
                    "updated_at": ctx.now,
                },
            )
    _reviews(ctx)
    first_coordinator = {}
    for network_id, user_id in Network.coordinators.through.objects.order_by(
        "network_id", "user_id"
    ).values_list("network_id", "user_id"):
        first_coordinator.setdefault(network_id, user_id)
    for network_id, coordinator_id in first_coordinator.items():
        _dismissals(ctx, network_id, coordinator_id)


def _dismissals(ctx: Context, network_id: int, coordinator_id: int) -> None:
    """A few series flags set aside by the network's first coordinator, with their reasons."""
    series = list(
        Series.objects.filter(network_id=network_id).order_by("pk").values_list("pk", flat=True)[:20]
    )
    for series_id in ctx.rng.sample(series, min(len(series), DISMISSALS_PER_NETWORK)):
        ctx.add(
            FlagDismissal,
            {
                "network_id": network_id,
                "flag": "low_attendance",
                "subject_key": f"series:{series_id}",
                "reason": ctx.rng.choice(DISMISSAL_REASONS),
                "dismissed_by_id": coordinator_id,
                "dismissed_at": ctx.now,
            },
        )


SHORTENED = 0.1
ANSWERED_EARLY = 0.3  # of the reviews still open: answered already


def _reviews(ctx: Context) -> None:
    today = ctx.now.astimezone(BRUSSELS).date()
    for series in Series.objects.select_related("organiser", "network").order_by("pk"):
        years = 1
        asked_of = None
        while (due_on := reviews.anniversary(series, years)) <= today:
            years += 1
            answer_by = due_on + reviews.ANSWER_WITHIN
            still_open = answer_by > today
            if still_open and not reviews.makes_sessions(series, now=ctx.now):
                break  # ended or cancelled: the task no longer reviews it
            asked_of = asked_of or reviews.recipients(series)
            _review(ctx, series, due_on, answer_by, today, still_open, asked_of)


def _review(ctx, series, due_on, answer_by, today, still_open: bool, asked_of) -> None:
    rng = ctx.rng
    asked_at = datetime.combine(due_on, time(6, 45), tzinfo=BRUSSELS)
    answered = not still_open or rng.random() < ANSWERED_EARLY
    answered_on = due_on + timedelta(days=rng.randint(1, 20))
    if still_open:
        answered_on = min(answered_on, today)
    answered_at = datetime.combine(answered_on, time(12, 30), tzinfo=BRUSSELS)
    answered = answered and answered_at <= ctx.now
    shortened = rng.random() < SHORTENED
    reminded = (
        not answered and answer_by - reviews.REMIND_BEFORE <= today
    )  # the reminder the task sent this week
    reminded_at = datetime.combine(answer_by - reviews.REMIND_BEFORE, time(6, 45), tzinfo=BRUSSELS)
    review_id = ctx.add(
        SeriesReview,
        {
            "series_id": series.pk,
            "due_on": due_on,
            "answer_by": answer_by,
            "asked_at": asked_at,
            "reminded_at": reminded_at if reminded else None,
            "answer": (ReviewAnswer.SHORTEN if shortened else ReviewAnswer.KEEP) if answered else "",
            "reason": "Une séance sur deux suffit au groupe." if answered and shortened else "",
            "merge_with_id": None,
            "answered_by_id": series.organiser_id if answered else None,
            "answered_at": answered_at if answered else None,
            "stopped_at": None,
            "rule_before_stop": "",
        },
    )
    for user in asked_of:
        refs = {"review": review_id, "series": series.pk}
        key = f"series-review-ask:{review_id}:{user.pk}"
        ctx.sent(kind=ReviewKind.ASK, user_id=user.pk, at=asked_at, dedupe_key=key, **refs)
        if reminded:
            key = f"series-review-remind:{review_id}:{user.pk}"
            ctx.sent(kind=ReviewKind.REMIND, user_id=user.pk, at=reminded_at, dedupe_key=key, **refs)

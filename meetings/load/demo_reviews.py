"""Demo data for meeting load: a series of the demo facilitator due for its yearly review."""

from datetime import time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.models import Network
from meetings.demo import mark_past_sessions_held, people
from meetings.kinds import Kind
from meetings.load.models import SeriesReview
from meetings.load.services import reviews
from meetings.recurrence import first_occurrence, local_start
from meetings.services.series import series_create

REVIEW_SERIES_TITLE = "Midi des travailleurs de rue"
# The demo series began a year and this many days ago: its yearly review was asked that long ago,
# and its answer is due in the coming weeks.
REVIEW_ASKED_DAYS_AGO = 6
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@transaction.atomic
def seed_reviews(network: Network) -> None:
    """A monthly network series organised by the demo facilitator (animateur@…), begun a little
    over a year ago, with its yearly review open: asked six days ago (asked_at set, as the task
    would have done; no e-mail is queued), to answer in the coming weeks. Idempotent."""
    if network.series.filter(title=REVIEW_SERIES_TITLE).exists():
        return
    today = timezone.localdate()
    began = today - relativedelta(years=1) - timedelta(days=REVIEW_ASKED_DAYS_AGO)
    began -= timedelta(days=max(0, began.weekday() - 4))  # a weekday: back to Friday
    # Every four weeks on the weekday it began: its first session is that very day.
    rule = f"FREQ=WEEKLY;INTERVAL=4;BYDAY={WEEKDAYS[began.weekday()]}"
    dtstart = first_occurrence(rule, local_start(began, time(12, 15)))
    series = series_create(
        network=network,
        kind=Kind.THEMATIC,
        title=REVIEW_SERIES_TITLE,
        purpose="Un midi par mois, les éducateurs et éducatrices de rue du réseau partagent ce qu'ils "
        "voient dans le quartier et préparent les orientations communes.",
        dtstart=dtstart,
        duration=timedelta(minutes=75),
        rrule=rule,
        organiser=people(["animateur"])[0],
        place="Antenne bas seuil Le Passage, Rue Brogniez 41, 1070 Anderlecht",
    )
    mark_past_sessions_held(series)
    due_on = reviews.anniversary(series, 1)
    SeriesReview.objects.create(
        series=series,
        due_on=due_on,
        answer_by=due_on + reviews.ANSWER_WITHIN,
        asked_at=timezone.now() - timedelta(days=(today - due_on).days),
    )

"""The demo's series due for its yearly review: open, asked without any e-mail, on the demo
facilitator's home page."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.load.demo_reviews import REVIEW_SERIES_TITLE
from meetings.load.models import SeriesReview
from meetings.load.notices import KINDS
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_series_due_for_its_yearly_review(client):
    call_command("seed_demo")
    call_command("seed_demo")  # twice: still one series, one review

    review = SeriesReview.objects.select_related("series__organiser").get(series__title=REVIEW_SERIES_TITLE)
    today = timezone.localdate()
    assert review.due_on <= today < review.answer_by <= today + timedelta(days=30)
    assert review.asked_at is not None and review.answer == "" and review.stopped_at is None
    assert review.series.organiser.email == "animateur@demo.concertation.test"
    assert not OutboxMessage.objects.filter(kind__in=KINDS).exists()

    client.login(email="animateur@demo.concertation.test", password="concertation-demo")
    home = client.get(reverse("home"))
    url = reverse("load:series_review", args=[review.series_id])
    assert ("series_review", REVIEW_SERIES_TITLE, url) in [
        (i.kind, i.text, i.url) for i in home.context["todos"]
    ]
    page = client.get(url).content.decode()
    assert REVIEW_SERIES_TITLE in page and 'id="review-form"' in page

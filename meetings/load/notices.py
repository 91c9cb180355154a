"""The e-mails of meeting load: the yearly review of a series and its reminder.

Like every e-mail they carry no case material (DESIGN.md, privacy rule 1): the series' kind and
what may be shown of it (ical.public_heading, never a title that may name a situation), the
deadline, and a link to the review page (login required) that records nothing on GET (privacy
rule 7). A row's references: "user" (the recipient's account), "review" and "series".
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from meetings import ical
from outbox import services as outbox
from outbox.models import OutboxMessage
from outbox.rendering import template_email


class ReviewKind(models.TextChoices):
    ASK = "series_review", _("revue annuelle d'une série")
    REMIND = "series_review_reminder", _("rappel de la revue annuelle d'une série")


KINDS = tuple(ReviewKind)


def review_url(series_id: int) -> str:
    return settings.SITE_URL + reverse("load:series_review", kwargs={"pk": series_id})


def queue_review(*, review, user, kind: str) -> bool:
    """The question (or its reminder) to USER, once per review and person."""
    stage = "remind" if kind == ReviewKind.REMIND else "ask"
    return outbox.queue_once(
        kind=kind,
        dedupe_key=f"series-review-{stage}:{review.pk}:{user.pk}",
        **outbox.addressed_to(user, review=review.pk, series=review.series_id),
    )


def render(message: OutboxMessage, cache: dict) -> EmailMultiAlternatives | None:
    from meetings.load.models import SeriesReview

    review = (
        SeriesReview.objects.select_related("series__group").filter(pk=message.refs.get("review")).first()
    )
    if review is None:
        return None
    if message.kind == ReviewKind.REMIND and (review.answer or review.stopped_at):
        return None  # answered (or past its deadline) since: nothing to remind
    context = {
        "recipient_name": message.recipient_name,
        "heading": ical.public_heading(review.series),
        "started": formats.date_format(timezone.localtime(review.series.dtstart).date(), "j F Y"),
        "answer_by": formats.date_format(review.answer_by, "j F Y"),
        "url": review_url(review.series_id),
    }
    return template_email(message.kind.replace("_", "-"), context)

"""Both sides of a visit are asked for their feedback 2 days after it, and reminded once a week
later if they have not written it (services/feedback.py queues them). A row's references: "user"
(the recipient) and "placement".

Rendered when it leaves, as things stand then: nothing (None) for a placement cancelled since or
gone, a recipient who is no longer one of its sides, or who has written their feedback since. The
e-mail carries no case material: the two services, the day and the link to the feedback page
(which changes nothing on GET).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    REQUEST = "exchange_feedback", _("« Vis ma vie » : retour demandé après la visite")
    REMINDER = "exchange_feedback_reminder", _("« Vis ma vie » : rappel du retour")


KINDS = tuple(FeedbackKind)


def feedback_url(placement_id: int) -> str:
    return settings.SITE_URL + reverse("exchanges:feedback", args=[placement_id])


def _placement(message, cache: dict):
    from meetings.exchanges.models import Placement

    placements = cache.setdefault("exchange_placements", {})
    placement_id = message.refs.get("placement")
    if placement_id not in placements:
        placements[placement_id] = (
            Placement.objects.filter(pk=placement_id)
            .select_related("meeting", "application__organisation", "offer_date__offer__organisation")
            .first()
        )
    return placements[placement_id]


def render(message, cache):
    from meetings.exchanges.models import Feedback
    from meetings.exchanges.services import feedback as services
    from outbox.rendering import template_email

    placement = _placement(message, cache)
    if placement is None or services.is_cancelled(placement):
        return None
    user_id = message.refs.get("user")
    if user_id not in (placement.application.visitor_id, placement.host_id):
        return None
    if Feedback.objects.filter(placement=placement, author_id=user_id).exists():
        return None
    offer_date = placement.offer_date
    context = {
        "recipient_name": message.recipient_name,
        "is_visitor": user_id == placement.application.visitor_id,
        "visitor_service": placement.application.organisation.name,
        "host_service": offer_date.offer.organisation.name,
        "day": formats.date_format(offer_date.day, "l j F Y"),
        "part": offer_date.get_part_display(),
        "url": feedback_url(placement.pk),
    }
    return template_email(message.kind.replace("_", "-"), context)

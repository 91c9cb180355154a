"""The visitor hears that their visit is confirmed and is asked to read and accept the host's
confidentiality undertaking before the day (the meeting's own invitation, with its calendar file,
comes from the core to both sides). It names the services and the day, nothing of anyone cared
for; its link opens the visit page, which changes nothing on GET. Refs: "placement", "user"."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from outbox import services as outbox


class PlacementKind(models.TextChoices):
    CONFIRMED = "exchange_confirmed", _("« Vis ma vie » : visite confirmée, engagement à accepter")


KINDS = tuple(PlacementKind)


def confirmed_key(placement_id: int, version: int | None = None) -> str:
    """Once per visit, and once more for each new text of the host's undertaking."""
    key = f"exchange-confirmed:{placement_id}"
    return f"{key}:v{version}" if version and version > 1 else key


def queue_confirmed(placement, visitor, *, version: int | None = None) -> bool:
    return outbox.queue_once(
        kind=PlacementKind.CONFIRMED,
        dedupe_key=confirmed_key(placement.pk, version),
        **outbox.addressed_to(visitor, placement=placement.pk),
    )


def visit_url(placement_id: int) -> str:
    return settings.SITE_URL + reverse("exchanges:visit", args=[placement_id])


def render(message, cache):
    """The e-mail as things stand when it leaves, or None: a visit cancelled meanwhile, or whose
    undertaking was accepted since."""
    from meetings.exchanges.models import Placement, PlacementStatus
    from outbox.rendering import template_email

    placement = (
        Placement.objects.filter(pk=message.refs.get("placement"))
        .select_related("offer_date__offer__organisation", "application__organisation")
        .first()
    )
    if placement is None or placement.status != PlacementStatus.CONFIRMED or placement.undertaking_accepted:
        return None
    offer_date = placement.offer_date
    context = {
        "recipient_name": message.recipient_name,
        "host": offer_date.offer.organisation.name,
        "day": formats.date_format(offer_date.day, "l j F Y"),
        "part": offer_date.get_part_display(),
        "url": visit_url(placement.pk),
    }
    return template_email("exchange-confirmed", context)

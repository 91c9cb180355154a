from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementKind(models.TextChoices):
    CONFIRMED = "exchange_confirmed", _("« Vis ma vie » : visite confirmée, engagement à accepter")


KINDS = tuple(PlacementKind)


def render(message, cache):
    raise NotImplementedError  # written with the placements

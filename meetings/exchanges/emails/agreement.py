from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    REQUEST = "exchange_agreement", _("« Vis ma vie » : accord du service demandé")


KINDS = tuple(AgreementKind)


def render(message, cache):
    raise NotImplementedError  # written with the applications

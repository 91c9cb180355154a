from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    REQUEST = "exchange_feedback", _("« Vis ma vie » : retour demandé après la visite")
    REMINDER = "exchange_feedback_reminder", _("« Vis ma vie » : rappel du retour")


KINDS = tuple(FeedbackKind)


def render(message, cache):
    raise NotImplementedError  # written with the feedback

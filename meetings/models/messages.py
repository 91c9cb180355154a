"""The kinds of e-mail the meetings app sends through the outbox (outbox.OutboxMessage.kind).

They render in meetings.emails (invitations and reminders, with their calendar part) and
meetings.followup.notices (after meetings), registered from FollowupConfig.ready().
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    REQUEST = "request", _("invitation")
    UPDATE = "update", _("mise à jour")
    CANCEL = "cancel", _("annulation")
    REMINDER = "reminder", _("rappel")
    PREPARATION = "preparation", _("rappel de préparation")
    ACTION_REMINDER = "action_reminder", _("rappel d'action")
    ACTION_DIGEST = "action_digest", _("actions en retard")
    CLOSE_REMINDER = "close_reminder", _("réunion à clôturer")
    FEEDBACK = "feedback", _("demande d'avis")

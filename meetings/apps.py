from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Réunions")

    def ready(self):
        from meetings import emails, notices
        from outbox import registry

        # The e-mails about meetings and series, with their calendar part.
        for kind in emails.KINDS:
            registry.register(kind, emails.render, label=kind.label, prepare=emails.prepare)
        # The e-mails after meetings: action reminders, digests, closing reminders, feedback.
        for kind in notices.KINDS:
            registry.register(kind, notices.render, label=kind.label)

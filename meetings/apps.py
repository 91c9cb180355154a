from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Réunions")
    demo = "meetings.demo.seed"

    def ready(self):
        from meetings import emails
        from outbox import registry

        # The e-mails about meetings and series, with their calendar part.
        for kind in emails.KINDS:
            registry.register(kind, emails.render, label=kind.label, prepare=emails.prepare)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Réunions")
    demo = "meetings.demo.seed"
    scale = "meetings.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from meetings import emails, personal_data
        from outbox import registry

        # The e-mails about meetings and series, with their calendar part.
        for kind in emails.KINDS:
            registry.register(kind, emails.render, label=kind.label, prepare=emails.prepare)

        # Their memberships, invitations and answers in every export and erasure of a person.
        personal.register("meetings", personal_data.export, erase=personal_data.erase)

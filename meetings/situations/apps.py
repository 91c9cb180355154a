from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationsConfig(AppConfig):
    name = "meetings.situations"
    label = "situations"
    verbose_name = _("Situations")
    demo = "meetings.situations.demo.seed"
    scale = "meetings.situations.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from meetings.situations import notices, panels, personal_data  # noqa: F401  (registers e-mails and panels)
        from outbox import registry

        for kind in notices.KINDS:
            registry.register(kind, notices.render, label=kind.label)

        personal.register("situations", personal_data.export, erase=personal_data.erase)

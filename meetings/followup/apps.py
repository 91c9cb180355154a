from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "meetings.followup"
    label = "followup"
    verbose_name = _("Comptes rendus et suivi")
    demo = "meetings.followup.demo.seed"

    def ready(self):
        from meetings.followup import panels  # noqa: F401  (registers the app's panels)

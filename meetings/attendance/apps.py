from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "meetings.attendance"
    label = "attendance"
    verbose_name = _("Présences et attestations")

    def ready(self):
        from meetings.attendance import panels  # noqa: F401  (registers the app's panels)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "meetings.attendance"
    label = "attendance"
    verbose_name = _("Présences et attestations")
    demo = "meetings.attendance.demo.seed"
    scale = "meetings.attendance.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from accounts import todo as home
        from meetings.attendance import notices, panels, personal_data, todo  # noqa: F401  (panels register themselves)
        from meetings.attendance.services.reports import REPORT_REMINDER
        from outbox import registry

        # The rapporteur's reminder to hand in a session's attendance for accreditation.
        registry.register(REPORT_REMINDER, notices.render, label=notices.LABEL)

        personal.register("attendance", personal_data.export, erase=personal_data.erase)
        # The home page's "À faire": roll calls first, they are the ones that cannot wait.
        home.register("attendance.roll_calls", todo.roll_calls, order=10)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoadConfig(AppConfig):
    name = "meetings.load"
    label = "load"
    verbose_name = _("Charge de réunions")
    demo = "meetings.load.demo.seed"
    scale = "meetings.load.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from accounts import todo as home
        from meetings.load import notices, panels, personal_data, todo  # noqa: F401  (panels register themselves)
        from outbox import registry

        personal.register("load", personal_data.export, erase=personal_data.erase)

        # The yearly review of a series: the question, and the reminder before it stops.
        for kind in notices.KINDS:
            registry.register(kind, notices.render, label=kind.label)

        # The home page's "À faire": the yearly reviews waiting for an answer, after follow-up's.
        home.register("load.series_reviews", todo.reviews, order=50)

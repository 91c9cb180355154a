from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "meetings.followup"
    label = "followup"
    verbose_name = _("Comptes rendus et suivi")
    demo = "meetings.followup.demo.seed"
    scale = "meetings.followup.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from accounts import todo as home
        from meetings.followup import notices, panels, personal_data, todo  # noqa: F401  (panels register themselves)
        from outbox import registry

        # The e-mails after meetings: action reminders, digests, closing reminders, feedback.
        for kind in notices.KINDS:
            registry.register(kind, notices.render, label=kind.label)

        personal.register("followup", personal_data.export, erase=personal_data.erase)

        # The home page's "À faire", after attendance's roll calls: a meeting's outcome, then its
        # closing, then my own actions.
        home.register("followup.outcomes", todo.outcomes, order=20)
        home.register("followup.to_close", todo.to_close, order=30)
        home.register("followup.actions", todo.actions, order=40)

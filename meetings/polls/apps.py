from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "meetings.polls"
    label = "polls"
    verbose_name = _("Sondages de date")
    demo = "meetings.polls.demo.seed"
    scale = "meetings.polls.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from accounts import todo as home
        from meetings.polls import notices, personal_data, todo
        from outbox import registry

        personal.register("polls", personal_data.export, erase=personal_data.erase)
        for kind in notices.KINDS:
            registry.register(kind, notices.render, label=kind.label)
        home.register("polls.to_answer", todo.to_answer, order=60)

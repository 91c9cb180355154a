from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "meetings.exchanges"
    label = "exchanges"
    verbose_name = _("« Vis ma vie »")
    demo = "meetings.exchanges.demo.seed"
    scale = "meetings.exchanges.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from accounts import todo as home
        from meetings.exchanges import personal_data, todo
        from meetings.exchanges.emails import agreement, feedback, placement
        from outbox import registry

        personal.register("exchanges", personal_data.export, erase=personal_data.erase)
        for module in (agreement, placement, feedback):
            for kind in module.KINDS:
                registry.register(kind, module.render, label=kind.label)
        home.register("exchanges.to_do", todo.to_do, order=70)

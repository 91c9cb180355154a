from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VignettesConfig(AppConfig):
    name = "meetings.vignettes"
    label = "vignettes"
    verbose_name = _("Vignettes")
    demo = "meetings.vignettes.demo.seed"

    def ready(self):
        from meetings.vignettes import panels  # noqa: F401  (registers the app's panels)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VignettesConfig(AppConfig):
    name = "meetings.vignettes"
    label = "vignettes"
    verbose_name = _("Vignettes")
    demo = "meetings.vignettes.demo.seed"
    scale = "meetings.vignettes.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from meetings.vignettes import panels, personal_data  # noqa: F401  (registers the app's panels)

        personal.register("vignettes", personal_data.export, erase=personal_data.erase)

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from accounts import demo


class Command(BaseCommand):
    help = "Load the demo network (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        network = demo.seed_directory()
        # Each app that has demo data names its step in its AppConfig (`demo = "app.demo.seed"`);
        # they run in INSTALLED_APPS order, so an app finds the data of the apps below it.
        for config in apps.get_app_configs():
            step = getattr(config, "demo", None)
            if step:
                import_string(step)(network)
        self.stdout.write(
            f"Demo network ready: {network.name}. Log in as {demo.demo_email('coordinatrice')} "
            f"(password {demo.DEMO_PASSWORD})."
        )

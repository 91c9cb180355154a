from django.core.management.base import BaseCommand

from accounts import demo
from meetings.demo import EXTENSIONS


class Command(BaseCommand):
    help = "Load the demo network (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        network = demo.seed_directory()
        for extend in EXTENSIONS:
            extend(network)
        self.stdout.write(
            f"Demo network ready: {network.name}. Log in as {demo.demo_email('coordinatrice')} "
            f"(password {demo.DEMO_PASSWORD})."
        )

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.bulk import Context
from accounts.models import Professional, User


class Command(BaseCommand):
    help = (
        "Fill an empty database with a regional federation (200 services, 5,000 professionals, "
        "300 groups, 100,000 meetings, about a million invitations) for benchmarks; --scale 0.1 "
        "for a tenth. Refuses a database that already has professionals."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0: the full federation.")
        parser.add_argument("--seed", type=int, default=15, help="The random seed (same seed, same shapes).")

    def handle(self, *args, scale, seed, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        if Professional.objects.exists():
            raise CommandError(
                "This database already has professionals: seed_scale only fills an empty database "
                "(after `migrate`), so that nobody fills a real one with invented people by mistake."
            )
        began = time.monotonic()
        ctx = Context(scale=scale, now=timezone.now(), seed=seed, progress=options["verbosity"] > 0)
        with transaction.atomic():
            # The accounts step first: each app that has scale data names its step in its
            # AppConfig (`scale = "app.scale.seed"`), run in INSTALLED_APPS order so that an app
            # finds the rows of the apps below it.
            for config in apps.get_app_configs():
                step = getattr(config, "scale", None)
                if step:
                    started = time.monotonic()
                    import_string(step)(ctx)
                    ctx.flush()
                    ctx.analyze()
                    self.stderr.write(f"{config.label}: {time.monotonic() - started:.1f} s")
            ctx.reset_sequences()
        counts = ", ".join(f"{label.split('.')[-1]} {count:,}" for label, count in sorted(ctx.counts.items()))
        self.stdout.write(f"Scale data ({scale:g}) written in {time.monotonic() - began:.0f} s: {counts}")
        busiest = (
            User.objects.filter(professional__isnull=False)
            .annotate(meetings=Count("invitations"))
            .order_by("-meetings", "pk")
            .values_list("email", flat=True)
            .first()
        )
        self.stdout.write(f"busiest: {busiest}")

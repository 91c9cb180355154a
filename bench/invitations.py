"""Benchmark: 1,000 invitations through the outbox, Celery and Redis to an SMTP sink.

Prints e-mails per second for the whole pipeline (queue rows → worker → SMTP) and for a plain
smtplib loop sending the very same messages over one connection to the same sink, and their
ratio. Needs PostgreSQL and Redis: `make bench-invitations` provides both URLs.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertation.settings")

COUNT = int(os.environ.get("BENCH_INVITATIONS", "1000"))


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.DATABASE_URL or "").startswith("postgres") or not settings.REDIS_URL:
        sys.exit("bench-invitations needs DATABASE_URL (postgres://) and REDIS_URL")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    from tests.smtp import SMTPServer

    with SMTPServer() as sink:
        worker = start_worker(sink.port)
        try:
            pipeline_seconds, messages = run_pipeline(sink.inbox)
            print(f"pipeline done in {pipeline_seconds:.1f} s", flush=True)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        baseline_seconds = run_baseline(sink, messages)
    pipeline_rate = COUNT / pipeline_seconds
    baseline_rate = COUNT / baseline_seconds
    print(f"e-mails: {COUNT}")
    print(f"pipeline (outbox → Celery/Redis → SMTP): {pipeline_seconds:.2f} s, {pipeline_rate:.0f} e-mails/s")
    print(f"plain smtplib loop, same messages:       {baseline_seconds:.2f} s, {baseline_rate:.0f} e-mails/s")
    print(f"ratio pipeline / smtplib: {pipeline_rate / baseline_rate:.2f} (target ≥ 0.5)")


def start_worker(port: int) -> subprocess.Popen:
    from worker.celery import app

    app.control.purge()
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "worker.celery",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--hostname=bench@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not app.control.ping(timeout=0.5):
        time.sleep(0.2)
    return process


def run_pipeline(inbox) -> tuple[float, list[bytes]]:
    from datetime import time as clock
    from datetime import timedelta

    from django.utils import timezone

    from meetings.kinds import Kind
    from meetings.recurrence import first_occurrence, local_start
    from meetings.services import invitations as inv
    from meetings.services.series import series_create
    from outbox.models import OutboxMessage
    from outbox.rendering import render
    from tests.factories import NetworkFactory, OrganisationFactory, UserFactory

    organiser = UserFactory()
    network = NetworkFactory(coordinators=[organiser], organisations=[OrganisationFactory()])
    series = series_create(
        network=network,
        kind=Kind.THEMATIC,
        title="Réunion mensuelle de la coordination",
        dtstart=first_occurrence(
            "FREQ=MONTHLY;BYDAY=+2TU", local_start(timezone.localdate() + timedelta(days=3), clock(9, 30))
        ),
        duration=timedelta(hours=2),
        rrule="FREQ=MONTHLY;BYDAY=+2TU",
        organiser=organiser,
        place="CPAS d'Anderlecht",
    )
    guests = [inv.guest(f"guest{i:04d}@example.be", f"Invité {i}") for i in range(COUNT)]
    start = time.perf_counter()
    inv.invite_to_series(series=series, invitees=guests)
    print(f"queued in {time.perf_counter() - start:.2f} s", flush=True)
    received = inbox.wait_for(COUNT, timeout=600)
    seconds = time.perf_counter() - start
    if len(received) != COUNT:
        sys.exit(f"only {len(received)} of {COUNT} e-mails arrived")
    messages = [render(m).message().as_bytes(linesep="\r\n") for m in OutboxMessage.objects.order_by("pk")]
    return seconds, messages


def run_baseline(sink, messages: list[bytes]) -> float:
    import smtplib

    before = len(sink.inbox.messages)
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as client:
        for i, message in enumerate(messages):
            client.sendmail("noreply@concertation.test", [f"guest{i:04d}@example.be"], message)
    sink.inbox.wait_for(before + len(messages))
    return time.perf_counter() - start


if __name__ == "__main__":
    main()

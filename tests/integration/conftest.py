"""Real services: PostgreSQL, Redis, an SMTP server (aiosmtpd) and a Celery worker process."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    missing = [
        name
        for name, ok in (
            ("DATABASE_URL (postgres://)", (settings.DATABASE_URL or "").startswith("postgres")),
            ("REDIS_URL", bool(settings.REDIS_URL)),
        )
        if not ok
    ]
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.integration)
            if missing:
                reason = f"integration tests need {', '.join(missing)}"
                if os.environ.get("REQUIRE_INTEGRATION") == "true":
                    raise pytest.UsageError(reason + " (REQUIRE_INTEGRATION=true)")
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def smtp_inbox():
    with SMTPServer() as server:
        server.inbox.port = server.port
        yield server.inbox


def worker_environment(smtp_port: int) -> dict:
    database = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_SETTINGS_MODULE": "concertation.settings",
    }


@pytest.fixture
def celery_worker(transactional_db, smtp_inbox):
    """A real `celery worker` process on Redis, using the test database and the test SMTP server."""
    from worker.celery import app

    app.control.purge()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "worker.celery",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=warning",
            "--hostname=test@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=worker_environment(smtp_inbox.port),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not app.control.ping(timeout=0.5):
        assert process.poll() is None, "the Celery worker exited during start-up"
    yield process
    process.terminate()
    process.wait(timeout=30)

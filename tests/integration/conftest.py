"""Real services: PostgreSQL, Redis, an SMTP server (aiosmtpd) and a Celery worker process."""

import os
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

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


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 60) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        with self._lock:
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


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

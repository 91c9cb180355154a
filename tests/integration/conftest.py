"""Real services: PostgreSQL, Redis, an SMTP server (aiosmtpd) and a Celery worker process."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests import clock
from tests.integration import clocked_celery
from tests.integration.redis_server import PrivateRedis, point_celery_at
from tests.smtp import SMTPServer, free_port

ROOT = Path(__file__).resolve().parents[2]


# First, so that pytest-xdist (--dist loadgroup) sees the group: under `pytest -n`, the
# integration tests run on one xdist worker, one after the other, since they share the Redis
# broker and its queues (app.control.purge, ping). `make test` runs them apart from the other
# tests. The tests that stop Redis stop a server of their own (private_redis), never REDIS_URL's.
@pytest.hookimpl(tryfirst=True)
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
            item.add_marker(pytest.mark.xdist_group("integration"))
            if missing:
                reason = f"integration tests need {', '.join(missing)}"
                if os.environ.get("REQUIRE_INTEGRATION") == "true":
                    raise pytest.UsageError(reason + " (REQUIRE_INTEGRATION=true)")
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def private_redis():
    """A Redis server of this test's own, for its cache, its Celery app and the workers it starts
    (which read REDIS_URL): the test may stop and start it (.stop(), .start())."""
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_INTEGRATION") == "true":
            pytest.fail("this test starts its own redis-server, which is not on the PATH")
        pytest.skip("this test starts its own redis-server, which is not on the PATH")
    server = PrivateRedis().start()
    cache = {"BACKEND": settings.CACHES["default"]["BACKEND"], "LOCATION": server.url}
    with override_settings(REDIS_URL=server.url, CACHES={"default": cache}):
        previous = point_celery_at(server.url)
        try:
            yield server
        finally:
            point_celery_at(previous)
    server.stop()


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
        # The worker reads the tests' clock, not the machine's (tests/integration/clocked_celery.py).
        clocked_celery.SHIFT_VARIABLE: repr(clock.shift_seconds()),
    }


class Worker:
    """A real `celery worker` process on Redis, with the test database and the test SMTP server."""

    def __init__(self, smtp_port: int):
        self.env = worker_environment(smtp_port)
        self.process = None

    def start(self) -> "Worker":
        from worker.celery import app

        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.clocked_celery",
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
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not app.control.ping(timeout=0.5):
            assert self.process.poll() is None, "the Celery worker exited during start-up"
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish the task in hand or to tell the broker."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def start_worker(transactional_db, smtp_inbox):
    from worker.celery import app

    app.control.purge()
    workers = []

    def start() -> Worker:
        worker = Worker(smtp_inbox.port).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker(start_worker):
    return start_worker()


@pytest.fixture
def worker_without_smtp(transactional_db):
    """A real worker whose mail server (EMAIL_URL) is down: nothing listens on the port this
    fixture yields, until the test starts an SMTPServer(port=…) there."""
    from worker.celery import app

    app.control.purge()
    port = free_port()
    worker = Worker(port).start()
    yield port
    worker.stop()

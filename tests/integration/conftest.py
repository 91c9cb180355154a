"""Real services: PostgreSQL, Redis, an SMTP server (aiosmtpd), Celery worker processes, and the
static files the web processes (tests/integration/web_process.py) serve."""

import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from tests import clock
from tests.integration import clocked_celery, postgres_server
from tests.integration.redis_server import PrivateRedis, point_celery_at
from tests.integration.web_process import collect_static, static_collected, worker_environment
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
def private_postgres():
    """A PostgreSQL cluster of this test's own (tests/integration/postgres_server.py), for the web
    processes it starts: the test may stop, start and restart it. Always stopped and removed."""
    reason = postgres_server.missing()
    if reason:
        if os.environ.get("REQUIRE_INTEGRATION") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    server = postgres_server.PrivatePostgres()
    try:
        yield server.create()
    finally:
        server.destroy()


@pytest.fixture
def smtp_inbox():
    with SMTPServer() as server:
        server.inbox.port = server.port
        yield server.inbox


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files collected as the image build does, once, and again only when static/
    changed: the pages of the web processes (production settings) name each file by its hash."""
    if not static_collected():
        collect_static(tmp_path_factory.mktemp("collectstatic"))


class Worker:
    """A real `celery worker` process on Redis, with the test database and the test SMTP server.
    NAME makes its node name (NAME@host): several workers at once need different ones. ENV is
    added to worker_environment (web_environment, as the web processes', for instance)."""

    def __init__(self, smtp_port: int, name: str = "test", env: dict | None = None):
        self.env = {**worker_environment(smtp_port), **(env or {})}
        self.nodename = f"{name}@{socket.gethostname()}"
        self.process = None

    def start(self) -> "Worker":
        return self.spawn().wait_until_ready()

    def spawn(self) -> "Worker":
        """Starts the process without waiting for it (several start at once that way)."""
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
                f"--hostname={self.nodename}",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
        )
        return self

    def wait_until_ready(self) -> "Worker":
        from worker.celery import app

        # This worker's own answer: another one already running would answer a ping to all.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not app.control.ping([self.nodename], timeout=0.5):
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

    def start(name: str = "test", env: dict | None = None) -> Worker:
        worker = Worker(smtp_inbox.port, name, env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker(start_worker):
    return start_worker()


class MovableClock:
    """The test's clock, which it moves forward at will, and its workers' with it: each worker
    started with `worker_env` reads before each task how far the test has moved
    (tests/integration/clocked_celery.py)."""

    def __init__(self, path: Path):
        self.path = path
        self.moved = timedelta(0)
        self.travel = time_machine.travel(timezone.now(), tick=True)
        self.traveller = clock.start_ticking(self.travel)
        self._write()

    @property
    def worker_env(self) -> dict:
        return {clocked_celery.MOVES_VARIABLE: str(self.path)}

    def move(self, delta: timedelta) -> None:
        self.traveller.shift(delta)
        self.moved += delta
        self._write()

    def _write(self) -> None:
        # Written aside then renamed: a worker never reads half a number.
        aside = self.path.with_suffix(".new")
        aside.write_text(repr(self.moved.total_seconds()))
        aside.replace(self.path)

    def stop(self) -> None:
        self.travel.stop()


@pytest.fixture
def movable_clock(tmp_path):
    moving = MovableClock(tmp_path / "clock-moves")
    yield moving
    moving.stop()


@pytest.fixture
def clocked_worker_without_smtp(transactional_db, movable_clock):
    """As worker_without_smtp, with a worker that follows movable_clock."""
    from worker.celery import app

    app.control.purge()
    port = free_port()
    worker = Worker(port, env=movable_clock.worker_env).start()
    yield port
    worker.stop()


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

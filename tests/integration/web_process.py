"""The processes the integration tests start, as a deployment runs them: their environment, and
gunicorn web processes behind the site's host name (tests/integration/test_scale_out.py,
tests/integration/test_postgres_restart.py). Celery workers are conftest.Worker."""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection

from tests import clock
from tests.integration import clocked_celery
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]

# The site's public host name, a TLS proxy's in front of the web processes: they all answer to
# it, and the links in the e-mails point at it.
SITE_HOST = "concertation.test"
ORIGIN = f"https://{SITE_HOST}"
# What the proxy adds to each request it hands on (production settings redirect plain http).
PROXY_HEADERS = {"Host": SITE_HOST, "X-Forwarded-Proto": "https"}
# One for every process: sessions, messages and the signed links of the e-mails check everywhere,
# and the tests sign with it what they write for the processes to read (override_settings).
SECRET_KEY = secrets.token_urlsafe(50)


def worker_environment(smtp_port: int | None = None, *, database_url: str | None = None) -> dict:
    """The test's environment, with the test database (or DATABASE_URL), REDIS_URL as the test's
    settings name it (private_redis's under that fixture), the test SMTP server on SMTP_PORT
    (with none, no EMAIL_URL: e-mails are files under VAR_DIR), and the tests' clock."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": database_url
        or (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "concertation.settings",
        # The worker reads the tests' clock, not the machine's (tests/integration/clocked_celery.py).
        clocked_celery.SHIFT_VARIABLE: repr(clock.shift_seconds()),
    }
    env.pop("EMAIL_URL", None)
    if smtp_port is not None:
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    return env


def production_environment(var_dir: Path) -> dict:
    """What a deployment gives every web process and worker alike, added to worker_environment:
    production settings (DEBUG off, HTTPS behind the proxy), one SECRET_KEY, one SITE_URL and one
    PRIVATE_MEDIA_ROOT. Second factors are not asked of coordinators, and updates leave a second
    after an edit instead of three minutes."""
    return {
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": SITE_HOST,
        "SITE_URL": ORIGIN,
        "REQUIRE_MFA_FOR_COORDINATORS": "false",
        "OUTBOX_UPDATE_DELAY_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(var_dir),
        "PRIVATE_MEDIA_ROOT": str(var_dir / "private"),
    }


def web_environment(var_dir: Path, *, smtp_port: int | None = None, database_url: str | None = None) -> dict:
    """The whole environment of a web process (and of the workers beside it): worker_environment
    with production_environment. Its pages need the static files collected (collected_static)."""
    return {**worker_environment(smtp_port, database_url=database_url), **production_environment(var_dir)}


def static_collected() -> bool:
    """Whether STATIC_ROOT's manifest lists every file of static/ and is newer than each."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    listed, since = json.loads(manifest.read_text())["paths"], manifest.stat().st_mtime
    for directory in map(Path, settings.STATICFILES_DIRS):
        for path in directory.rglob("*"):
            if path.is_file() and (
                path.relative_to(directory).as_posix() not in listed or path.stat().st_mtime > since
            ):
                return False
    return True


def collect_static(var_dir: Path) -> None:
    """`collectstatic` as the image build runs it: WhiteNoise's manifest, production pages naming
    each file by its hash."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **production_environment(var_dir)},
        check=True,
    )


class WebProcess:
    """gunicorn serving the project as in production (sync workers, concertation.wsgi) on a free
    port of 127.0.0.1, at the tests' clock (tests/integration/clocked_gunicorn.py). ENV is the
    whole environment (web_environment); gunicorn's log and the application's go to LOG."""

    def __init__(self, env: dict, log: Path, workers: int = 2):
        self.env, self.log, self.workers = env, log, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self) -> "WebProcess":
        return self.spawn().wait_until_up()

    def spawn(self) -> "WebProcess":
        """Starts the process without waiting for it (several start at once that way)."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.integration.clocked_gunicorn",
                    "concertation.wsgi:application",
                    f"--workers={self.workers}",
                    "--worker-class=sync",
                    f"--bind=127.0.0.1:{self.port}",
                    "--timeout=120",
                    "--graceful-timeout=5",
                    # Its lines of each worker booted (booted_workers).
                    "--log-level=info",
                    # Its control socket would be the same file for every server of the machine.
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so that its workers go with it.
                start_new_session=True,
            )
        return self

    def wait_until_up(self, timeout: float = 90) -> "WebProcess":
        """Until /healthz answers, as the proxy asks it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited during start-up:\n{self.log_tail()}"
            try:
                if httpx.get(self.url + "/healthz", headers=PROXY_HEADERS, timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer /healthz within {timeout:g} s:\n{self.log_tail()}")

    def booted_workers(self) -> int:
        """How many workers it has started since it started: more than `workers` when one was
        replaced (it died, or hung past the timeout)."""
        return self.log_text().count("Booting worker with pid")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

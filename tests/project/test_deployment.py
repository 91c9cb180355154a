"""The production stack names real parts of the project, the same way the README does."""

import importlib
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from meetings.situations.services.consent import MAX_DOCUMENT_BYTES

ROOT = Path(__file__).resolve().parents[2]


def compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def project_modules_named(command: str) -> list[str]:
    """The project modules a service command runs: gunicorn's app and Celery's -A."""
    # `sh -c "a && b"` arrives as one word: split it again.
    words = [part for word in shlex.split(command) for part in word.split()]
    modules = [w.split(":")[0] for w in words if w.endswith(":application")]
    modules += [words[i + 1] for i, w in enumerate(words) if w == "-A"]
    return modules


def test_compose_has_the_production_services():
    services = compose_services()

    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat", "proxy"}
    for name, service in services.items():
        if name != "migrate":  # a one-shot: the others wait for it to succeed
            assert "healthcheck" in service, f"{name} has no health check"


def project_services() -> dict:
    """The services that run the project's image (built from the Dockerfile)."""
    return {name: service for name, service in compose_services().items() if "build" in service}


def test_compose_has_one_database_one_redis_and_every_process_on_them():
    services = compose_services()
    project = project_services()
    images = [service.get("image", "").split(":")[0] for service in services.values()]

    assert images.count("postgres") == images.count("redis") == 1
    assert set(project) == {"migrate", "web", "worker", "beat"}
    urls = {(s["environment"]["DATABASE_URL"], s["environment"]["REDIS_URL"]) for s in project.values()}
    assert len(urls) == 1
    [(database, redis)] = urls
    assert database.startswith("postgres://") and "@postgres:5432/" in database
    assert redis.startswith("redis://redis:6379/")


def test_compose_migrates_once_before_anything_else_starts():
    services = compose_services()
    migrating = [name for name, s in services.items() if "manage.py migrate" in str(s.get("command", ""))]

    assert migrating == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_compose_runs_one_beat_and_lets_web_and_worker_scale():
    services = compose_services()
    beats = [name for name, s in services.items() if " beat" in str(s.get("command", ""))]

    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    readme = (ROOT / "README.md").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "docker compose up --scale web=3 --scale worker=2" in readme
    assert "docker compose up --scale web=3 --scale worker=2" in compose
    for name in ("web", "worker"):
        # A fixed name or host port allows one container only: `--scale` would stop there.
        assert "container_name" not in services[name], name
        assert "ports" not in services[name], name
        assert "replicas" not in services[name].get("deploy", {}), name


def test_compose_reaches_every_web_replica_through_the_proxy():
    services = compose_services()
    proxy = services["proxy"]
    [mount] = proxy["volumes"]
    config = (ROOT / mount.split(":")[0]).read_text()
    body_limit = int(re.search(r"client_max_body_size (\d+)m;", config)[1]) * 1024 * 1024

    assert proxy["ports"] == ["8000:8000"]
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "--bind 0.0.0.0:8000" in services["web"]["command"]
    assert "set $web http://web:8000;" in config and "proxy_pass $web;" in config
    # Re-resolved (Docker's DNS), so that replicas added later are reached.
    assert "resolver 127.0.0.11 valid=10s" in config
    assert body_limit > MAX_DOCUMENT_BYTES


def test_compose_shares_the_private_files_between_web_and_workers():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("web", "worker"):
        root = services[name]["environment"]["PRIVATE_MEDIA_ROOT"]

        assert services[name]["volumes"] == [f"private-media:{root}"], name
    assert "private-media" in compose["volumes"]
    # The folder exists in the image, so that the new volume belongs to the image's user.
    assert "mkdir -p var/private && chown -R concertation var" in (ROOT / "Dockerfile").read_text()
    assert root == "/app/var/private"


@pytest.mark.parametrize(
    ("service", "expected"),
    [("web", ["concertation.wsgi"]), ("worker", ["worker.celery"]), ("beat", ["worker.celery"])],
)
def test_each_command_names_a_real_module(service, expected):
    command = compose_services()[service]["command"]

    modules = project_modules_named(command)

    assert modules == expected
    for module in modules:
        imported = importlib.import_module(module)
        assert hasattr(imported, "application") or hasattr(imported, "app")


def test_readme_runs_the_same_commands_natively():
    readme = (ROOT / "README.md").read_text()
    lines = readme.splitlines()
    commands = [line for line in lines if line.strip().startswith("make ")]

    assert commands[:2] == ["make run", "make test"]
    for service in ("worker", "beat"):
        command = compose_services()[service]["command"]
        assert command.split(" --schedule")[0] in readme
    assert "gunicorn concertation.wsgi:application" in readme


def run_commands(*arguments: str) -> list[str]:
    """The commands `make run` would run (make -n: nothing is run), without SITE_URL set."""
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    result = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        line for line in result.stdout.splitlines() if "manage.py seed_demo" in line or "runserver" in line
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_another_port_points_the_e_mailed_links_at_it():
    assert run_commands() == [
        "SITE_URL=http://127.0.0.1:8000 .venv/bin/python manage.py seed_demo",
        "SITE_URL=http://127.0.0.1:8000 .venv/bin/python manage.py runserver 127.0.0.1:8000",
    ]
    assert run_commands("PORT=8001") == [
        "SITE_URL=http://127.0.0.1:8001 .venv/bin/python manage.py seed_demo",
        "SITE_URL=http://127.0.0.1:8001 .venv/bin/python manage.py runserver 127.0.0.1:8001",
    ]
    behind_a_proxy = run_commands("PORT=8001", "SITE_URL=https://concertation.test")
    assert (
        behind_a_proxy[-1]
        == "SITE_URL=https://concertation.test .venv/bin/python manage.py runserver 127.0.0.1:8001"
    )


def test_the_readme_says_what_the_first_run_installs_and_how_to_change_the_port():
    readme = (ROOT / "README.md").read_text()

    assert "about five minutes" in readme
    assert "make run PORT=8001" in readme and "SITE_URL" in readme


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"

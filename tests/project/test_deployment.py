"""The production stack names real parts of the project, the same way the README does."""

import importlib
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

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

    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


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

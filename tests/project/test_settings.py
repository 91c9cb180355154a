"""Configuration comes from the environment and fails loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from concertation.env import email_settings_from_url, env_bool, env_int, env_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-value-0123456789",
    "ALLOWED_HOSTS": "concertation.example.be",
}


def load_settings(extra: dict) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with EXTRA as the environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "concertation.settings", **extra}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_env_bool_rejects_maybe(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", default=False)


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("FALSE", False), ("1", True), ("off", False)])
def test_env_bool_reads_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=not expected) is expected


def test_env_int_names_the_variable(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "two weeks")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE"):
        env_int("SESSION_COOKIE_AGE", 10)


def test_env_url_rejects_other_schemes(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a URL starting with postgres://"):
        env_url("DATABASE_URL", ("postgres",))


def test_secret_read_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    from concertation.env import env_str

    assert env_str("SECRET_KEY") == "from-a-file"


def test_email_url_gives_smtp_settings():
    settings = email_settings_from_url("smtp://mailer:s3cret@smtp.example.be:587?starttls=true")

    assert settings["EMAIL_HOST"] == "smtp.example.be"
    assert settings["EMAIL_PORT"] == 587
    assert settings["EMAIL_HOST_USER"] == "mailer"
    assert settings["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert settings["EMAIL_USE_TLS"] is True
    assert settings["EMAIL_USE_SSL"] is False


def test_bad_debug_stops_startup_naming_the_variable():
    result = load_settings({"DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_refuses_debug():
    result = load_settings({**PRODUCTION_ENV, "DEBUG": "true"})

    assert result.returncode != 0
    assert "DEBUG must be false" in result.stderr


def test_production_refuses_missing_secret_key():
    env = {**PRODUCTION_ENV}
    env["SECRET_KEY"] = ""
    result = load_settings(env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_missing_allowed_hosts():
    env = {**PRODUCTION_ENV}
    env["ALLOWED_HOSTS"] = ""
    result = load_settings(env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_real_values():
    result = load_settings(PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_embedded_defaults(settings):
    assert settings.TIME_ZONE == "Europe/Brussels"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "fr"


def test_defaults_without_services():
    env = {"DJANGO_SETTINGS_MODULE": "concertation.settings"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "concertation.eml_backend.EmlFileBackend",
    ]


@pytest.mark.parametrize(
    ("url", "timeout"),
    [
        ("postgres://concertation@db.example.be:5432/concertation", "5"),
        ("postgres://concertation@db.example.be:5432/concertation?connect_timeout=2", "2"),
    ],
)
def test_postgres_connections_are_checked_and_give_up_connecting_soon(url, timeout):
    """After PostgreSQL restarts, each process replaces its dead connection at the next request;
    a database host that drops packets costs a request seconds (then a 503), not minutes."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']['connect_timeout'])"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}}
    env = {"DJANGO_SETTINGS_MODULE": "concertation.settings", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True", timeout]

"""No secret in the repository: every tracked file is scanned for things that look like one.

A finding is allowed only by an entry of ALLOWED, which names the file, the rule and a piece of
the match, with the reason the value is public. The entries spell those pieces so that this file
matches no rule itself, and the fake secrets of the scanner's own test are built at run time.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = 8192  # bytes read to tell a binary file (a NUL among them) from a text file

QUOTED = r"""(?P<q>["'])(?P<value>[^"'\n]+)(?P=q)"""
RULES = {
    "private key": re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(r"(?i)aws_?secret_?access_?key\W{0,3}[:=]\s*\W?[A-Za-z0-9/+=]{40}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    # A quoted literal given to SECRET_KEY in code or YAML, or a bare value in environment files.
    "SECRET_KEY": re.compile(
        rf"""\w*SECRET_KEY["']?\s*[:=]\s*{QUOTED}|(?:^|\s)SECRET_KEY=(?P<bare>[^\s"'$]\S*)""", re.M
    ),
    # scheme://user:password@host (the user may be empty, as in redis://:password@host).
    "password in a URL": re.compile(
        r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"<>]*:(?P<value>[^/\s@'\"<>]+)@[^/\s:'\"<>?#]+"
    ),
    # A literal given to a name about passwords, in code and configuration outside the tests (whose
    # accounts live only in the test database).
    "password": re.compile(rf"(?i)\b\w*(?:password|passwd|pwd)\w*[\"']?\s*[:=]\s*{QUOTED}"),
}
CODE_ONLY = {"password"}
CODE_SUFFIXES = {".py", ".yml", ".yaml", ".toml", ".ini", ".cfg", ".sh", ".js"}
CODE_NAMES = {"Dockerfile", "Makefile", ".env.example"}
# In the documentation of a URL's syntax the password is the word "password".
SYNTAX_WORDS = {"password"}

# (file, rule, a piece of the match, why the value is public). An entry no finding uses fails
# test_every_allowance_is_used, so the list cannot outlive the values it allows.
ALLOWED = [
    (
        "tests/calendar/test_network_feeds.py",
        "SECRET_KEY",
        "another-secret-key-",
        "a test's stand-in for a rotated secret key, to check the public feed's address survives it",
    ),
    (
        ".env.example",
        "SECRET_KEY",
        "change-me-to-a-long-random-value",
        "a placeholder that .env.example says to replace; CI's deploy check runs with it",
    ),
    (
        ".env.example",
        "password in a URL",
        "concertation:concertation@127.0.0.1",
        "the example database of a local install, as docker-compose.yml creates it",
    ),
    (
        ".env.example",
        "password in a URL",
        ":secret@imap.example.be",
        "a commented-out example of IMAP_URL's syntax",
    ),
    (
        "docker-compose.yml",
        "password in a URL",
        "concertation:concertation@postgres",
        "the stack's own database, reachable only on its private network (it publishes no port)",
    ),
    (
        "Dockerfile",
        "SECRET_KEY",
        "build-only-",
        "a throwaway key drawn from /dev/urandom for collectstatic during the image build",
    ),
    (
        "concertation/settings.py",
        "SECRET_KEY",
        "dev-only-secret-key-never-use-in-production",
        "the development default; DJANGO_ENV=production refuses to start with it",
    ),
    (
        "concertation/settings.py",
        "password",
        "5/h/ip,3/h/key",
        "the rate limit of allauth's reset_password action, not a password",
    ),
    (
        "bench/feeds.py",
        "password",
        'password="x"',
        "the benchmark's accounts, in a database it creates and drops",
    ),
    (
        "accounts/demo.py",
        "password",
        "concertation-demo",
        "the demo's published password (README), given only to the accounts seed_demo creates",
    ),
    (
        "tests/project/test_settings.py",
        "SECRET_KEY",
        '"k"',
        "the start of a fake production key the test builds",
    ),
    (
        "tests/project/test_settings.py",
        "password in a URL",
        "mailer:s3cret@smtp.example.be",
        "a test input of the SMTP URL parser",
    ),
]


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    text: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.rule}: {self.text}"


def tracked_files() -> list[str]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        message = "not a git checkout: the tracked files cannot be listed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message)
    output = subprocess.run(  # a fixed command on our own checkout
        [git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    ).stdout
    return [name for name in output.decode().split("\0") if name]


def scan_text(path: str, text: str) -> list[Finding]:
    findings = []
    name = Path(path).name
    is_code = not path.startswith("tests/") and (Path(path).suffix in CODE_SUFFIXES or name in CODE_NAMES)
    for rule, pattern in RULES.items():
        if rule in CODE_ONLY and not is_code:
            continue
        for match in pattern.finditer(text):
            groups = match.groupdict()
            value = groups.get("value") or groups.get("bare")
            if rule == "password in a URL" and value in SYNTAX_WORDS:
                continue
            line = text.count("\n", 0, match.start()) + 1
            findings.append(Finding(path, line, rule, match.group(0).strip()))
    return findings


def scan(root: Path, paths: list[str]) -> list[Finding]:
    findings = []
    for path in paths:
        file = root / path
        if not file.is_file():  # deleted in the work tree, not yet in the index
            continue
        data = file.read_bytes()
        if b"\0" in data[:SAMPLE]:
            continue
        findings += scan_text(path, data.decode("utf-8", errors="replace"))
    return findings


def allowance_of(finding: Finding):
    for entry in ALLOWED:
        path, rule, piece, _why = entry
        if finding.path == path and finding.rule == rule and piece in finding.text:
            return entry
    return None


def test_no_secret_in_the_tracked_files():
    findings = scan(ROOT, tracked_files())

    unexplained = [str(finding) for finding in findings if allowance_of(finding) is None]

    assert unexplained == [], "things that look like secrets:\n" + "\n".join(unexplained)


def test_every_allowance_is_used():
    used = {allowance_of(finding) for finding in scan(ROOT, tracked_files())}

    assert [entry[:3] for entry in ALLOWED if entry not in used] == []


def test_the_scanner_finds_each_kind_of_secret():
    # Built here, so that this file holds none of them.
    begin, end = "-----BEGIN ", "-----"
    samples = [
        ("private key", f"{begin}OPENSSH PRIVATE KEY{end}\nb3BlbnNzaC1rZXktdjEAAAAA\n"),
        ("AWS access key id", "key = " + "AKIA" + "Q3EGRIEXAMPLE7KD"),
        (
            "AWS secret access key",
            "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY",
        ),
        ("GitHub token", "token: " + "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"),
        ("Slack token", "xox" + "b-1234567890-abcdefghij"),
        ("Google API key", "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"),
        ("SECRET_KEY", "SECRET_KEY " + '= "' + "django-insecure-abcdefghijklmnop" + '"'),
        ("SECRET_KEY", "export SECRET_KEY" + "=" + "Zm9vYmFyYmF6cXV4cXV1eA"),
        (
            "password in a URL",
            "DATABASE_URL=postgres" + "://app:" + "Hunter2hunter2" + "@db.internal:5432/app",
        ),
        ("password in a URL", "REDIS_URL=redis" + "://:" + "Hunter2hunter2" + "@cache.internal:6379/0"),
        ("password", "SMTP_PASSWORD " + '= "' + "Tr0ub4dor&3" + '"'),
    ]

    found = [(rule, [f.rule for f in scan_text("concertation/local.py", text)]) for rule, text in samples]

    assert found == [(rule, [rule]) for rule, _text in samples]


def test_the_scanner_leaves_references_and_syntax_alone():
    text = "\n".join(
        [
            'SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)',
            "if SECRET_KEY == _DEV_SECRET_KEY:",
            "# SMTP server (smtp" + "://user:password@host:port)",
            "SECRET_KEY_FILE=/run/secrets/secret_key",
            'password = form.cleaned_data["password"]',
            "EMAIL_HOST_PASSWORD = parts.password or ''",
        ]
    )

    assert scan_text("concertation/settings.py", text) == []


def test_fake_passwords_of_test_accounts_are_not_findings():
    assert scan_text("tests/factories.py", 'PASSWORD = "a-long-test-password"') == []
    assert [f.rule for f in scan_text("meetings/services/mail.py", 'PASSWORD = "a-long-test-password"')] == [
        "password"
    ]

"""French first, Dutch and English through the language switcher."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Répertoire des services"), ("nl", "Wegwijzer van de diensten"), ("en", "Directory of services")],
)
def test_switcher_changes_the_language(client, language, heading):
    client.force_login(UserFactory())

    client.post(reverse("set_language"), {"language": language, "next": "/directory/"})
    body = client.get(reverse("accounts:directory")).content.decode()

    assert f'<html lang="{language}">' in body
    assert f"<h1>{heading}</h1>" in body


def test_switcher_works_before_login(client):
    response = client.post(
        reverse("set_language"), {"language": "nl", "next": "/accounts/login/"}, follow=True
    )

    assert "Aanmelden" in response.content.decode()


CATALOGUES = [
    Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po" for language in ("nl", "en")
]


def _entries(path: Path):
    """(msgid, flags, msgstrs) for each live entry of a .po file, header and obsolete ones aside."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line and not line.startswith("#~")]
        flags, fields, current = set(), {}, None
        for line in lines:
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _space, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            yield fields["msgid"], flags, [v for k, v in fields.items() if k.startswith("msgstr")]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    entries = list(_entries(path))
    untranslated = [msgid for msgid, _flags, msgstrs in entries if not msgstrs or not all(msgstrs)]
    fuzzy = [msgid for msgid, flags, _msgstrs in entries if "fuzzy" in flags]

    assert entries
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize(
    ("language", "help_text", "empty"),
    [
        (
            "nl",
            "De begeleide personen van wie u het netwerk coördineert of tot wiens netwerk u behoort.",
            "Voorlopig geen situaties.",
        ),
        (
            "en",
            "The people supported whose network you coordinate or belong to.",
            "No situations yet.",
        ),
    ],
)
def test_situations_list_is_translated(client, language, help_text, empty):
    client.force_login(UserFactory())

    client.post(reverse("set_language"), {"language": language, "next": reverse("situations:situations")})
    body = client.get(reverse("situations:situations")).content.decode()

    assert f'<html lang="{language}">' in body
    assert help_text in body
    assert empty in body
    assert "Les personnes accompagnées" not in body

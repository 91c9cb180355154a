"""French first, Dutch and English through the language switcher."""

import pytest
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

"""The base layout's main menu: every page shows it, read from paths reversed once per process."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _menu(body: str) -> list[tuple[str, str, bool]]:
    nav = body[body.index('class="main-nav"') : body.index("</nav>", body.index('class="main-nav"'))]
    return [
        (href, label, current == ' aria-current="page"')
        for href, current, label in re.findall(r'<a href="([^"]+)" ?( aria-current="page")?>([^<]+)</a>', nav)
    ]


def test_the_menu_lists_every_section_and_marks_the_current_one(client):
    client.force_login(UserFactory())

    on_agenda = _menu(client.get(reverse("meetings:agenda"), {"view": "week"}).content.decode())
    on_actions = _menu(client.get(reverse("followup:actions")).content.decode())

    assert [(href, label) for href, label, _current in on_agenda] == [
        (reverse("meetings:agenda"), "Agenda"),
        (reverse("polls:list"), "Sondages"),
        (reverse("exchanges:index"), "Vis ma vie"),
        (reverse("meetings:groups"), "Groupes"),
        (reverse("situations:situations"), "Situations"),
        (reverse("accounts:directory"), "Répertoire"),
        (reverse("followup:actions"), "Mes actions"),
        (reverse("load:mine"), "Ma charge de réunions"),
        (reverse("calendar:calendar"), "Mes abonnements"),
    ]
    assert [label for _href, label, current in on_agenda if current] == ["Agenda"]
    assert [label for _href, label, current in on_actions if current] == ["Mes actions"]


def test_the_menu_speaks_the_persons_language(client):
    client.force_login(UserFactory())

    body = client.get(reverse("followup:actions"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    labels = [label for _href, label, _current in _menu(body)]
    assert "Agenda" in labels and "Mes actions" not in labels and len(labels) == 9


def test_a_section_whose_app_is_not_there_is_announced_not_linked(client, monkeypatch):
    from accounts import context_processors

    monkeypatch.setattr(context_processors, "MENU", [*context_processors.MENU, ("nowhere:page", "Plus tard")])
    context_processors._menu_paths.cache_clear()
    client.force_login(UserFactory())
    try:
        body = client.get(reverse("followup:actions")).content.decode()
    finally:
        context_processors._menu_paths.cache_clear()

    assert '<span class="soon" aria-disabled="true">Plus tard <small>bientôt</small></span>' in body

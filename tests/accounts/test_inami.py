"""A professional's INAMI/RIZIV number on their profile: typed as printed, checked for its format
(11 digits), optional; part of the person's data, and erased with them."""

import json
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import inami
from accounts.models import Professional, User
from accounts.services import erase_person
from tests.accounts.personal_world import build_personal_world

pytestmark = pytest.mark.django_db


def save(client, user, typed: str):
    client.force_login(user)
    return client.post(reverse("profile"), {"inami_number": typed})


def number_of(user) -> str:
    return Professional.objects.get(user=user).inami_number


@pytest.mark.parametrize("typed", ["1-23456-78-901", "1 23456 78 901", "12345678901", " 1.23456.78.901 "])
def test_the_number_is_kept_as_its_eleven_digits_and_shown_as_printed(client, world, typed):
    member = world.users["member"]

    response = save(client, member, typed)

    assert response.status_code == 302 and response["Location"] == reverse("profile")
    assert number_of(member) == "12345678901"
    page = unescape(client.get(reverse("profile")).content.decode())
    assert "1-23456-78-901" in page
    assert "Votre numéro INAMI est enregistré." in page


def test_too_few_digits_are_refused_with_a_message_saying_how_many(client, world):
    member = world.users["member"]

    response = save(client, member, "1-23456-78")

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Le numéro INAMI compte 11 chiffres, par exemple 1-23456-78-901 : vous en avez saisi 8." in page
    assert number_of(member) == ""


def test_letters_are_refused_with_a_message(client, world):
    member = world.users["member"]
    Professional.objects.filter(user=member).update(inami_number="12345678901")

    response = save(client, member, "1-2345A-78-901")

    page = unescape(response.content.decode())
    assert "Le numéro INAMI ne contient que des chiffres (11), par exemple 1-23456-78-901." in page
    assert number_of(member) == "12345678901"  # bad input changes nothing


def test_the_number_is_optional_and_emptied_to_remove_it(client, world):
    member = world.users["member"]
    Professional.objects.filter(user=member).update(inami_number="12345678901")

    response = save(client, member, "")

    assert response.status_code == 302
    assert number_of(member) == ""


def test_someone_without_a_professional_profile_has_no_number_to_give(client, world):
    coordinator = world.users["coordinator"]  # an account without a profile
    client.force_login(coordinator)

    page = client.get(reverse("profile")).content.decode()

    assert 'id="inami-form"' not in page


def test_the_model_refuses_a_wrong_format_too():
    assert inami.display("12345678901") == "1-23456-78-901"
    with pytest.raises(ValidationError, match="11 chiffres"):
        inami.validate("123")


def test_the_number_is_in_the_persons_data_and_erased_with_them(client, world):
    pworld = build_personal_world(world)
    member = pworld.member
    Professional.objects.filter(user=member).update(inami_number="12345678901")
    client.force_login(member)

    data = json.loads(client.get(reverse("personal_data")).content)

    assert data["sections"]["account"]["professional_profile"]["inami_number"] == "12345678901"

    admin = User.objects.create_superuser(email="admin@example.test", password="x" * 12)
    erase_person(user=member, by=admin)

    assert number_of(member) == ""


def test_digits_of_other_scripts_are_not_an_inami_number():
    with pytest.raises(ValidationError) as refused:
        inami.validate("²" * 11)

    assert refused.value.code == "inami_not_digits"
    assert inami.display("١٢٣٤٥٦٧٨٩٠١") == "١٢٣٤٥٦٧٨٩٠١"

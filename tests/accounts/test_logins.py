"""Logins: failed attempts counted per account and address together, with a ceiling per address;
a second factor (TOTP) from the profile, required of coordinators and superusers by a setting."""

import subprocess
import sys
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, NetworkFactory, UserFactory
from tests.project.test_settings import PRODUCTION_ENV, ROOT

pytestmark = pytest.mark.django_db

HOSPITAL = "198.51.100.7"  # one public address for a whole hospital
ELSEWHERE = "203.0.113.40"
LOCKED = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
WRONG = "L’adresse e-mail ou le mot de passe sont incorrects."
MFA_REQUIRED = (
    "La double authentification est obligatoire pour les coordinateur·rices de réseau et les "
    "administrateur·rices : configurez-la pour continuer."
)


def attempt(client, email: str, password: str, address: str = HOSPITAL, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


# Lock-out per account and address


def test_one_persons_typos_do_not_lock_out_a_colleague_behind_the_same_address(client, password):
    UserFactory(email="claire@example.test")
    colleague = UserFactory(email="marc@example.test")
    for _ in range(5):
        attempt(client, "claire@example.test", "wrong")

    response = attempt(client, "marc@example.test", password)

    assert response.status_code == 302
    assert logged_in_as(client, colleague)


def test_the_same_account_from_the_same_address_is_locked_out_after_five_failures(client, password):
    claire = UserFactory(email="claire@example.test")
    failures = [attempt(client, "claire@example.test", "wrong").content.decode() for _ in range(5)]

    # Even the right password is refused now: guessing goes no further.
    response = attempt(client, "claire@example.test", password)

    assert all(WRONG in body and LOCKED not in body for body in failures)
    assert LOCKED in response.content.decode()
    assert not logged_in_as(client, claire)


def test_the_lock_out_does_not_follow_the_account_to_another_address(client, password):
    claire = UserFactory(email="claire@example.test")
    for _ in range(5):
        attempt(client, "claire@example.test", "wrong", address=ELSEWHERE)

    attempt(client, "claire@example.test", password, address=HOSPITAL)

    assert logged_in_as(client, claire)


def test_the_lock_out_ends_after_fifteen_minutes(client, password, travel):
    claire = UserFactory(email="claire@example.test")
    for _ in range(5):
        attempt(client, "claire@example.test", "wrong")
    travel.shift(timedelta(minutes=14))
    still_locked = attempt(client, "claire@example.test", password).content.decode()
    travel.shift(timedelta(minutes=1, seconds=1))

    attempt(client, "claire@example.test", password)

    assert LOCKED in still_locked
    assert logged_in_as(client, claire)


def test_an_unknown_address_is_locked_out_in_the_same_words(client):
    """The lock-out tells nobody whether an account exists."""
    UserFactory(email="claire@example.test")
    for email in ("claire@example.test", "nobody@example.test"):
        for _ in range(5):
            attempt(client, email, "wrong")

    known = attempt(client, "claire@example.test", "wrong")
    unknown = attempt(client, "nobody@example.test", "wrong")

    assert LOCKED in known.content.decode()
    assert LOCKED in unknown.content.decode()
    assert known.status_code == unknown.status_code


def test_one_address_has_a_ceiling_of_a_hundred_failures_whatever_the_accounts(client, password, travel):
    """Password spraying: a few guesses on many accounts from one address."""
    late = UserFactory(email="late@example.test")
    for batch in range(5):
        for n in range(20):  # four guesses per account, under the per-account limit
            attempt(client, f"target{batch * 20 + n // 4}@example.test", "wrong")
        travel.shift(timedelta(minutes=1))  # allauth also limits logins to 30 a minute per address

    blocked = attempt(client, "late@example.test", password)
    assert LOCKED in blocked.content.decode()
    assert not logged_in_as(client, late)

    attempt(client, "late@example.test", password, address=ELSEWHERE)
    assert logged_in_as(client, late)


def test_behind_a_proxy_the_address_comes_from_x_forwarded_for(client, password, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    UserFactory(email="claire@example.test")
    colleague = UserFactory(email="marc@example.test")
    proxy = "10.0.0.2"
    for _ in range(5):
        attempt(client, "claire@example.test", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=HOSPITAL)

    elsewhere = attempt(client, "claire@example.test", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    attempt(client, "marc@example.test", password, address=proxy, HTTP_X_FORWARDED_FOR=HOSPITAL)

    assert LOCKED not in elsewhere.content.decode()
    assert logged_in_as(client, colleague)


# The second factor on the profile


def activate_totp(client, password: str = PASSWORD) -> None:
    """Sets up TOTP through allauth's page, as a person does with their phone."""
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # allauth asks for the password again first
        page = client.post(page["Location"], {"password": password}, follow=True)
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    client.post(reverse("mfa_activate_totp"), {"code": code})


def test_the_profile_links_to_the_second_factor(client):
    user = UserFactory(email="claire@example.test", first_name="Claire", last_name="Dubois")
    client.force_login(user)

    body = client.get(reverse("profile")).content.decode()

    assert "Claire Dubois" in body
    assert "claire@example.test" in body
    assert f'href="{reverse("mfa_index")}" id="mfa-link">Double authentification</a>' in body
    assert "pas encore activée" in body
    assert "recommandé pour tout le monde" in body
    assert f'href="{reverse("profile")}"' in client.get(reverse("home")).content.decode()


def test_the_profile_shows_an_active_second_factor(client):
    user = UserFactory()
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    client.force_login(user)

    body = client.get(reverse("profile")).content.decode()

    assert "activée (application d'authentification)" in body
    assert "pas encore activée" not in body


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("profile"))

    assert response["Location"].startswith(reverse("account_login"))


# The second factor required of coordinators and superusers


@pytest.fixture
def coordinator_without_totp(db):
    coordinator = UserFactory(email="coord@example.test")
    NetworkFactory(coordinators=[coordinator])
    return coordinator


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=True)
def test_a_coordinator_who_logs_in_is_sent_to_the_totp_setup(client, coordinator_without_totp, password):
    response = attempt(client, "coord@example.test", password)
    landing = client.get(response["Location"], follow=True)
    # Setting up a second factor asks for the password again (allauth's reauthentication).
    setup = client.post(landing.redirect_chain[-1][0], {"password": password}, follow=True)

    assert logged_in_as(client, coordinator_without_totp)
    assert [url for url, _status in landing.redirect_chain] == [
        reverse("mfa_activate_totp"),
        f"{reverse('account_reauthenticate')}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert MFA_REQUIRED in landing.content.decode()
    assert setup.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert 'name="code"' in setup.content.decode()


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=True)
def test_a_coordinator_without_totp_opens_no_other_page(client, coordinator_without_totp):
    client.force_login(coordinator_without_totp)

    answers = {
        name: client.get(reverse(name))
        for name in ("home", "meetings:agenda", "accounts:directory", "accounts:invite", "profile")
    }

    assert {name: answer["Location"] for name, answer in answers.items()} == dict.fromkeys(
        answers, reverse("mfa_activate_totp")
    )
    htmx = client.get(reverse("accounts:directory"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("mfa_activate_totp")


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=True)
def test_setup_logout_language_and_public_pages_stay_open(client, coordinator_without_totp):
    client.force_login(coordinator_without_totp)

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("healthz")).content == b"ok"
    language = client.post(reverse("set_language"), {"language": "nl", "next": "/accounts/2fa/"})
    assert language["Location"] == "/accounts/2fa/"
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=True)
def test_once_totp_is_set_up_the_coordinator_works_as_before(client, coordinator_without_totp):
    client.force_login(coordinator_without_totp)

    activate_totp(client)

    assert Authenticator.objects.filter(user=coordinator_without_totp, type=Authenticator.Type.TOTP).exists()
    agenda = client.get(reverse("meetings:agenda"))
    assert agenda.status_code == 200
    assert "Agenda" in agenda.content.decode()
    assert "activée (application d'authentification)" in client.get(reverse("profile")).content.decode()


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=True)
def test_a_superuser_without_totp_cannot_open_the_admin(client):
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)
    client.force_login(admin)

    refused = client.get(reverse("admin:index"))
    activate_totp(client)
    allowed = client.get(reverse("admin:index"))

    assert refused["Location"] == reverse("mfa_activate_totp")
    assert allowed.status_code == 200
    assert "Concertation — administration" in allowed.content.decode()


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=True)
def test_a_plain_professional_is_not_forced(client, password):
    professional = UserFactory(email="claire@example.test")
    attempt(client, "claire@example.test", password)

    agenda = client.get(reverse("meetings:agenda"))

    assert logged_in_as(client, professional)
    assert agenda.status_code == 200
    assert MFA_REQUIRED not in agenda.content.decode()
    assert "recommandé pour tout le monde" in client.get(reverse("profile")).content.decode()


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=True)
def test_the_profile_of_a_coordinator_says_it_is_required(client, coordinator_without_totp):
    client.force_login(coordinator_without_totp)
    activate_totp(client)

    body = client.get(reverse("profile")).content.decode()

    assert "Obligatoire pour les coordinateur·rices de réseau et les administrateur·rices." in body


@override_settings(REQUIRE_MFA_FOR_COORDINATORS=False)
def test_without_the_setting_a_coordinator_is_not_forced(client, coordinator_without_totp):
    client.force_login(coordinator_without_totp)

    agenda = client.get(reverse("meetings:agenda"))

    assert agenda.status_code == 200
    assert MFA_REQUIRED not in agenda.content.decode()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "False"),
        (PRODUCTION_ENV, "True"),
        ({**PRODUCTION_ENV, "REQUIRE_MFA_FOR_COORDINATORS": "false"}, "False"),
    ],
)
def test_the_setting_is_on_by_default_in_production_only(environment, expected):
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "concertation.settings", **environment}
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REQUIRE_MFA_FOR_COORDINATORS)"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.strip() == expected, result.stderr

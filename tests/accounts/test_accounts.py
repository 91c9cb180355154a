"""Accounts: e-mail login, closed sign-up, invitations by coordinators, MFA."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import Professional, User
from outbox.models import OutboxMessage
from tests.factories import ProfessionalFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_in_french(client):
    response = client.get(reverse("account_login"))

    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "Connexion" in body
    assert "Mot de passe oublié ?" in body


def test_the_login_page_offers_the_password_reset_once(client):
    body = unescape(client.get(reverse("account_login")).content.decode())

    assert body.count("Mot de passe oublié ?") == 1
    assert body.count(f'href="{reverse("account_reset_password")}"') == 1


def test_login_with_email(client, password):
    user = UserFactory(email="claire@example.test")

    response = client.post(reverse("account_login"), {"login": "claire@example.test", "password": password})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_refused_with_wrong_password_changes_nothing(client):
    UserFactory(email="claire@example.test")

    response = client.post(reverse("account_login"), {"login": "claire@example.test", "password": "wrong"})

    assert "_auth_user_id" not in client.session
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


def test_login_is_rate_limited(client):
    UserFactory(email="claire@example.test")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "claire@example.test", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "claire@example.test", "password": "wrong"})

    assert "Trop de tentatives de connexion échouées." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_is_closed_by_default(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.test", "password1": "a-long-password-1", "password2": "a-long-password-1"},
    )

    assert not User.objects.filter(email="new@example.test").exists()
    assert "Inscriptions fermées" in response.content.decode()


def test_signup_opens_with_the_setting(client, settings, django_capture_on_commit_callbacks):
    settings.SIGNUP_OPEN = True

    with django_capture_on_commit_callbacks(execute=True):  # the confirmation leaves on commit
        client.post(
            reverse("account_signup"),
            {"email": "new@example.test", "password1": "a-long-password-1", "password2": "a-long-password-1"},
        )

    assert User.objects.filter(email="new@example.test").exists()
    assert EmailAddress.objects.get(email="new@example.test").verified is False
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().kind == "allauth"


def test_unverified_email_cannot_log_in(client, password):
    user = UserFactory(email="claire@example.test")
    EmailAddress.objects.filter(user=user).update(verified=False)

    client.post(reverse("account_login"), {"login": "claire@example.test", "password": password})

    assert "_auth_user_id" not in client.session


def test_mfa_totp_setup_is_offered_to_every_user(client, password):
    UserFactory(email="claire@example.test")
    client.post(reverse("account_login"), {"login": "claire@example.test", "password": password})
    # Setting up a second factor asks for the password again (allauth's reauthentication).
    reauth = client.get(reverse("mfa_activate_totp"))
    client.post(reauth["Location"], {"password": password})

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_coordinator_invites_a_colleague(
    client, coordinator, network, member_organisation, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {
                "email": "Els.Peeters@Example.test",
                "first_name": "Els",
                "last_name": "Peeters",
                "profession": "psychologist",
                "network": network.pk,
                "organisation": member_organisation.pk,
                "language": "nl",
            },
        )

    assert response.status_code == 302
    invited = User.objects.get(email="els.peeters@example.test")
    assert not invited.has_usable_password()
    assert list(invited.professional.organisations.all()) == [member_organisation]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["els.peeters@example.test"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_invited_colleague_sets_password_and_email_becomes_verified(
    client, coordinator, network, member_organisation, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invite"),
            {
                "email": "els@example.test",
                "first_name": "Els",
                "last_name": "Peeters",
                "profession": "psychologist",
                "network": network.pk,
                "organisation": member_organisation.pk,
                "language": "fr",
            },
        )
    client.logout()
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    path = urlsplit(link).path

    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "nouveau-mot-de-passe-42", "password2": "nouveau-mot-de-passe-42"},
    )

    assert EmailAddress.objects.get(email="els@example.test").verified is True
    logged_in = client.login(email="els@example.test", password="nouveau-mot-de-passe-42")
    assert logged_in is True


def test_member_cannot_invite(client):
    user = UserFactory()
    ProfessionalFactory(user=user)
    client.force_login(user)

    response = client.post(reverse("accounts:invite"), {"email": "x@example.test"})

    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.test").exists()


def test_invite_refuses_existing_address(client, coordinator, network, member_organisation):
    UserFactory(email="taken@example.test")
    client.force_login(coordinator)

    response = client.post(
        reverse("accounts:invite"),
        {
            "email": "taken@example.test",
            "first_name": "A",
            "last_name": "B",
            "profession": "other",
            "network": network.pk,
            "organisation": member_organisation.pk,
            "language": "fr",
        },
    )

    assert "Cette personne a déjà un compte." in response.content.decode()
    assert Professional.objects.filter(user__email="taken@example.test").count() == 0
    assert mail.outbox == []

"""The service's agreement: the manager's e-mail (queued once, its link rendered as it leaves),
the signed link's page (GET records nothing, POST once), a new address revoking the old link,
and the coordinator recording it."""

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from meetings.exchanges import tokens
from meetings.exchanges.emails.agreement import AgreementKind
from meetings.exchanges.models import AgreementWay, Application
from meetings.exchanges.services.applications import agreement_confirm, apply
from outbox.models import OutboxMessage
from outbox.rendering import render
from tests.exchanges.conftest import MARCH_DAYS, STREET_DAY
from tests.mail import html_body, text_body

pytestmark = pytest.mark.django_db


def applied(w, offer=None, **changes):
    member = w.world.users["member"]
    fields = {
        "offer": offer or w.mm_offer,
        "visitor": member,
        "organisation": changes.get("organisation") or member.professional.organisations.get(),
        "motivation": "Comprendre le travail de rue.",
        "available_days": [MARCH_DAYS[0], STREET_DAY],
        "languages": ["fr"],
        "wanted_kinds": [],
        "offers_return": True,
        "manager_name": "Sophie Responsable",
        "manager_email": "sophie@example.test",
        "accept_undertaking": True,
    }
    return apply(**{**fields, **changes})


def rows(application):
    return OutboxMessage.objects.filter(
        kind=AgreementKind.REQUEST, refs__application=application.pk
    ).order_by("pk")


def link(application):
    return tokens.link_path(application)


def test_the_e_mail_is_queued_once_with_the_link_and_no_more(exchange_world):
    w = exchange_world
    application = applied(w)
    [row] = rows(application)
    assert row.recipient_email == "sophie@example.test" and row.recipient_name == "Sophie Responsable"
    # The link is signed with the second it is made in: made and expected in the same second.
    with time_machine.travel(timezone.now(), tick=False):
        email = render(row)
        expected = tokens.link_url(application)
    assert email.to == ["sophie@example.test"]
    member_name = w.world.users["member"].get_full_name()
    assert member_name in email.subject
    for body in (text_body(email), html_body(email)):
        assert expected in body.replace("&amp;", "&")
        assert "SSM Les Marolles" in body and "« Vis ma vie » printemps 2027" in body
        assert "mardi 9 mars 2027" in body and "jeudi 11 mars 2027" in body
        assert "Comprendre le travail de rue" not in body  # the page shows it, not the e-mail
    applied(w, offer=w.street_offer, available_days=[STREET_DAY])
    assert rows(application).count() == 1


def test_opening_the_link_records_nothing_and_sending_it_records_once(client, exchange_world):
    w = exchange_world
    application = applied(w)
    url = link(application)
    page = client.get(url)  # no account
    assert page.status_code == 200
    text = page.content.decode()
    assert w.world.users["member"].get_full_name() in text and "SSM Les Marolles" in text
    assert "« Vis ma vie » printemps 2027" in text and "Comprendre le travail de rue." in text
    assert "mardi 9 mars 2027" in text and "Mon service donne son accord" in text
    application.refresh_from_db()
    assert application.agreed_at is None
    response = client.post(url, follow=True)
    application.refresh_from_db()
    agreed_at = application.agreed_at
    assert agreed_at is not None and application.agreed_way == AgreementWay.MANAGER
    assert "l&#x27;accord de votre service est enregistré" in response.content.decode()
    again = client.post(url, follow=True).content.decode()
    assert "L&#x27;accord du service est déjà enregistré" in again
    application.refresh_from_db()
    assert application.agreed_at == agreed_at
    assert render(rows(application).get()) is None  # agreed meanwhile: nothing left to ask


@pytest.mark.parametrize("kind", ["forged", "other_application", "garbage"])
def test_a_forged_link_is_a_404(client, exchange_world, kind):
    w = exchange_world
    application = applied(w)
    if kind == "forged":
        token = signing.dumps({"a": application.pk, "n": "0" * 32}, salt=tokens.SALT)
    elif kind == "other_application":
        token = tokens.link_token(application)
        application = w.educator_application
    else:
        token = "pas-un-jeton"
    url = reverse("exchanges:agreement_link", kwargs={"pk": application.pk, "token": token})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Application.objects.filter(agreed_at__isnull=False, pk=application.pk).exists() == (
        kind == "other_application"
    )


def test_a_new_manager_address_revokes_the_old_link(client, exchange_world):
    w = exchange_world
    application = applied(w)
    first = rows(application).get()
    old_url = link(application)
    application = applied(w, offer=w.street_offer, manager_email="marc@example.test", manager_name="Marc")
    assert client.get(old_url).status_code == 404
    assert client.post(old_url).status_code == 404
    application.refresh_from_db()
    assert application.agreed_at is None
    assert render(first) is None  # the old link is never sent
    second = rows(application).last()
    assert second.pk != first.pk and second.recipient_email == "marc@example.test"
    with time_machine.travel(timezone.now(), tick=False):
        assert tokens.link_url(application) in text_body(render(second))
    assert client.get(link(application)).status_code == 200


def test_a_withdrawn_application_has_no_link(client, exchange_world):
    w = exchange_world
    application = applied(w)
    url = link(application)
    client.force_login(w.world.users["member"])
    client.post(reverse("exchanges:application_withdraw", args=[application.pk]))
    client.logout()
    assert client.get(url).status_code == 404
    assert render(rows(application).get()) is None


def test_the_service_refuses_a_second_agreement(exchange_world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        agreement_confirm(application=exchange_world.educator_application)
    assert error.value.code == "already_agreed"


def test_the_coordinator_records_the_agreement(client, exchange_world):
    w = exchange_world
    application = applied(w)
    url = reverse("exchanges:agreement_record", args=[application.pk])
    client.force_login(w.world.users["member"])  # the visitor sees it, may not record it
    assert client.post(url).status_code == 403
    client.force_login(w.world.users["other_coordinator"])
    assert client.post(url).status_code == 404
    application.refresh_from_db()
    assert application.agreed_at is None
    client.force_login(w.world.users["coordinator"])
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("exchanges:round", args=[w.round.pk])
    application.refresh_from_db()
    assert application.agreed_way == AgreementWay.COORDINATOR
    assert application.agreement_recorded_by == w.world.users["coordinator"]
    page = client.get(reverse("exchanges:round", args=[w.round.pk])).content.decode()
    assert reverse("exchanges:agreement_record", args=[application.pk]) not in page

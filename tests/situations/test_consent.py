"""Recording the person's agreement: its form, its legal basis, its file, its withdrawal."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessRecord
from meetings.situations.models import Consent
from meetings.situations.services import consent as consent_services
from tests.mail import text_body
from tests.situations.world import CODE, NOTE_TEXT, SHARED_CONTENT, deliver_pending, fresh

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_media(tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        yield tmp_path / "private"


def consent_post(client, sworld, **extra):
    data = {
        "basis": "consent",
        "given_on": timezone.localdate().isoformat(),
        "form": "written",
        "covered_members": [sworld.members["referent"].pk, sworld.members["professional"].pk],
        "shared_content": "Le traitement seulement.",
        "exclusions": "Dr Lemaire",
        **extra,
    }
    client.force_login(sworld.users["referent"])
    return client.post(reverse("situations:consent", kwargs={"pk": sworld.situation.pk}), data)


def test_a_written_agreement_with_its_scanned_form_replaces_the_previous_one(client, sworld, private_media):
    response = consent_post(client, sworld, document=SimpleUploadedFile("Accord Marc Bastin.pdf", PDF))

    assert response.status_code == 302
    current, previous = Consent.objects.filter(situation=sworld.situation).order_by("-pk")[:2]
    assert current.is_current and previous.replaced_at is not None
    assert current.document_type == "application/pdf"
    assert "Bastin" not in current.document.name  # never the uploaded file's name
    assert (private_media / current.document.name).read_bytes() == PDF
    assert set(current.covered_members.all()) == {sworld.members["referent"], sworld.members["professional"]}
    assert [e.user for e in current.exclusions.all()] == [sworld.users["excluded"]]


def test_the_form_is_served_only_through_the_gate_and_logged(client, sworld):
    consent_post(client, sworld, document=SimpleUploadedFile("form.png", PNG))
    consent = Consent.objects.filter(situation=sworld.situation).first()
    url = reverse("situations:consent_document", kwargs={"pk": sworld.situation.pk, "consent_id": consent.pk})

    client.force_login(sworld.users["professional"])
    allowed = client.get(url)
    client.force_login(sworld.users["relative"])
    relative = client.get(url)
    client.force_login(sworld.users["superuser"])
    superuser = client.get(url)

    assert allowed.status_code == 200 and allowed["Content-Type"] == "image/png"
    assert b"".join(allowed.streaming_content) == PNG
    assert "attachment" in allowed["Content-Disposition"]
    assert (relative.status_code, superuser.status_code) == (403, 404)
    reads = AccessRecord.objects.filter(item="consent_document", item_id=consent.pk)
    assert [r.reader for r in reads] == [sworld.users["professional"]]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf"), "doit être un PDF ou une photo"),
        (SimpleUploadedFile("form.docx", b"PK\x03\x04 word"), "doit être un PDF ou une photo"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)), "dépasse 10 Mo"),
    ],
)
def test_a_form_that_is_not_a_pdf_or_an_image_or_too_big_is_refused(client, sworld, upload, message):
    before = Consent.objects.count()

    response = consent_post(client, sworld, document=upload)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Consent.objects.count() == before
    assert fresh(sworld.situation).consents.first().shared_content == SHARED_CONTENT  # the old one stands


def test_a_legal_basis_is_recorded_with_its_reference(client, sworld):
    refused = consent_post(client, sworld, basis="prosecutor")
    accepted = consent_post(
        client, sworld, basis="prosecutor", basis_reference="Parquet de Bruxelles, 2026/458ter/12"
    )

    assert "avec sa référence" in refused.content.decode()
    assert accepted.status_code == 302
    consent = Consent.objects.filter(situation=sworld.situation).first()
    assert (consent.basis, consent.basis_reference) == ("prosecutor", "Parquet de Bruxelles, 2026/458ter/12")


def test_an_agreement_dated_in_the_future_is_refused(client, sworld):
    before = Consent.objects.count()

    response = consent_post(client, sworld, given_on=(timezone.localdate() + timedelta(days=2)).isoformat())

    assert "dans le futur" in response.content.decode()
    assert Consent.objects.count() == before


def test_only_a_referent_records_an_agreement(client, sworld):
    client.force_login(sworld.users["professional"])
    before = Consent.objects.count()

    response = client.post(
        reverse("situations:consent", kwargs={"pk": sworld.situation.pk}),
        {
            "basis": "consent",
            "given_on": timezone.localdate().isoformat(),
            "form": "oral",
            "shared_content": "Tout",
        },
    )

    assert response.status_code == 403
    assert Consent.objects.count() == before


def test_withdrawal_is_told_to_the_members_without_anything_of_the_person(
    client, sworld, django_capture_on_commit_callbacks
):
    deliver_pending()
    client.force_login(sworld.users["referent"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("situations:consent_withdraw", kwargs={"pk": sworld.situation.pk}),
            {"note": "Ne veut plus."},
        )

    assert response.status_code == 302
    consent = Consent.objects.filter(situation=sworld.situation).first()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == sworld.users["referent"]
    told = sorted(address for m in mail.outbox for address in m.to)
    assert "gp@midi.test" in told and "soeur@midi.test" in told
    assert "psychiatre@midi.test" not in told  # excluded members are not told anything
    assert "personne@midi.test" not in told
    assert "ancien@midi.test" not in told  # no longer in the network
    for message in mail.outbox:
        body = message.subject + text_body(message)
        assert CODE not in body and NOTE_TEXT not in body and SHARED_CONTENT not in body


def test_withdrawing_twice_changes_nothing_the_second_time(sworld):
    consent_services.consent_withdraw(situation=fresh(sworld.situation), by=sworld.users["referent"])

    with pytest.raises(consent_services.ValidationError):
        consent_services.consent_withdraw(situation=fresh(sworld.situation), by=sworld.users["referent"])

    assert Consent.objects.filter(situation=sworld.situation, withdrawn_at__isnull=False).count() == 1

"""Certificates of attendance (PDF content, codes, verification) and attendance exports (CSV)."""

import csv
import io
from datetime import date, time, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from meetings.attendance import rules as attendance_rules
from meetings.attendance.models import Attendance, AttendanceStatus, Certificate
from meetings.attendance.services import certificates as certificate_services
from meetings.attendance.services import reports
from meetings.attendance.services.roll_call import Mark, record_roll_call
from meetings.attendance.services.wrong_codes import MAX_WRONG_CODES
from meetings.kinds import Kind
from meetings.models import (
    GroupMembership,
    Invitation,
    InvitationRole,
    Meeting,
    MeetingStatus,
    MembershipStatus,
    Role,
    StandingGroup,
)
from meetings.recurrence import local_start
from meetings.services.groups import group_create
from meetings.services.meetings import meeting_create
from tests.factories import UserFactory, professional_in
from tests.world import CONCERTATION_TITLE, GROUP_NAME, SESSION_TITLE

pytestmark = pytest.mark.django_db

REFERENCE = "INAMI-BAL-2026-042"
HEADER = (
    "date;debut;fin;type;reunion;groupe;reseau;nom;prenom;inami;email;profession;organisation;presence;"
    "minutes_retard;minutes_presentes;reference_accreditation;points;transmission_accreditation"
)


def past_meeting(world, *, days_ago=10, minutes=90, kind=Kind.BALINT, title=SESSION_TITLE, held=True):
    day = timezone.localdate() - timedelta(days=days_ago)
    start = local_start(day, time(20, 0))
    meeting = meeting_create(
        network=world.network,
        kind=kind,
        group=world.group if kind == Kind.BALINT else None,
        title=title,
        start=start,
        end=start + timedelta(minutes=minutes),
        organiser=world.users["facilitator"],
        purpose="Sortie d'hospitalisation de Monsieur Z." if kind == Kind.CONCERTATION else "",
        place="Rue Haute 100, 1000 Bruxelles",
    )
    if held:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    return meeting


def attend(meeting, user, status=AttendanceStatus.PRESENT, late=None) -> Attendance:
    return Attendance.objects.create(meeting=meeting, user=user, status=status, late_minutes=late)


def accredit(world, points="2.00"):
    world.group.accreditation_reference = REFERENCE
    world.group.accreditation_points = Decimal(points)
    world.group.save()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def french_date(day: date) -> str:
    with translation.override("fr"):
        return formats.date_format(day, "j F Y")


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# Certificates: content


def test_meeting_certificate_pdf_states_what_was_attended(world):
    accredit(world)
    member = world.users["member"]
    meeting = past_meeting(world, minutes=90)
    attend(meeting, member, AttendanceStatus.LATE, late=15)

    certificate = certificate_services.certificate_for_meeting(member, meeting)
    text = pdf_text(certificate_services.render_certificate_pdf(certificate))

    facilitator = world.users["facilitator"]
    assert "Attestation de présence" in text
    assert member.get_full_name() in text
    assert "Psychologue" in text
    assert "Groupe Balint — Balint des Marolles" in text
    assert french_date(meeting.start.date()) in text
    assert "20:00–21:30" in text
    assert "1 h 15" in text  # 90 minutes, 15 late
    assert facilitator.get_full_name() in text
    assert "Réseau Marolles" in text
    assert REFERENCE in text
    assert "2 point(s)" in text
    assert certificate.code in text
    assert certificate_services.verification_url(certificate) in text
    assert SESSION_TITLE not in text
    assert (certificate.session_count, certificate.total_minutes) == (1, 75)
    assert certificate.holder_name == member.get_full_name()


def test_verification_url_is_the_public_page_on_the_site(world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)

    certificate = certificate_services.certificate_for_meeting(member, meeting)

    path = reverse("attendance:certificate_verify", args=[certificate.code])
    assert certificate_services.verification_url(certificate) == settings.SITE_URL + path


def test_meeting_points_win_over_the_group(world):
    accredit(world)
    member = world.users["member"]
    meeting = past_meeting(world)
    meeting.accreditation_reference = "ACCR-SPECIAL-7"
    meeting.accreditation_points = Decimal("1.50")
    meeting.save()
    attend(meeting, member)

    certificate = certificate_services.certificate_for_meeting(member, meeting)
    text = pdf_text(certificate_services.render_certificate_pdf(certificate))

    assert "ACCR-SPECIAL-7" in text
    assert "1,5 point(s)" in text
    assert REFERENCE not in text


def test_concertation_title_never_appears_in_the_certificate(world):
    member = world.users["member"]
    concertation = past_meeting(world, kind=Kind.CONCERTATION, title=CONCERTATION_TITLE, minutes=60)
    attend(concertation, member)

    certificate = certificate_services.certificate_for_meeting(member, concertation)
    text = pdf_text(certificate_services.render_certificate_pdf(certificate))

    assert "Concertation clinique" in text
    assert "1 h" in text
    assert CONCERTATION_TITLE not in text
    assert "Monsieur Z." not in text
    assert "Rue Haute" not in text


def test_pdf_is_downloaded_as_an_attachment(client, world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    client.force_login(member)

    response = client.get(reverse("attendance:certificate_meeting", args=[meeting.pk]))

    certificate = Certificate.objects.get()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="attestation-{certificate.code}.pdf"'
    assert certificate.code in pdf_text(response.content)


# Certificates: refusals and idempotence


@pytest.mark.parametrize(
    "status", [None, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED], ids=["none", "absent", "excused"]
)
def test_certificate_for_a_meeting_not_attended_is_refused(client, world, status):
    member = world.users["member"]
    meeting = past_meeting(world)
    if status:
        attend(meeting, member, status)
    client.force_login(member)

    response = client.get(reverse("attendance:certificate_meeting", args=[meeting.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:certificates")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Vous n'avez pas de présence enregistrée à cette réunion : pas d'attestation possible."
    ]
    assert not Certificate.objects.exists()


def test_certificate_for_a_cancelled_meeting_is_refused(world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])

    with pytest.raises(ValidationError) as error:
        certificate_services.certificate_for_meeting(member, meeting)

    assert error.value.code == "not_attended"
    assert not Certificate.objects.exists()


def test_certificate_for_a_meeting_not_over_yet_is_refused(world):
    member = world.users["member"]
    attend(world.session, member)

    with pytest.raises(ValidationError) as error:
        certificate_services.certificate_for_meeting(member, world.session)

    assert error.value.messages == [
        "Cette réunion n'est pas encore terminée : l'attestation sera disponible ensuite."
    ]
    assert not Certificate.objects.exists()


def test_someone_elses_attendance_gives_no_certificate(client, world):
    meeting = past_meeting(world)
    attend(meeting, world.users["member"])
    client.force_login(world.users["pending"])

    response = client.get(reverse("attendance:certificate_meeting", args=[meeting.pk]))

    assert response.status_code == 302
    assert not Certificate.objects.exists()


def test_a_meeting_i_cannot_see_is_not_found(client, world):
    concertation = past_meeting(world, kind=Kind.CONCERTATION, title=CONCERTATION_TITLE)
    client.force_login(world.users["outsider"])

    response = client.get(reverse("attendance:certificate_meeting", args=[concertation.pk]))

    assert response.status_code == 404
    assert CONCERTATION_TITLE not in unescape(response.content.decode())


def test_former_member_still_gets_a_certificate_for_what_they_attended(client, world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    world.group.memberships.filter(user=member).update(status="left")
    client.force_login(member)

    response = client.get(reverse("attendance:certificate_meeting", args=[meeting.pk]))

    assert response.status_code == 200
    assert Certificate.objects.filter(user=member).count() == 1


def test_downloading_twice_gives_the_same_certificate(client, world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    client.force_login(member)
    url = reverse("attendance:certificate_meeting", args=[meeting.pk])

    first = client.get(url)
    second = client.get(url)

    certificate = Certificate.objects.get()
    assert certificate.code in pdf_text(first.content)
    assert certificate.code in pdf_text(second.content)
    assert list(certificate.meetings.all()) == [meeting]


def test_a_corrected_attendance_gives_a_new_certificate(world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attendance = attend(meeting, member)
    first = certificate_services.certificate_for_meeting(member, meeting)

    attendance.status, attendance.late_minutes = AttendanceStatus.LATE, 30
    attendance.save()
    second = certificate_services.certificate_for_meeting(member, meeting)

    assert first.code != second.code
    assert (first.total_minutes, second.total_minutes) == (90, 60)


def test_changed_accreditation_gives_a_new_certificate(world):
    accredit(world, points="2.00")
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    first = certificate_services.certificate_for_meeting(member, meeting)
    again = certificate_services.certificate_for_meeting(member, meeting)

    accredit(world, points="3.00")
    more_points = certificate_services.certificate_for_meeting(member, meeting)
    world.group.accreditation_reference = "INAMI-BAL-2026-099"
    world.group.save()
    new_reference = certificate_services.certificate_for_meeting(member, meeting)

    assert again.code == first.code
    assert len({first.code, more_points.code, new_reference.code}) == 3
    assert "3 point(s)" in pdf_text(certificate_services.render_certificate_pdf(more_points))
    assert Certificate.objects.count() == 3


# Certificates: periods


def test_period_certificate_totals(world):
    accredit(world, points="2.00")
    member = world.users["member"]
    older = past_meeting(world, days_ago=40, minutes=90)
    newer = past_meeting(world, days_ago=10, minutes=120)
    absent = past_meeting(world, days_ago=20)
    outside = past_meeting(world, days_ago=400)
    cancelled = past_meeting(world, days_ago=30, held=False)
    cancelled.status = MeetingStatus.CANCELLED
    cancelled.save(update_fields=["status"])
    attend(older, member)
    attend(newer, member, AttendanceStatus.LATE, late=30)
    attend(absent, member, AttendanceStatus.ABSENT)
    attend(outside, member)
    attend(cancelled, member)
    attend(world.session, member)  # not over yet
    today = timezone.localdate()

    certificate = certificate_services.certificate_for_period(member, today - timedelta(days=100), today)
    text = pdf_text(certificate_services.render_certificate_pdf(certificate))

    assert set(certificate.meetings.all()) == {older, newer}
    assert (certificate.session_count, certificate.total_minutes) == (2, 180)
    assert (certificate.period_start, certificate.period_end) == (older.start.date(), newer.start.date())
    assert "Total 3 h" in text
    assert "1 h 30" in text
    assert french_date(older.start.date()) in text
    assert french_date(newer.start.date()) in text
    assert "Points d'accréditation 4" in text


def test_period_certificate_for_one_group(world):
    member = world.users["member"]
    session = past_meeting(world, days_ago=10)
    thematic = past_meeting(world, days_ago=12, kind=Kind.THEMATIC, title="Logement d'abord, bilan")
    attend(session, member)
    attend(thematic, member)
    today = timezone.localdate()

    grouped = certificate_services.certificate_for_period(
        member, today - timedelta(days=30), today, world.group
    )
    everything = certificate_services.certificate_for_period(member, today - timedelta(days=30), today)

    assert list(grouped.meetings.all()) == [session]
    assert set(everything.meetings.all()) == {session, thematic}
    assert "Logement d'abord, bilan" in pdf_text(certificate_services.render_certificate_pdf(everything))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 3, 1), date(2026, 2, 1), "La date de début doit précéder la date de fin."),
        (date(2020, 1, 1), date(2023, 1, 2), "La période ne peut pas dépasser 3 ans."),
    ],
)
def test_bad_periods_are_refused(world, start, end, message):
    with pytest.raises(ValidationError) as error:
        certificate_services.certificate_for_period(world.users["member"], start, end)

    assert error.value.messages == [message]


def test_an_empty_period_is_refused(world):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as error:
        certificate_services.certificate_for_period(world.users["member"], today - timedelta(days=30), today)

    assert error.value.messages == [
        "Vous n'avez pas de présence enregistrée sur cette période : pas d'attestation possible."
    ]
    assert not Certificate.objects.exists()


def test_period_pdf_downloads_from_the_form(client, world):
    member = world.users["member"]
    attend(past_meeting(world, days_ago=10), member)
    client.force_login(member)
    today = timezone.localdate()

    response = client.get(
        reverse("attendance:certificate_period"),
        {
            "start": (today - timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
            "group": world.group.pk,
        },
    )

    assert response["Content-Type"] == "application/pdf"
    assert Certificate.objects.get().code in pdf_text(response.content)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "demain", "end": "2026-01-01"}, "Saisissez une date valide."),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "La date de début doit précéder la date de fin."),
        ({"start": "2020-01-01", "end": "2025-01-01"}, "La période ne peut pas dépasser 3 ans."),
    ],
)
def test_bad_period_input_gets_a_message_and_changes_nothing(client, world, params, message):
    client.force_login(world.users["member"])

    response = client.get(reverse("attendance:certificate_period"), params)

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"Attestation impossible : {message}"]
    assert not Certificate.objects.exists()


# Verification


def test_verification_page_confirms_the_certificate(client, world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    certificate = certificate_services.certificate_for_meeting(member, meeting)

    response = client.get(reverse("attendance:certificate_verify", args=[certificate.code]))

    body = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Attestation authentique" in body
    assert member.get_full_name() in body
    assert french_date(meeting.start.date()) in body
    assert "Réseau Marolles" in body
    assert "1 h 30" in body


def test_verification_page_reveals_nothing_else(client, world):
    member = world.users["member"]
    accredit(world)
    session = past_meeting(world)
    concertation = past_meeting(world, kind=Kind.CONCERTATION, title=CONCERTATION_TITLE)
    attend(session, member)
    attend(concertation, member)
    attend(session, world.users["pending"])
    today = timezone.localdate()
    certificate = certificate_services.certificate_for_period(member, today - timedelta(days=30), today)

    body = unescape(
        client.get(reverse("attendance:certificate_verify", args=[certificate.code])).content.decode()
    )

    for secret in [
        GROUP_NAME,
        SESSION_TITLE,
        CONCERTATION_TITLE,
        "Balint",
        "Concertation clinique",
        "Rue Haute",
        REFERENCE,
        "Psychologue",
        member.email,
        world.users["facilitator"].get_full_name(),
        world.users["pending"].get_full_name(),
    ]:
        assert secret not in body


@pytest.mark.parametrize("typed", ["lower", "spaces", "no-dashes"])
def test_verification_code_is_normalised(client, world, typed):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    code = certificate_services.certificate_for_meeting(member, meeting).code
    written = {
        "lower": code.lower(),
        "spaces": " ".join(code.split("-")),
        "no-dashes": code.replace("-", ""),
    }[typed]

    response = client.get(reverse("attendance:certificate_verify", args=[written]))

    assert response.status_code == 200
    assert member.get_full_name() in unescape(response.content.decode())


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKLM-NPQR", "short", "ABCD-EFGH-JKLM-NPQR-STUV"])
def test_unknown_code_is_not_found(client, world, code):
    response = client.get(reverse("attendance:certificate_verify", args=[code]))

    assert response.status_code == 404
    assert "Aucune attestation ne correspond à ce code." in unescape(response.content.decode())


def _main(body: str) -> str:
    return body[body.index("<main") : body.index("</main>")]


def _verify(client, code, address="192.0.2.10"):
    response = client.get(reverse("attendance:certificate_verify", args=[code]), REMOTE_ADDR=address)
    return response.status_code, unescape(response.content.decode())


def test_unknown_codes_are_rate_limited_by_address_and_then_nothing_is_looked_at(client, world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    code = certificate_services.certificate_for_meeting(member, meeting).code
    guesses = [f"ABCD-EFGH-JKLM-NP{n:02d}" for n in range(MAX_WRONG_CODES)]

    tries = [_verify(client, guess)[0] for guess in guesses]
    blocked_guess = client.get(
        reverse("attendance:certificate_verify", args=["ABCD-EFGH-JKLM-NPQR"]), REMOTE_ADDR="192.0.2.10"
    )
    blocked_status, blocked_body = _verify(client, code)
    elsewhere_status, elsewhere_body = _verify(client, code, address="198.51.100.7")

    assert tries == [404] * MAX_WRONG_CODES
    # Past the limit, a genuine code and an unknown one get the same answer: nothing is revealed.
    assert blocked_guess.status_code == blocked_status == 429
    assert blocked_guess["Retry-After"] == "900"
    assert "Trop de codes inconnus ont été vérifiés depuis votre connexion." in blocked_body
    assert "Réessayez dans un quart d'heure" in blocked_body
    assert _main(unescape(blocked_guess.content.decode())) == _main(blocked_body)
    assert member.get_full_name() not in blocked_body
    assert "Attestation authentique" not in blocked_body
    # Another address is not held up by someone else's guesses.
    assert elsewhere_status == 200
    assert member.get_full_name() in elsewhere_body


def test_genuine_codes_are_not_counted_and_answered_under_the_limit(client, world):
    member = world.users["member"]
    meeting = past_meeting(world)
    attend(meeting, member)
    code = certificate_services.certificate_for_meeting(member, meeting).code

    genuine = [_verify(client, code)[0] for _ in range(3 * MAX_WRONG_CODES)]
    unknown = [_verify(client, "short")[0] for _ in range(MAX_WRONG_CODES - 1)]
    status, body = _verify(client, code)

    assert genuine == [200] * (3 * MAX_WRONG_CODES)
    assert unknown == [404] * (MAX_WRONG_CODES - 1)
    assert status == 200
    assert "Attestation authentique" in body
    assert member.get_full_name() in body


# My certificates page


def test_certificates_page_lists_attended_meetings_and_issued_certificates(client, world):
    member = world.users["member"]
    attended = past_meeting(world, days_ago=10)
    missed = past_meeting(world, days_ago=20)
    attend(attended, member)
    attend(missed, member, AttendanceStatus.ABSENT)
    certificate = certificate_services.certificate_for_meeting(member, attended)
    client.force_login(member)

    response = client.get(reverse("attendance:certificates"))

    body = unescape(response.content.decode())
    assert "Mes attestations" in body
    assert reverse("attendance:certificate_meeting", args=[attended.pk]) in body
    assert reverse("attendance:certificate_meeting", args=[missed.pk]) not in body
    assert certificate.code in body
    assert certificate_services.verification_url(certificate) in body
    assert SESSION_TITLE not in body
    assert 'id="exports"' not in body  # a member exports nothing


def test_certificates_page_offers_exports_to_facilitators_and_coordinators(client, world):
    client.force_login(world.users["coordinator"])

    body = unescape(client.get(reverse("attendance:certificates")).content.decode())

    assert reverse("attendance:group_attendance_csv", args=[world.group.pk]) in body
    assert reverse("attendance:network_attendance_csv") in body


@pytest.mark.parametrize("count", [1, 4])
def test_certificates_page_query_count_does_not_grow(client, world, django_assert_num_queries, count):
    member = world.users["member"]
    for i in range(count):
        meeting = past_meeting(world, days_ago=10 + 7 * i)
        attend(meeting, member)
        certificate_services.certificate_for_meeting(member, meeting)
    client.force_login(member)

    # session, user, meetings attended, their group facilitators, certificates, networks I
    # coordinate (none, so none listed), exportable groups, my groups (the form's choices)
    with django_assert_num_queries(8):
        response = client.get(reverse("attendance:certificates"))

    assert len(response.context["sessions"]) == count


# Attendance exports


def test_meeting_csv_columns_and_rows(client, world):
    accredit(world, points="1.50")
    meeting = past_meeting(world, minutes=90)
    attend(meeting, world.users["member"])
    attend(meeting, world.users["pending"], AttendanceStatus.LATE, late=20)
    attend(meeting, world.users["applicant"], AttendanceStatus.EXCUSED)
    client.force_login(world.users["facilitator"])

    response = client.get(reverse("attendance:attendance_csv", args=[meeting.pk]))

    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="presences-reunion-')
    assert ";".join(rows[0]) == HEADER
    by_email = {row[10]: row for row in rows[1:]}
    assert len(rows) == 4
    member = world.users["member"]
    day = meeting.start.date().isoformat()
    assert by_email[member.email] == [
        day,
        "20:00",
        "21:30",
        "Groupe Balint",
        "Groupe Balint — Balint des Marolles",
        GROUP_NAME,
        "Réseau Marolles",
        member.last_name,
        member.first_name,
        "",
        member.email,
        "Psychologue",
        "SSM Les Marolles",
        "présent·e",
        "",
        "90",
        REFERENCE,
        "1,5",
        f"à transmettre avant le {reports.deadline(meeting).isoformat()}",
    ]
    assert by_email["pending@example.test"][13:18] == ["en retard", "20", "70", REFERENCE, "1,5"]
    assert by_email["applicant@example.test"][13:18] == ["excusé·e", "", "0", REFERENCE, ""]
    assert SESSION_TITLE not in response.content.decode("utf-8-sig")


def test_guests_have_rows_from_their_invitation(client, world):
    meeting = past_meeting(world)
    guest = Invitation.objects.create(meeting=meeting, email="superviseur@externe.test", name="Dr Lemaire")
    Attendance.objects.create(meeting=meeting, invitation=guest, status=AttendanceStatus.PRESENT)
    client.force_login(world.users["facilitator"])

    rows = csv_rows(client.get(reverse("attendance:attendance_csv", args=[meeting.pk])))

    assert rows[1][7:14] == ["Dr Lemaire", "", "", "superviseur@externe.test", "", "", "présent·e"]
    assert rows[1][15] == "90"


def test_the_person_concerned_is_never_exported(client, world):
    concertation = past_meeting(world, kind=Kind.CONCERTATION, title=CONCERTATION_TITLE, minutes=60)
    person = Invitation.objects.create(
        meeting=concertation, email="z@example.test", name="Monsieur Z.", role=InvitationRole.PERSON_CONCERNED
    )
    Attendance.objects.create(meeting=concertation, invitation=person, status=AttendanceStatus.PRESENT)
    attend(concertation, world.users["member"])
    client.force_login(world.users["facilitator"])

    rows = csv_rows(client.get(reverse("attendance:attendance_csv", args=[concertation.pk])))

    assert [row[10] for row in rows[1:]] == [world.users["member"].email]
    assert rows[1][3:5] == ["Concertation clinique", "Concertation clinique"]
    assert all(CONCERTATION_TITLE not in cell and "Monsieur Z." not in cell for row in rows for cell in row)


def test_a_relative_with_an_account_is_never_exported(client, world):
    """The roll call records people with an account by their user, not their invitation: the
    person concerned and a relative who have an account are kept out all the same."""
    facilitator, coordinator, member = (world.users[r] for r in ("facilitator", "coordinator", "member"))
    concertation = past_meeting(world, days_ago=3, kind=Kind.CONCERTATION, title=CONCERTATION_TITLE)
    relative = UserFactory(email="soeur.z@example.test", first_name="Nadia", last_name="Zeroual")
    person = UserFactory(email="z@example.test", first_name="Karim", last_name="Zeroual")
    for user, role in [
        (member, InvitationRole.PARTICIPANT),
        (relative, InvitationRole.RELATIVE),
        (person, InvitationRole.PERSON_CONCERNED),
        # So that the network export, for coordinators, includes this concertation.
        (coordinator, InvitationRole.FACILITATOR),
    ]:
        Invitation.objects.create(meeting=concertation, user=user, email=user.email, role=role)
    record_roll_call(
        meeting=concertation,
        by=facilitator,
        marks={f"u{user.pk}": Mark(AttendanceStatus.PRESENT) for user in (member, relative, person)},
        now=concertation.end,
    )
    client.force_login(facilitator)
    meeting_export = csv_rows(client.get(reverse("attendance:attendance_csv", args=[concertation.pk])))
    client.force_login(coordinator)
    network_export = csv_rows(
        client.get(reverse("attendance:network_attendance_csv"), {"network": world.network.pk})
    )

    # A concertation belongs to no group: no group export can list it.
    assert concertation.group_id is None
    assert Attendance.objects.filter(meeting=concertation, invitation__isnull=True).count() == 3
    for rows in (meeting_export, network_export):
        assert [row[10] for row in rows[1:]] == [member.email]
        for cell in (cell for row in rows for cell in row):
            assert "Zeroual" not in cell
            assert cell not in {relative.email, person.email, "Nadia", "Karim"}


def test_cells_are_not_read_as_formulas(client, world):
    meeting = past_meeting(world)
    guest = Invitation.objects.create(meeting=meeting, email="x@externe.test", name="=HYPERLINK(1)")
    Attendance.objects.create(meeting=meeting, invitation=guest, status=AttendanceStatus.PRESENT)
    client.force_login(world.users["facilitator"])

    rows = csv_rows(client.get(reverse("attendance:attendance_csv", args=[meeting.pk])))

    assert rows[1][7] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("role", "expected"), [("member", 403), ("pending", 403), ("other_coordinator", 404)]
)
def test_meeting_csv_is_refused_to_others(client, world, role, expected):
    meeting = past_meeting(world)
    attend(meeting, world.users["member"])
    client.force_login(world.users[role])

    response = client.get(reverse("attendance:attendance_csv", args=[meeting.pk]))

    assert response.status_code == expected
    assert world.users["member"].email not in response.content.decode()


def test_group_csv_covers_the_period_asked(client, world):
    inside = past_meeting(world, days_ago=10)
    outside = past_meeting(world, days_ago=60)
    attend(inside, world.users["member"])
    attend(outside, world.users["member"])
    client.force_login(world.users["facilitator"])
    today = timezone.localdate()

    response = client.get(
        reverse("attendance:group_attendance_csv", args=[world.group.pk]),
        {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()},
    )

    rows = csv_rows(response)
    assert [row[0] for row in rows[1:]] == [inside.start.date().isoformat()]


def test_group_csv_defaults_to_the_groups_cycle(client, world):
    today = timezone.localdate()
    world.group.cycle_start = today - timedelta(days=30)
    world.group.save()
    inside = past_meeting(world, days_ago=10)
    before = past_meeting(world, days_ago=45)
    attend(inside, world.users["member"])
    attend(before, world.users["member"])
    client.force_login(world.users["coordinator"])

    rows = csv_rows(client.get(reverse("attendance:group_attendance_csv", args=[world.group.pk])))

    assert [row[0] for row in rows[1:]] == [inside.start.date().isoformat()]


@pytest.mark.parametrize("role", ["member", "pending", "outsider"])
def test_group_csv_is_refused_to_members(client, world, role):
    attend(past_meeting(world), world.users["member"])
    client.force_login(world.users[role])

    response = client.get(reverse("attendance:group_attendance_csv", args=[world.group.pk]))

    assert response.status_code == 403
    assert world.users["member"].email not in response.content.decode()


def test_network_csv_for_its_coordinator(client, world):
    session = past_meeting(world, days_ago=10)
    concertation = past_meeting(world, days_ago=11, kind=Kind.CONCERTATION, title=CONCERTATION_TITLE)
    attend(session, world.users["member"])
    attend(concertation, world.users["member"])
    client.force_login(world.users["coordinator"])

    response = client.get(reverse("attendance:network_attendance_csv"), {"network": world.network.pk})

    rows = csv_rows(response)
    assert ";".join(rows[0]) == HEADER
    # The concertation is reserved to its participants, its coordinator not among them.
    assert [(row[4], row[10]) for row in rows[1:]] == [
        ("Groupe Balint — Balint des Marolles", world.users["member"].email)
    ]


@pytest.mark.parametrize("role", ["other_coordinator", "facilitator", "member"])
def test_network_csv_is_refused_to_others(client, world, role):
    attend(past_meeting(world), world.users["member"])
    client.force_login(world.users[role])

    response = client.get(reverse("attendance:network_attendance_csv"), {"network": world.network.pk})

    assert response.status_code == 403
    assert world.users["member"].email not in response.content.decode()


def test_network_csv_bad_dates_get_a_message(client, world):
    client.force_login(world.users["coordinator"])

    response = client.get(
        reverse("attendance:network_attendance_csv"),
        {"network": world.network.pk, "start": "2026-05-01", "end": "2026-01-01"},
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Export impossible : La date de début doit précéder la date de fin."
    ]


def test_export_filters_in_sql_agree_with_the_permission_rules(world):
    users = world.users
    # Someone for every branch of the rules: an invited facilitator, a substitute, a facilitator
    # who left, and another network's group and meeting.
    Invitation.objects.create(
        meeting=world.concertation,
        user=users["applicant"],
        email=users["applicant"].email,
        role=InvitationRole.FACILITATOR,
    )
    GroupMembership.objects.create(
        group=world.group, user=users["outsider"], role=Role.SUBSTITUTE, status=MembershipStatus.ACTIVE
    )
    neighbours = group_create(
        network=world.other_network,
        kind=Kind.INTERVISION,
        name="Intervision voisine",
        facilitators=[users["other_coordinator"]],
        by=users["other_coordinator"],
    )
    GroupMembership.objects.create(
        group=neighbours, user=users["member"], role=Role.FACILITATOR, status=MembershipStatus.LEFT
    )
    past_meeting(world, kind=Kind.THEMATIC, title="Logement d'abord, bilan")
    start = local_start(timezone.localdate() + timedelta(days=2), time(9, 0))
    meeting_create(
        network=world.other_network,
        kind=Kind.THEMATIC,
        title="Réseau voisin : bilan",
        start=start,
        end=start + timedelta(hours=2),
        organiser=users["other_coordinator"],
        place="Verviers",
    )
    people = {**users, "superuser": UserFactory(is_superuser=True), "anonymous": AnonymousUser()}
    meetings, groups = list(Meeting.objects.order_by("pk")), list(StandingGroup.objects.order_by("pk"))

    answers = {}
    for name, user in people.items():
        in_sql = (
            list(
                Meeting.objects.filter(attendance_rules.meetings_with_exportable_attendance(user))
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
            list(
                StandingGroup.objects.filter(attendance_rules.groups_with_exportable_attendance(user))
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
        )
        in_python = (
            [m.pk for m in meetings if attendance_rules.can_export_attendance(user, m)],
            [g.pk for g in groups if attendance_rules.can_export_group_attendance(user, g)],
        )
        assert in_sql == in_python, name
        answers[name] = in_python

    assert len({repr(answer) for answer in answers.values()}) >= 5  # the rules tell people apart
    assert answers["anonymous"] == ([], [])
    assert answers["superuser"] == ([], [])  # in no network: exports nothing


def _export_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_csv_export_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    organisation = world.network.organisations.first()
    first = past_meeting(world, days_ago=10)
    attend(first, world.users["member"])
    client.force_login(world.users["facilitator"])
    url = reverse("attendance:group_attendance_csv", args=[world.group.pk])
    with_one_row = _export_queries(client, url)

    for i in range(6):
        meeting = past_meeting(world, days_ago=17 + 7 * i)
        for j in range(3):
            attend(meeting, professional_in(organisation, email=f"p{i}-{j}@example.test"))
        guest = Invitation.objects.create(meeting=meeting, email=f"g{i}@externe.test", name=f"Invité {i}")
        Attendance.objects.create(meeting=meeting, invitation=guest, status=AttendanceStatus.PRESENT)
        attend(meeting, UserFactory())  # no professional profile

    with django_assert_max_num_queries(with_one_row):
        rows = csv_rows(client.get(url))

    assert len(rows) == 1 + 1 + 6 * 5

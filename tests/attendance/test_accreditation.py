"""Accreditation as done in Belgium (FIELD.md, GLEM): the INAMI number on certificates and in the
exports, the group's rapporteur named by the coordinator, reminded once per session to hand in
its attendance within a month, and the exports saying which sessions are still to report."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import erase_person
from meetings.attendance.models import AccreditationReport, Attendance, AttendanceStatus
from meetings.attendance.services import certificates as certificate_services
from meetings.attendance.services import reports
from meetings.models import StandingGroup
from meetings.services.groups import group_set_rapporteur
from outbox import services as outbox
from outbox.models import OutboxMessage
from tests.attendance.test_certificates import REFERENCE, past_meeting, pdf_text
from tests.mail import html_body, text_body
from tests.world import SESSION_TITLE

pytestmark = pytest.mark.django_db

INAMI = "12345678901"
PRINTED = "1-23456-78-901"


@pytest.fixture
def glem(world):
    """The world's group, accredited, with `member` as its rapporteur and an INAMI number."""
    group = world.group
    group.accreditation_reference, group.accreditation_points = REFERENCE, Decimal("2.00")
    group.save()
    group_set_rapporteur(group=group, rapporteur=world.users["member"], by=world.users["coordinator"])
    profile = world.users["member"].professional
    profile.inami_number = INAMI
    profile.save(update_fields=["inami_number"])
    return world


def reminders_to(user):
    return OutboxMessage.objects.filter(kind=reports.REPORT_REMINDER, recipient_email=user.email)


def reminded(meeting) -> int:
    """Reminders about MEETING (the world's own session, a fortnight on, may have its own)."""
    return OutboxMessage.objects.filter(dedupe_key=reports.reminder_key(meeting.pk)).count()


def csv_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


# The INAMI number on certificates and in exports


def test_the_certificate_prints_the_holders_inami_number(glem):
    member = glem.users["member"]
    meeting = past_meeting(glem)
    Attendance.objects.create(meeting=meeting, user=member, status=AttendanceStatus.PRESENT)

    certificate = certificate_services.certificate_for_meeting(member, meeting)
    text = pdf_text(certificate_services.render_certificate_pdf(certificate))

    assert f"Numéro INAMI {PRINTED}" in text


def test_a_certificate_without_a_number_says_nothing_of_it(glem):
    pending = glem.users["pending"]
    meeting = past_meeting(glem)
    Attendance.objects.create(meeting=meeting, user=pending, status=AttendanceStatus.PRESENT)

    certificate = certificate_services.certificate_for_meeting(pending, meeting)

    assert "Numéro INAMI" not in pdf_text(certificate_services.render_certificate_pdf(certificate))


def test_the_export_gives_the_number_and_says_the_session_is_still_to_report(client, glem):
    member, pending = glem.users["member"], glem.users["pending"]
    meeting = past_meeting(glem, days_ago=10)
    for user in (member, pending):
        Attendance.objects.create(meeting=meeting, user=user, status=AttendanceStatus.PRESENT)
    client.force_login(glem.users["facilitator"])

    rows = csv_of(client.get(reverse("attendance:group_attendance_csv", args=[glem.group.pk])))

    by_email = {row["email"]: row for row in rows}
    assert by_email[member.email]["inami"] == PRINTED
    assert by_email[pending.email]["inami"] == ""
    deadline = reports.deadline(meeting)
    assert (deadline.month - meeting.end.month) % 12 == 1 and deadline.day == meeting.end.day
    assert {row["transmission_accreditation"] for row in rows} == {
        f"à transmettre avant le {deadline.isoformat()}"
    }


def test_the_export_says_when_a_session_was_reported_and_when_it_is_late(client, glem):
    reported = past_meeting(glem, days_ago=20)
    late = past_meeting(glem, days_ago=45)
    for meeting in (reported, late):
        Attendance.objects.create(meeting=meeting, user=glem.users["member"], status=AttendanceStatus.PRESENT)
    reports.mark_reported(meeting=reported, by=glem.users["member"])
    client.force_login(glem.users["facilitator"])

    rows = csv_of(client.get(reverse("attendance:group_attendance_csv", args=[glem.group.pk])))

    states = {row["date"]: row["transmission_accreditation"] for row in rows}
    today = timezone.localdate()
    assert states[reported.start.date().isoformat()] == f"transmise le {today.isoformat()}"
    assert states[late.start.date().isoformat()] == (
        f"à transmettre, délai dépassé le {reports.deadline(late).isoformat()}"
    )


def test_sessions_without_accreditation_have_nothing_to_report(client, world):
    meeting = past_meeting(world)
    Attendance.objects.create(meeting=meeting, user=world.users["member"], status=AttendanceStatus.PRESENT)
    client.force_login(world.users["facilitator"])

    rows = csv_of(client.get(reverse("attendance:group_attendance_csv", args=[world.group.pk])))

    assert [row["transmission_accreditation"] for row in rows] == [""]
    assert reports.group_sessions_to_report(world.group) == []


def test_a_session_accredited_on_its_own_is_to_report_in_a_group_without_accreditation(world):
    plain, accredited = past_meeting(world, days_ago=10), past_meeting(world, days_ago=3)
    accredited.accreditation_reference = REFERENCE
    accredited.save(update_fields=["accreditation_reference"])

    listed = [row.meeting for row in reports.group_sessions_to_report(world.group)]
    everywhere = set(reports.to_report(StandingGroup.objects.get(pk=world.group.pk).meetings.all()))

    assert listed == [accredited]
    assert everywhere == {accredited}
    assert plain not in listed


# The rapporteur


def test_the_coordinator_names_a_member_rapporteur(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:group_rapporteur", args=[world.group.pk])

    response = client.post(url, {"rapporteur": world.users["member"].pk}, follow=True)

    assert StandingGroup.objects.get(pk=world.group.pk).rapporteur == world.users["member"]
    assert "Rapporteur·e du groupe enregistré·e." in unescape(response.content.decode())


def test_the_rapporteur_is_chosen_among_the_members(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:group_rapporteur", args=[world.group.pk])

    response = client.post(url, {"rapporteur": world.users["outsider"].pk}, follow=True)

    assert StandingGroup.objects.get(pk=world.group.pk).rapporteur is None
    assert "Choisissez un membre du groupe." in unescape(response.content.decode())


def test_the_rapporteur_is_searched_among_the_members_who_see_the_details(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("meetings:group_rapporteur_search", args=[world.group.pk])

    # Names of their own: invented names may share a surname, and the search would find both.
    for role in ("member", "facilitator", "pending", "outsider"):
        world.users[role].last_name = f"Rapporteur{role.capitalize()}"
        world.users[role].save(update_fields=["last_name"])

    def found(user):
        return [r["user"] for r in client.get(url, {"q": user.last_name}).context["rows"]]

    assert found(world.users["member"]) == [world.users["member"]]
    assert found(world.users["facilitator"]) == [world.users["facilitator"]]
    assert found(world.users["pending"]) == []  # has not accepted the charter
    assert found(world.users["outsider"]) == []


def test_the_group_page_names_the_rapporteur_in_a_picker_not_a_list_of_the_members(client, world):
    group_set_rapporteur(group=world.group, rapporteur=world.users["member"], by=world.users["coordinator"])
    client.force_login(world.users["coordinator"])

    body = unescape(client.get(reverse("meetings:group", args=[world.group.pk])).content.decode())
    form = body.split('id="rapporteur-form"')[1].split("</form>")[0]
    cleared = client.post(
        reverse("meetings:group_rapporteur", args=[world.group.pk]), {"rapporteur_text": ""}
    )

    assert "<select" not in form and "<option" not in form
    assert f'value="u{world.users["member"].pk}"' in form
    assert world.users["facilitator"].get_full_name() not in form
    assert reverse("meetings:group_rapporteur_search", args=[world.group.pk]) in form
    assert cleared.status_code == 302
    assert StandingGroup.objects.get(pk=world.group.pk).rapporteur is None


def test_a_member_who_has_not_accepted_the_charter_is_not_rapporteur_nor_exports_the_list(client, world):
    """The list handed in names the group's participants: only who sees the group's details."""
    pending = world.users["pending"]
    client.force_login(world.users["coordinator"])
    refused = client.post(
        reverse("meetings:group_rapporteur", args=[world.group.pk]), {"rapporteur": pending.pk}, follow=True
    )
    # Named before the charter changed, say: the role gives nothing until they accept it again.
    StandingGroup.objects.filter(pk=world.group.pk).update(rapporteur=pending)
    client.force_login(pending)
    export = client.get(reverse("attendance:group_attendance_csv", args=[world.group.pk]))

    assert "Choisissez un membre du groupe." in unescape(refused.content.decode())
    assert export.status_code == 403


def test_the_rapporteur_sees_what_is_to_report_exports_and_marks_it_handed_in(client, glem):
    member = glem.users["member"]
    meeting = past_meeting(glem, days_ago=10)
    Attendance.objects.create(meeting=meeting, user=member, status=AttendanceStatus.PRESENT)
    client.force_login(member)

    page = unescape(client.get(reverse("meetings:group", args=[glem.group.pk])).content.decode())
    assert 'id="sessions-to-report"' in page
    assert reverse("attendance:report_session", args=[meeting.pk]) in page
    assert reverse("meetings:group_rules", args=[glem.group.pk]) not in page  # facilitation's
    export = client.get(reverse("attendance:group_attendance_csv", args=[glem.group.pk]))
    assert export.status_code == 200 and csv_of(export)[0]["inami"] == PRINTED

    response = client.post(reverse("attendance:report_session", args=[meeting.pk]), follow=True)

    report = AccreditationReport.objects.get(meeting=meeting)
    assert report.reported_by == member
    page = unescape(response.content.decode())
    assert "Les présences de la séance sont notées comme transmises." in page
    assert "Aucune séance accréditée en attente de transmission." in page


def test_a_session_still_to_come_cannot_be_reported(client, glem):
    client.force_login(glem.users["member"])

    client.post(reverse("attendance:report_session", args=[glem.session.pk]))

    assert not AccreditationReport.objects.exists()


def test_other_members_neither_see_nor_report_it(client, glem):
    meeting = past_meeting(glem, days_ago=10)
    pending = glem.users["pending"]
    client.force_login(pending)

    response = client.post(reverse("attendance:report_session", args=[meeting.pk]))

    assert response.status_code == 403
    assert not AccreditationReport.objects.exists()
    assert client.get(reverse("attendance:group_attendance_csv", args=[glem.group.pk])).status_code == 403


# The reminder


def test_the_rapporteur_is_reminded_once_within_the_month(glem, django_capture_on_commit_callbacks):
    member, deliver = glem.users["member"], django_capture_on_commit_callbacks
    meeting = past_meeting(glem, days_ago=1)
    mail.outbox.clear()

    with time_machine.travel(meeting.end + timedelta(days=2)):
        reports.send_report_reminders()
        too_early = reminded(meeting)
    with time_machine.travel(meeting.end + timedelta(days=8)), deliver(execute=True):
        first = reports.send_report_reminders()
        again = reports.send_report_reminders()
    with time_machine.travel(meeting.end + timedelta(days=20)):
        reports.send_report_reminders()

    assert (too_early, first, again, reminded(meeting)) == (0, 1, 0, 1)
    assert reminders_to(member).filter(dedupe_key=f"attendance-report-reminder:{meeting.pk}").count() == 1
    [message] = mail.outbox
    assert message.to == [member.email]
    deadline = reports.deadline(meeting)
    assert message.subject.startswith("Présences à transmettre avant le ")
    assert "Groupe Balint — Balint des Marolles" in message.subject
    for body in (text_body(message), html_body(message)):
        assert f"Bonjour {member.get_full_name()}," in body
        assert deadline.strftime("%Y") in body
        assert reverse("meetings:group", args=[glem.group.pk]) in body
        assert SESSION_TITLE not in body


def test_no_reminder_once_reported(glem):
    meeting = past_meeting(glem, days_ago=1)
    reports.mark_reported(meeting=meeting, by=glem.users["facilitator"])

    with time_machine.travel(meeting.end + timedelta(days=8)):
        assert reports.send_report_reminders() == 0


def test_a_reminder_reported_before_it_leaves_is_not_sent(glem, django_capture_on_commit_callbacks):
    meeting = past_meeting(glem, days_ago=1)
    mail.outbox.clear()
    with time_machine.travel(meeting.end + timedelta(days=8)):
        with django_capture_on_commit_callbacks(execute=False):
            assert reports.send_report_reminders() == 1
        reports.mark_reported(meeting=meeting, by=glem.users["member"])
        with django_capture_on_commit_callbacks(execute=True):
            outbox.deliver(reminders_to(glem.users["member"]).get().pk)

    assert mail.outbox == []


def test_no_reminder_after_the_month(glem):
    meeting = past_meeting(glem, days_ago=1)

    with time_machine.travel(meeting.end + timedelta(days=32)):
        reports.send_report_reminders()

    assert reminded(meeting) == 0


def test_no_reminder_without_a_rapporteur_or_accreditation(glem, world):
    meeting = past_meeting(glem, days_ago=1)
    StandingGroup.objects.filter(pk=glem.group.pk).update(rapporteur=None)
    with time_machine.travel(meeting.end + timedelta(days=8)):
        assert reports.send_report_reminders() == 0

    StandingGroup.objects.filter(pk=glem.group.pk).update(
        rapporteur=glem.users["member"], accreditation_reference="", accreditation_points=None
    )
    with time_machine.travel(meeting.end + timedelta(days=8)):
        assert reports.send_report_reminders() == 0


def test_the_periodic_task_is_scheduled():
    from worker.celery import app

    assert "attendance.send_report_reminders" in {entry["task"] for entry in app.conf.beat_schedule.values()}


# The person's data


def test_rapporteur_and_reports_are_in_the_persons_data_and_the_role_ends_on_erasure(client, glem):
    member = glem.users["member"]
    meeting = past_meeting(glem, days_ago=10)
    reports.mark_reported(meeting=meeting, by=member)
    client.force_login(member)

    data = json.loads(client.get(reverse("personal_data")).content)["sections"]

    assert [g["id"] for g in data["meetings"]["rapporteur_of"]] == [glem.group.pk]
    assert [r["meeting"] for r in data["attendance"]["accreditation_reports"]] == [meeting.pk]

    admin = User.objects.create_superuser(email="admin@example.test", password="x" * 12)
    erase_person(user=member, by=admin)

    assert StandingGroup.objects.get(pk=glem.group.pk).rapporteur is None
    assert AccreditationReport.objects.filter(meeting=meeting).exists()  # the session stays reported

"""Roll call and self check-in: windows (frozen time), who may, wrong codes, the group rule."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.attendance.models import Attendance, AttendanceCorrection, AttendanceStatus
from meetings.attendance.services import roll_call as att
from meetings.attendance.services.wrong_codes import MAX_WRONG_CODES
from meetings.models import MeetingStatus
from meetings.services.groups import group_add_member
from tests.pages import main_form, submit

pytestmark = pytest.mark.django_db


def marks(world, **statuses):
    return {f"u{world.users[role].pk}": att.Mark(*value) for role, value in statuses.items()}


def test_roll_call_lists_members_and_invitees_once(world):
    names = {row.user.email for row in att.roll_call(world.session)}

    assert names == {"facilitator@example.test", "member@example.test", "pending@example.test"}


def test_roll_call_opens_15_minutes_before_and_closes_7_days_after(world):
    session, facilitator = world.session, world.users["facilitator"]
    attempts = {
        "16 min before": session.start - timedelta(minutes=16),
        "14 min before": session.start - timedelta(minutes=14),
        "6 days after": session.end + timedelta(days=6),
        "8 days after": session.end + timedelta(days=8),
    }
    results = {}
    for label, moment in attempts.items():
        with time_machine.travel(moment, tick=False):
            try:
                att.record_roll_call(meeting=session, by=facilitator, marks=marks(world, member=("present",)))
                results[label] = "recorded"
            except ValidationError as error:
                results[label] = error.code

    assert results == {
        "16 min before": "window",
        "14 min before": "recorded",
        "6 days after": "recorded",
        "8 days after": "window",
    }


def test_facilitator_marks_present_late_excused_and_absent(world):
    session = world.session
    with time_machine.travel(session.start + timedelta(minutes=30), tick=False):
        count = att.record_roll_call(
            meeting=session,
            by=world.users["facilitator"],
            marks=marks(world, member=("late", 10), pending=("excused",), facilitator=("present",)),
        )

    recorded = {a.user.email: (a.status, a.late_minutes) for a in Attendance.objects.filter(meeting=session)}
    assert count == 3
    assert recorded == {
        "member@example.test": ("late", 10),
        "pending@example.test": ("excused", None),
        "facilitator@example.test": ("present", None),
    }


def test_roll_call_by_a_member_is_refused_and_changes_nothing(world):
    with time_machine.travel(world.session.start, tick=False), pytest.raises(PermissionDenied):
        att.record_roll_call(
            meeting=world.session, by=world.users["member"], marks=marks(world, member=("present",))
        )

    assert not Attendance.objects.exists()


def test_late_without_minutes_is_refused_and_nothing_is_written(world):
    with time_machine.travel(world.session.start, tick=False), pytest.raises(ValidationError) as error:
        att.record_roll_call(
            meeting=world.session,
            by=world.users["facilitator"],
            marks=marks(world, facilitator=("present",), member=("late",)),
        )

    assert error.value.messages == ["Indiquez les minutes de retard."]
    assert not Attendance.objects.exists()


def test_roll_call_page_records_marks_on_a_phone_form(client, world):
    client.force_login(world.users["facilitator"])
    member = world.users["member"]
    with time_machine.travel(world.session.start + timedelta(minutes=5)):
        page = client.get(reverse("attendance:roll_call", args=[world.session.pk]))
        response = client.post(
            reverse("attendance:roll_call", args=[world.session.pk]),
            {f"status-u{member.pk}": "late", f"late-u{member.pk}": "12"},
        )

    assert f'name="status-u{member.pk}"' in page.content.decode()
    assert response.status_code == 302
    assert Attendance.objects.get(user=member).late_minutes == 12


def checked_statuses(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="status-(\w+)" value="(\w+)" checked', page))


def late_value(page: str, key: str) -> str:
    return re.search(rf'name="late-{key}"[^>]*value="([^"]*)"', page).group(1)


def test_a_refused_roll_call_shows_the_marks_as_typed_and_writes_nothing(client, world):
    facilitator, member, pending = (world.users[role] for role in ("facilitator", "member", "pending"))
    client.force_login(facilitator)
    url = reverse("attendance:roll_call", args=[world.session.pk])

    with time_machine.travel(world.session.start + timedelta(minutes=30)):
        response = client.post(
            url,
            {
                f"status-u{facilitator.pk}": "present",
                f"status-u{pending.pk}": "late",
                f"late-u{pending.pk}": "12",
                f"status-u{member.pk}": "late",  # without minutes: the whole roll call is refused
            },
        )

    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Indiquez les minutes de retard." in page
    assert checked_statuses(page) == {
        f"u{facilitator.pk}": "present",
        f"u{pending.pk}": "late",
        f"u{member.pk}": "late",
    }
    assert (late_value(page, f"u{pending.pk}"), late_value(page, f"u{member.pk}")) == ("12", "")
    assert not Attendance.objects.exists()


def test_a_roll_call_refused_for_bad_minutes_names_the_person_and_writes_nothing(client, world):
    facilitator, pending = world.users["facilitator"], world.users["pending"]
    client.force_login(facilitator)
    url = reverse("attendance:roll_call", args=[world.session.pk])

    with time_machine.travel(world.session.start + timedelta(minutes=30)):
        response = client.post(
            url,
            {
                f"status-u{facilitator.pk}": "present",
                f"status-u{pending.pk}": "late",
                f"late-u{pending.pk}": "un quart d'heure",
            },
        )

    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert f"{pending.get_full_name()} : Saisissez un nombre entier." in page
    assert not Attendance.objects.exists()


# "Tous présents", then the exceptions


def test_everyone_present_marks_who_is_not_marked_yet_and_keeps_check_ins_and_exceptions(client, world):
    """The facilitator taps "excusé·e" for one person, then "Tous présents": that exception and a
    member's own check-in stay as they are, the others are marked present, and the roll call
    comes back for more exceptions."""
    facilitator, member, pending = (world.users[role] for role in ("facilitator", "member", "pending"))
    session = open_session(world)
    url = reverse("attendance:roll_call", args=[session.pk])
    client.force_login(facilitator)

    with time_machine.travel(session.start + timedelta(minutes=20), tick=False):
        att.check_in(meeting=session, user=member, code=att.checkin_code(session))
        page = client.get(url)
        form = main_form(page)
        response = submit(client, page, url, everyone="present", **{f"status-u{pending.pk}": "excused"})
        again = client.get(url)

    recorded = {a.user.email: (a.status, a.late_minutes) for a in Attendance.objects.filter(meeting=session)}
    shown = unescape(again.content.decode())
    assert {"name": "everyone", "value": "present", "type": "submit"} in form["buttons"]
    assert "Note présentes les 2 personnes pas encore notées" in unescape(page.content.decode())
    assert response.status_code == 302 and response["Location"] == url
    assert recorded == {
        "member@example.test": ("late", 20),
        "pending@example.test": ("excused", None),
        "facilitator@example.test": ("present", None),
    }
    assert "1 personne notée présente. Changez ci-dessous les exceptions." in shown
    assert checked_statuses(shown) == {
        f"u{facilitator.pk}": "present",
        f"u{pending.pk}": "excused",
        f"u{member.pk}": "late",
    }
    assert 'name="everyone"' not in shown  # everyone is marked: the exceptions are left


def test_an_exception_after_everyone_present_is_saved_with_the_roll_call(client, world):
    facilitator, member = world.users["facilitator"], world.users["member"]
    url = reverse("attendance:roll_call", args=[world.session.pk])
    client.force_login(facilitator)

    with time_machine.travel(world.session.start + timedelta(minutes=5), tick=False):
        client.post(url, {"everyone": "present"})
        page = client.get(url)
        response = submit(client, page, url, **{f"status-u{member.pk}": "absent"})

    recorded = dict(Attendance.objects.filter(meeting=world.session).values_list("user__email", "status"))
    assert response["Location"] == reverse("meetings:meeting", args=[world.session.pk])
    assert recorded == {
        "facilitator@example.test": "present",
        "member@example.test": "absent",
        "pending@example.test": "present",
    }


def test_everyone_present_by_a_member_or_outside_the_window_writes_nothing(world):
    session, facilitator, member = world.session, world.users["facilitator"], world.users["member"]

    with time_machine.travel(session.start, tick=False), pytest.raises(PermissionDenied):
        att.mark_everyone_present(meeting=session, by=member)
    with (
        time_machine.travel(session.start - timedelta(minutes=16), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        att.mark_everyone_present(meeting=session, by=facilitator)

    assert error.value.code == "window"
    assert not Attendance.objects.exists()


def test_everyone_present_with_a_bad_exception_writes_nothing(client, world):
    facilitator, member = world.users["facilitator"], world.users["member"]
    client.force_login(facilitator)

    with time_machine.travel(world.session.start + timedelta(minutes=5), tick=False):
        response = client.post(
            reverse("attendance:roll_call", args=[world.session.pk]),
            {"everyone": "present", f"status-u{member.pk}": "late"},
        )

    assert "Indiquez les minutes de retard." in unescape(response.content.decode())
    assert not Attendance.objects.exists()


# Self check-in


def open_session(world):
    return att.open_checkin(world.session, by=world.users["facilitator"])


def test_check_in_with_the_code_during_the_window(world):
    session = open_session(world)
    code = att.checkin_code(session)

    with time_machine.travel(session.start + timedelta(minutes=2), tick=False):
        attendance = att.check_in(meeting=session, user=world.users["member"], code=code.lower())
        again = att.check_in(meeting=session, user=world.users["member"], code=code)

    assert len(code) == 6 and set(code) <= set(att.CODE_ALPHABET)
    assert (attendance.status, attendance.checked_in_at is not None) == ("present", True)
    assert again.pk == attendance.pk
    assert Attendance.objects.count() == 1


def test_check_in_after_the_start_counts_minutes_late(world):
    session = open_session(world)

    with time_machine.travel(session.start + timedelta(minutes=20), tick=False):
        attendance = att.check_in(meeting=session, user=world.users["member"], code=att.checkin_code(session))

    assert (attendance.status, attendance.late_minutes) == (AttendanceStatus.LATE, 20)


@pytest.mark.parametrize(
    "moment", [lambda m: m.start - timedelta(minutes=16), lambda m: m.end + timedelta(minutes=1)]
)
def test_check_in_outside_the_window_is_refused(world, moment):
    session = open_session(world)

    with time_machine.travel(moment(session), tick=False), pytest.raises(ValidationError) as error:
        att.check_in(meeting=session, user=world.users["member"], code=att.checkin_code(session))

    assert error.value.code == "window"
    assert not Attendance.objects.exists()


def test_wrong_codes_are_rate_limited_even_before_the_right_one(world):
    session = open_session(world)
    member = world.users["member"]
    wrong = "ZZZZZZ" if att.checkin_code(session) != "ZZZZZZ" else "YYYYYY"

    with time_machine.travel(session.start, tick=False):
        codes = []
        for _ in range(MAX_WRONG_CODES):
            with pytest.raises(ValidationError) as error:
                att.check_in(meeting=session, user=member, code=wrong)
            codes.append(error.value.code)
        with pytest.raises(ValidationError) as blocked:
            att.check_in(meeting=session, user=member, code=att.checkin_code(session))
        # Another participant is not affected by someone else's mistakes.
        other = att.check_in(meeting=session, user=world.users["pending"], code=att.checkin_code(session))

    assert codes == ["wrong_code"] * MAX_WRONG_CODES
    assert blocked.value.code == "rate_limited"
    assert list(Attendance.objects.values_list("user", flat=True)) == [other.user_id]


def test_check_in_needs_the_facilitator_to_have_shown_a_code(world):
    with time_machine.travel(world.session.start, tick=False), pytest.raises(ValidationError):
        att.check_in(meeting=world.session, user=world.users["member"], code="ABCDEF")


def test_someone_not_expected_cannot_check_in(world):
    session = open_session(world)

    with time_machine.travel(session.start, tick=False), pytest.raises(PermissionDenied):
        att.check_in(meeting=session, user=world.users["coordinator"], code=att.checkin_code(session))


def test_check_in_link_from_the_qr_code(client, world):
    session = open_session(world)
    client.force_login(world.users["member"])
    link = reverse("attendance:checkin_link", args=[session.pk, att.checkin_token(session)])

    with time_machine.travel(session.start):
        confirm = client.get(link)
        client.post(link)
        wrong = client.get(reverse("attendance:checkin_link", args=[session.pk, "f" * 32]))

    assert confirm.status_code == 200
    assert len(att.checkin_token(session)) == 32  # 128 bits
    assert Attendance.objects.get(user=world.users["member"]).status == "present"
    assert wrong.status_code == 404


def test_check_in_link_is_valid_only_while_its_code_is_shown(world):
    token_before_any_code = att.checkin_token(world.session)
    valid_before_any_code = att.checkin_token_valid(world.session, token_before_any_code)
    session = open_session(world)
    token = att.checkin_token(session)
    answers = {
        "current": att.checkin_token_valid(session, token),
        "unknown": att.checkin_token_valid(session, "f" * 32),
        "empty": att.checkin_token_valid(session, ""),
    }
    att.renew_checkin(session, by=world.users["facilitator"])

    assert valid_before_any_code is False
    assert answers == {"current": True, "unknown": False, "empty": False}
    assert att.checkin_token_valid(session, token) is False
    assert att.checkin_token_valid(session, att.checkin_token(session)) is True


def test_facilitator_screen_shows_the_code_and_a_qr_code(client, world):
    client.force_login(world.users["facilitator"])
    url = reverse("attendance:checkin_display", args=[world.session.pk])

    with time_machine.travel(world.session.start):
        client.post(url)
        page = client.get(url).content.decode()

    world.session.refresh_from_db()
    assert att.checkin_code(world.session) in page
    assert "<svg" in page
    assert att.checkin_token(world.session) in page


# Corrections after closing


def close(meeting):
    meeting.status = MeetingStatus.CLOSED
    meeting.save(update_fields=["status"])


def test_coordinator_corrects_a_closed_meeting_with_a_logged_reason(world):
    session = world.session
    with time_machine.travel(session.start, tick=False):
        att.record_roll_call(
            meeting=session, by=world.users["facilitator"], marks=marks(world, member=("absent",))
        )
    close(session)
    key = f"u{world.users['member'].pk}"

    with pytest.raises(ValidationError):
        att.correct_attendance(
            meeting=session, by=world.users["coordinator"], key=key, mark=att.Mark("present"), reason=" "
        )
    with pytest.raises(PermissionDenied):
        att.correct_attendance(
            meeting=session, by=world.users["facilitator"], key=key, mark=att.Mark("present"), reason="Erreur"
        )
    correction = att.correct_attendance(
        meeting=session,
        by=world.users["coordinator"],
        key=key,
        mark=att.Mark("present"),
        reason="Signature reçue",
    )

    assert Attendance.objects.get(user=world.users["member"]).status == "present"
    assert AttendanceCorrection.objects.count() == 1
    assert (correction.previous_status, correction.new_status, correction.reason) == (
        "absent",
        "present",
        "Signature reçue",
    )


def test_closed_roll_call_gives_coordinators_one_correction_form_per_person(client, world):
    close(world.session)
    keys = [row.key for row in att.roll_call(world.session)]
    url = reverse("attendance:roll_call", args=[world.session.pk])

    client.force_login(world.users["coordinator"])
    coordinator_page = client.get(url).content.decode()
    client.force_login(world.users["facilitator"])
    facilitator_page = client.get(url).content.decode()

    assert coordinator_page.count('name="reason"') == len(keys) == 3
    for key in keys:
        assert f'<input type="hidden" name="key" value="{key}" id="correct-{key}-key">' in coordinator_page
        assert f'id="correct-{key}-reason"' in coordinator_page
    assert 'name="reason"' not in facilitator_page


def test_a_correction_posted_from_the_closed_roll_call_is_recorded(client, world):
    member_key = f"u{world.users['member'].pk}"
    close(world.session)
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("attendance:attendance_correct", args=[world.session.pk]),
        {"key": member_key, "status": "late", "late_minutes": "20", "reason": "Feuille signée"},
    )

    attendance = Attendance.objects.get()
    assert response.status_code == 302
    assert (attendance.user, attendance.status, attendance.late_minutes) == (
        world.users["member"],
        "late",
        20,
    )
    assert AttendanceCorrection.objects.get().reason == "Feuille signée"


def test_closed_meeting_refuses_roll_call(world):
    close(world.session)

    with time_machine.travel(world.session.start, tick=False), pytest.raises(ValidationError) as error:
        att.record_roll_call(
            meeting=world.session, by=world.users["facilitator"], marks=marks(world, member=("present",))
        )

    assert error.value.code == "closed"


# The attendance rule of standing groups


def test_members_below_the_groups_minimum_are_listed(world):
    group = world.group
    group.attendance_minimum = 70
    group.cycle_start = date(2020, 9, 1)
    group.save()
    group.memberships.update(decided_at=timezone.now() - timedelta(days=400))
    sessions = list(world.session.series.occurrences.order_by("start")[:4])
    facilitator = world.users["facilitator"]
    for index, session in enumerate(sessions):
        with time_machine.travel(session.start, tick=False):
            present = {"facilitator": ("present",), "member": ("present",)}
            present["pending"] = ("present",) if index == 0 else ("absent",)
            att.record_roll_call(meeting=session, by=facilitator, marks=marks(world, **present))

    with time_machine.travel(sessions[-1].end + timedelta(days=1), tick=False):
        below = att.below_minimum(group)

    assert [(r.user.email, r.attended, r.sessions, r.percent) for r in below] == [
        ("pending@example.test", 1, 4, 25)
    ]


def test_members_who_joined_late_are_counted_from_their_arrival(world):
    group = world.group
    group.attendance_minimum = 70
    group.save()
    sessions = list(world.session.series.occurrences.order_by("start")[:3])
    newcomer = world.users["outsider"]
    with time_machine.travel(sessions[1].end + timedelta(hours=1), tick=False):
        group_add_member(group=group, user=newcomer, by=world.users["facilitator"])
    with time_machine.travel(sessions[2].start, tick=False):
        att.record_roll_call(
            meeting=sessions[2], by=world.users["facilitator"], marks={f"u{newcomer.pk}": att.Mark("present")}
        )

    with time_machine.travel(sessions[2].end + timedelta(days=1), tick=False):
        below = {r.user.email for r in att.below_minimum(group)}

    assert "outsider@example.test" not in below
    assert "member@example.test" in below  # never marked present in three sessions


def test_editing_a_series_never_replaces_a_session_with_a_roll_call(world):
    from meetings.services.series import rule_from, series_split

    session = world.session
    with time_machine.travel(session.start, tick=False):
        att.record_roll_call(
            meeting=session, by=world.users["facilitator"], marks=marks(world, member=("present",))
        )
    session.refresh_from_db()
    assert session.status == MeetingStatus.HELD

    # Even a session left "scheduled" (attendance taken before this rule existed) survives an
    # edit of "this session and the following ones" made from it.
    type(session).objects.filter(pk=session.pk).update(status=MeetingStatus.SCHEDULED)
    session.refresh_from_db()
    series_split(
        occurrence=session,
        dtstart=session.start + timedelta(hours=1),
        duration=session.duration,
        rrule=rule_from(session.series, session),
        changes={},
    )

    assert Attendance.objects.filter(meeting=session).count() == 1


def test_the_cycle_without_a_start_date_handles_29_february(world):
    assert att.cycle(world.group, date(2028, 2, 29)) == (date(2027, 2, 28), date(2028, 3, 1))  # end excluded


def test_a_meeting_that_took_place_cannot_be_cancelled(world):
    from meetings.services.meetings import meeting_cancel

    with time_machine.travel(world.session.start, tick=False):
        att.record_roll_call(
            meeting=world.session, by=world.users["facilitator"], marks=marks(world, member=("present",))
        )
    with pytest.raises(ValidationError) as error:
        meeting_cancel(meeting=world.session)

    world.session.refresh_from_db()
    assert error.value.code == "past"
    assert world.session.status == MeetingStatus.HELD


def test_a_new_code_revokes_the_old_code_and_link(client, world):
    session = open_session(world)
    old_code, old_token = att.checkin_code(session), att.checkin_token(session)
    client.force_login(world.users["facilitator"])

    with time_machine.travel(session.start):
        client.post(reverse("attendance:checkin_display", args=[session.pk]), {"renew": "1"})
    session.refresh_from_db()
    client.force_login(world.users["member"])
    with time_machine.travel(session.start):
        old_link = client.get(reverse("attendance:checkin_link", args=[session.pk, old_token]))
        unknown_link = client.get(reverse("attendance:checkin_link", args=[session.pk, "f" * 32]))
        with pytest.raises(ValidationError):
            att.check_in(meeting=session, user=world.users["member"], code=old_code)
        att.check_in(meeting=session, user=world.users["member"], code=att.checkin_code(session))

    assert att.checkin_code(session) != old_code
    assert old_link.status_code == unknown_link.status_code == 404
    assert Attendance.objects.get().user == world.users["member"]

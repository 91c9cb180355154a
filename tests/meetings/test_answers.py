"""Answers: one-click links without login, and replies from calendar applications."""

import io
import re
import sys
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from meetings import rsvp
from meetings.models import Invitation, PartStat
from meetings.services import invitations as inv
from meetings.services.invitations import revoke_answer_links
from tests.pages import main_form, submit

pytestmark = pytest.mark.django_db


def main_content(content: bytes) -> bytes:
    """The page's <main>: the rest (CSRF token, current path in the language switcher) varies."""
    return re.search(rb"<main.*</main>", content, re.S).group(0)


@pytest.fixture
def invitation(world):
    [invitation] = inv.invite_to_meeting(
        meeting=world.thematic, invitees=[inv.guest("ines@example.be", "Inês")]
    )
    return invitation


def test_an_answer_link_opens_the_page_and_one_tap_records_it_without_login(client, invitation):
    path = rsvp.link_path(invitation, "accept")

    opened = client.get(path)
    invitation.refresh_from_db()
    recorded_on_open = invitation.partstat
    sent = submit(client, opened, path)
    shown = client.get(sent.url)

    invitation.refresh_from_db()
    assert opened.status_code == 200
    assert recorded_on_open == PartStat.NEEDS_ACTION
    assert main_form(opened)["fields"].count(("partstat", "ACCEPTED")) == 1
    assert "Rien n'est encore enregistré" in unescape(opened.content.decode())
    assert invitation.partstat == PartStat.ACCEPTED
    assert sent.status_code == 302 and sent.url.startswith(path)
    assert "Votre réponse est enregistrée" in shown.content.decode()
    assert "Merci, c&#x27;est noté." in shown.content.decode()


def test_sending_twice_changes_nothing(client, invitation):
    path = rsvp.link_path(invitation, "decline")
    client.post(path, {"partstat": "DECLINED"})
    invitation.refresh_from_db()
    first_answer_at = invitation.answered_at

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        client.post(path, {"partstat": "DECLINED"})

    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.DECLINED
    assert invitation.answered_at == first_answer_at


def test_after_choosing_another_answer_than_the_links_the_page_shows_the_recorded_one(client, invitation):
    path = rsvp.link_path(invitation, "accept")

    sent = client.post(path, {"partstat": "TENTATIVE"})
    shown = client.get(sent.url)
    opened_again = client.get(path)

    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.TENTATIVE
    assert ("partstat", "TENTATIVE") in main_form(shown)["fields"]
    assert "Votre réponse est enregistrée" in shown.content.decode()
    # The link itself still proposes its own answer, next to what is recorded.
    assert ("partstat", "ACCEPTED") in main_form(opened_again)["fields"]
    assert "peut-être" in opened_again.content.decode()


def test_comment_and_what_i_bring(client, invitation):
    path = rsvp.link_path(invitation, "maybe")
    client.get(path)

    client.post(
        path,
        {
            "partstat": "ACCEPTED",
            "comment": "Un peu en retard",
            "brings": "Les chiffres",
            "looking_for": "Un relais logement",
        },
    )

    invitation.refresh_from_db()
    assert (invitation.partstat, invitation.comment, invitation.brings, invitation.looking_for) == (
        "ACCEPTED",
        "Un peu en retard",
        "Les chiffres",
        "Un relais logement",
    )


def test_expired_link_is_refused(client, invitation):
    path = rsvp.link_path(invitation, "accept")

    with time_machine.travel(timezone.now() + timedelta(days=121)):
        response = client.get(path)
        posted = client.post(path, {"partstat": "ACCEPTED"})

    invitation.refresh_from_db()
    assert response.status_code == posted.status_code == 404
    assert invitation.partstat == PartStat.NEEDS_ACTION
    assert "Ce lien n'est plus valable" in unescape(response.content.decode())


def test_tampered_link_is_refused(client, invitation):
    path = rsvp.link_path(invitation, "decline")
    tampered = path.replace("/rsvp/meeting/", "/rsvp/meeting/").rstrip("/")[:-3] + "abc/"

    response = client.get(tampered)

    invitation.refresh_from_db()
    assert response.status_code == 404
    assert invitation.partstat == PartStat.NEEDS_ACTION


def test_link_for_another_meeting_is_refused(client, world, invitation):
    path = rsvp.link_path(invitation, "accept")
    elsewhere = path.replace(f"/rsvp/meeting/{world.thematic.pk}/", f"/rsvp/meeting/{world.concertation.pk}/")

    response = client.get(elsewhere)

    invitation.refresh_from_db()
    assert response.status_code == 404
    assert invitation.partstat == PartStat.NEEDS_ACTION


def test_revoked_link_looks_like_an_unknown_one(client, invitation):
    path = rsvp.link_path(invitation, "accept")
    revoke_answer_links(target=invitation)

    revoked = client.get(path)
    unknown = client.get(f"/rsvp/meeting/{invitation.meeting_id}/nonsense/")
    posted = client.post(path, {"partstat": "ACCEPTED"})

    invitation.refresh_from_db()
    assert revoked.status_code == unknown.status_code == posted.status_code == 404
    assert invitation.partstat == PartStat.NEEDS_ACTION
    assert main_content(revoked.content) == main_content(unknown.content)


def test_answering_a_series_answers_every_future_occurrence(client, world):
    series = world.session.series
    [series_invitation] = inv.invite_to_series(series=series, invitees=[inv.guest("ines@example.be")])

    path = rsvp.link_path(series_invitation, "accept")
    submit(client, client.get(path), path)

    future = Invitation.objects.filter(series_invitation=series_invitation)
    assert future.count() > 3
    assert set(future.values_list("partstat", flat=True)) == {"ACCEPTED"}


# process_itip

REPLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
METHOD:{method}
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261123T090000Z
SEQUENCE:0
ATTENDEE;PARTSTAT={partstat};CN=Ines:mailto:{email}
SUMMARY:Accepted
END:VEVENT
END:VCALENDAR
"""


def run_itip(tmp_path, text: str) -> tuple[int, str, str]:
    path = tmp_path / "reply.ics"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("process_itip", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_reply_from_outlook_without_organizer_is_applied(tmp_path, world, invitation):
    code, out, _err = run_itip(
        tmp_path,
        REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="ACCEPTED", email="INES@example.be"),
    )

    invitation.refresh_from_db()
    assert code == 0
    assert invitation.partstat == PartStat.ACCEPTED
    assert out.strip() == "ines@example.be: Rencontre thématique : logement d'abord → ACCEPTED"


def test_reply_inside_a_whole_email(tmp_path, world, invitation):
    ics = REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="DECLINED", email="ines@example.be")
    raw = (
        "From: ines@example.be\nTo: reponses@concertation.test\nSubject: Refusé\nMIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="b"\n\n--b\nContent-Type: text/plain\n\nNon merci\n'
        '--b\nContent-Type: text/calendar; method=REPLY; charset="utf-8"\n\n' + ics + "\n--b--\n"
    )

    code, _out, _err = run_itip(tmp_path, raw)

    invitation.refresh_from_db()
    assert code == 0
    assert invitation.partstat == PartStat.DECLINED


def test_reply_for_one_occurrence_of_a_series(tmp_path, world):
    series = world.session.series
    inv.invite_to_series(series=series, invitees=[inv.guest("ines@example.be")])
    occurrence = series.occurrences.order_by("start")[1]
    rid = occurrence.recurrence_id.strftime("%Y%m%dT%H%M%SZ")
    text = REPLY.format(method="REPLY", uid=series.uid, partstat="DECLINED", email="ines@example.be").replace(
        "SEQUENCE:0", f"SEQUENCE:0\nRECURRENCE-ID:{rid}"
    )

    code, _out, _err = run_itip(tmp_path, text)

    assert code == 0
    assert occurrence.invitations.get(email="ines@example.be").partstat == "DECLINED"
    assert (
        series.occurrences.order_by("start")[2].invitations.get(email="ines@example.be").partstat
        == "NEEDS-ACTION"
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unknown_uid", "unknown UID"),
        ("not_invited", "was not invited"),
        ("request", "METHOD is REQUEST, expected REPLY"),
        ("garbage", "input is neither an iCalendar file nor an e-mail"),
        ("broken_calendar", "unreadable calendar"),
    ],
)
def test_bad_replies_change_nothing_and_exit_1(tmp_path, world, invitation, case, expected):
    good = {"method": "REPLY", "uid": world.thematic.uid, "partstat": "ACCEPTED", "email": "ines@example.be"}
    texts = {
        "unknown_uid": REPLY.format(**{**good, "uid": "nobody@elsewhere"}),
        "not_invited": REPLY.format(**{**good, "email": "intruder@example.be"}),
        "request": REPLY.format(**{**good, "method": "REQUEST"}),
        "garbage": "\x00\x01 this is not a calendar",
        "broken_calendar": "BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nUID\nEND:VCALENDAR\n",
    }

    code, out, err = run_itip(tmp_path, texts[case])

    invitation.refresh_from_db()
    assert code == 1
    assert expected in err
    assert out == ""
    assert invitation.partstat == PartStat.NEEDS_ACTION


def test_process_itip_reads_stdin(world, invitation, monkeypatch):
    text = REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="TENTATIVE", email="ines@example.be")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    out = io.StringIO()

    call_command("process_itip", "-", stdout=out)

    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.TENTATIVE
    assert "→ TENTATIVE" in out.getvalue()


def test_answer_page_of_a_concertation_shows_no_case_material(client, world):
    [relative] = inv.invite_to_meeting(
        meeting=world.concertation, invitees=[inv.guest("proche@example.be", role="relative")]
    )

    body = unescape(client.get(rsvp.link_path(relative, "accept")).content.decode())

    assert "Concertation clinique" in body
    assert world.concertation.title not in body
    assert world.concertation.purpose not in body
    assert world.users["member"].email not in body  # nor who else takes part


def reply_mail(sender: str, ics: str) -> bytes:
    return (
        f"From: Someone <{sender}>\nTo: reponses@concertation.test\nSubject: Réponse\nMIME-Version: 1.0\n"
        'Content-Type: text/calendar; method=REPLY; charset="utf-8"\n\n' + ics
    ).encode()


def test_mailbox_replies_must_come_from_the_attendee_they_answer_for(world, invitation):
    from meetings.calendar.services.replies import ReplyError, apply_reply, sender_of

    ics = REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="DECLINED", email="ines@example.be")
    forged = reply_mail("prankster@example.be", ics)
    genuine = reply_mail("Ines@Example.be", ics)

    with pytest.raises(ReplyError, match="not by the attendee"):
        apply_reply(forged, sender=sender_of(forged))
    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.NEEDS_ACTION
    apply_reply(genuine, sender=sender_of(genuine))
    invitation.refresh_from_db()
    assert invitation.partstat == PartStat.DECLINED


def run_itip_bytes(tmp_path, data: bytes) -> tuple[int, str, str]:
    path = tmp_path / "reply.eml"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("process_itip", str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_a_reply_file_sent_by_someone_else_than_the_attendee_changes_nothing(tmp_path, world, invitation):
    ics = REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="DECLINED", email="ines@example.be")

    code, out, err = run_itip_bytes(tmp_path, reply_mail("prankster@example.be", ics))

    invitation.refresh_from_db()
    assert code == 1
    assert err.strip() == "Nothing changed: sent by prankster@example.be, not by the attendee ines@example.be"
    assert out == ""
    assert invitation.partstat == PartStat.NEEDS_ACTION


def test_a_reply_file_from_the_attendee_is_applied(tmp_path, world, invitation):
    ics = REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="DECLINED", email="ines@example.be")

    code, _out, _err = run_itip_bytes(tmp_path, reply_mail("Ines@Example.be", ics))

    invitation.refresh_from_db()
    assert code == 0
    assert invitation.partstat == PartStat.DECLINED


def test_a_reply_answering_for_two_attendees_changes_nothing(tmp_path, world, invitation):
    [other] = inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest("marc@example.be")])
    ics = REPLY.format(
        method="REPLY", uid=world.thematic.uid, partstat="DECLINED", email="ines@example.be"
    ).replace("SUMMARY:", "ATTENDEE;PARTSTAT=DECLINED:mailto:marc@example.be\nSUMMARY:")

    code, _out, err = run_itip(tmp_path, ics)

    invitation.refresh_from_db()
    other.refresh_from_db()
    assert code == 1
    assert "a reply answers for one ATTENDEE, this one names 2" in err
    assert (invitation.partstat, other.partstat) == (PartStat.NEEDS_ACTION, PartStat.NEEDS_ACTION)


def big_reply(world) -> bytes:
    """A genuine reply from the attendee, in an e-mail of 5 MB."""
    ics = REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="ACCEPTED", email="ines@example.be")
    return (
        "From: ines@example.be\nTo: reponses@concertation.test\nSubject: Accepté\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n'
        + ("Oui. " * 1_000_000)
        + '\n--b\nContent-Type: text/calendar; method=REPLY; charset="utf-8"\n\n'
        + ics
        + "\n--b--\n"
    ).encode()


def test_a_reply_file_larger_than_256_kb_changes_nothing(tmp_path, world, invitation):
    code, out, err = run_itip_bytes(tmp_path, big_reply(world))

    invitation.refresh_from_db()
    assert code == 1
    assert err.strip() == "Nothing changed: the input is larger than 256 KB, the most a calendar reply may be"
    assert out == ""
    assert invitation.partstat == PartStat.NEEDS_ACTION


def test_a_reply_on_stdin_larger_than_256_kb_changes_nothing(world, invitation, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(big_reply(world))))
    err = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("process_itip", "-", stderr=err)

    invitation.refresh_from_db()
    assert exit_.value.code == 1
    assert "larger than 256 KB" in err.getvalue()
    assert invitation.partstat == PartStat.NEEDS_ACTION


def test_a_reply_of_256_kb_is_still_read(world, invitation):
    from meetings.calendar.services.replies import MAX_REPLY_BYTES, apply_reply

    ics = REPLY.format(method="REPLY", uid=world.thematic.uid, partstat="ACCEPTED", email="ines@example.be")
    head = 'From: ines@example.be\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
    tail = "\n--b\nContent-Type: text/calendar; method=REPLY\n\n" + ics + "\n--b--\n"
    start = head + "--b\nContent-Type: text/plain\n\n"
    filler = "x" * (MAX_REPLY_BYTES - len((start + tail).encode()))

    apply_reply((start + filler + tail).encode())

    invitation.refresh_from_db()
    assert len((start + filler + tail).encode()) == MAX_REPLY_BYTES
    assert invitation.partstat == PartStat.ACCEPTED


def test_what_a_reply_prints_about_a_concertation_is_its_kind_only(world):
    from meetings.calendar.services.replies import apply_reply

    member = world.users["member"]
    ics = REPLY.format(method="REPLY", uid=world.concertation.uid, partstat="ACCEPTED", email=member.email)

    result = apply_reply(ics.encode())

    assert result.changes == [f"{member.email}: Concertation clinique → ACCEPTED"]

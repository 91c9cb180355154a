"""Answers from calendar applications (iTIP REPLY, RFC 5546), by file or from the reply mailbox.

`apply_reply(data)` takes a raw .ics or a whole e-mail, of at most MAX_REPLY_BYTES. It matches
the event by UID (and RECURRENCE-ID for one occurrence) and its one ATTENDEE by e-mail to the
invitation it answers, and records their PARTSTAT and COMMENT. A reply to an older SEQUENCE than
the one last e-mailed to that attendee answers a version that changed since (another time,
another place): it is refused. A reply answers only for whoever sent it: an
e-mail's From must be the attendee's address, whether it came from the reply mailbox or a file.
Outlook's replies without ORGANIZER are fine. Anything else changes nothing and says why.
"""

import email
import imaplib
import logging
from dataclasses import dataclass, field
from email import policy
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from icalendar import Calendar

from meetings import ical
from meetings.models import Invitation, Meeting, PartStat, Series, SeriesInvitation
from meetings.services.invitations import answer

log = logging.getLogger(__name__)
CALENDAR_TYPES = {"text/calendar", "application/ics", "application/octet-stream"}
# A calendar reply is a few kilobytes, a whole e-mail with its text and HTML bodies some tens;
# anything larger is not an answer to an invitation, and is not parsed.
MAX_REPLY_BYTES = 256 * 1024
# What the answer page accepts as a comment (meetings.forms.AnswerForm).
MAX_COMMENT_LENGTH = 2000


class ReplyError(Exception):
    """Why a reply could not be applied (nothing was changed)."""


@dataclass
class ReplyResult:
    changes: list[str] = field(default_factory=list)


def extract_calendar(data: bytes) -> bytes:
    """The calendar in DATA: DATA itself, or the calendar part of an e-mail."""
    stripped = data.lstrip()
    if stripped.upper().startswith(b"BEGIN:VCALENDAR"):
        return stripped
    message = email.message_from_bytes(data, policy=policy.default)
    if not message.keys():
        raise ReplyError("input is neither an iCalendar file nor an e-mail")
    for part in message.walk():
        if part.get_content_type() in CALENDAR_TYPES:
            payload = part.get_payload(decode=True) or b""
            if payload.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
                return payload.lstrip()
    raise ReplyError("the e-mail has no calendar part")


def _address(value) -> str:
    text = str(value)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return unquote(text).strip().lower()


def sender_of(data: bytes) -> str | None:
    """The From address of an e-mail (None for a bare .ics)."""
    if data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        return None
    message = email.message_from_bytes(data, policy=policy.default)
    addresses = getattr(message.get("from"), "addresses", ())
    return addresses[0].addr_spec.lower() if addresses else None


def check_size(data: bytes) -> None:
    if len(data) > MAX_REPLY_BYTES:
        raise ReplyError(
            f"the input is larger than {MAX_REPLY_BYTES // 1024} KB, the most a calendar reply may be"
        )


@transaction.atomic
def apply_reply(data: bytes, *, sender: str | None = None) -> ReplyResult:
    """Apply a REPLY. Each answer must come from the attendee it speaks for: nobody answers in
    someone else's name. SENDER is who sent it (the reply mailbox passes the From of each mail,
    "" when it has none); left out, it is the From of DATA when DATA is an e-mail that has one,
    and a bare .ics answers for its ATTENDEE alone."""
    check_size(data)
    if sender is None:
        sender = sender_of(data)
    try:
        calendar = Calendar.from_ical(extract_calendar(data))
    except ReplyError:
        raise
    except Exception as exc:
        raise ReplyError(f"unreadable calendar: {exc}") from exc
    method = str(calendar.get("method", "")).upper()
    if method != "REPLY":
        raise ReplyError(f"METHOD is {method or 'missing'}, expected REPLY")
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise ReplyError("no VEVENT in the reply")
    plans = [_plan(event) for event in events]  # check everything before changing anything
    if sender is not None:
        for target, _partstat, _label, _comment in plans:
            if target.email.lower() != sender.lower():
                raise ReplyError(f"sent by {sender}, not by the attendee {target.email}")
    result = ReplyResult()
    for target, partstat, label, comment in plans:
        if answer(target=target, partstat=partstat, comment=comment):
            result.changes.append(f"{target.email}: {label} → {partstat}")
        else:
            result.changes.append(f"{target.email}: {label} already {partstat} (unchanged)")
    return result


def _plan(event):
    uid = str(event.get("uid", "")).strip()
    if not uid:
        raise ReplyError("VEVENT without UID")
    attendees = event.get("attendee")
    if attendees is None:
        raise ReplyError(f"{uid}: no ATTENDEE")
    if isinstance(attendees, list):
        # RFC 5546 §3.2.3: a REPLY carries the one attendee who answers.
        if len({_address(a) for a in attendees}) > 1:
            raise ReplyError(f"{uid}: a reply answers for one ATTENDEE, this one names {len(attendees)}")
        attendees = attendees[0]
    attendee = attendees
    address = _address(attendee)
    partstat = str(attendee.params.get("PARTSTAT", "")).upper()
    if partstat not in {PartStat.ACCEPTED, PartStat.TENTATIVE, PartStat.DECLINED}:
        raise ReplyError(f"{uid}: PARTSTAT {partstat or 'missing'} is not an answer")
    recurrence = event.get("recurrence-id")
    if recurrence is not None:
        meeting = Meeting.objects.filter(uid=uid, recurrence_id=recurrence.dt).first()
        if meeting is None:
            raise ReplyError(f"unknown UID {uid} with RECURRENCE-ID {recurrence.dt.isoformat()}")
        invitations = Invitation.objects.select_related("series_invitation")
        target = invitations.filter(meeting=meeting, email__iexact=address).first()
        label, subject = f"{ical.public_summary(meeting)} ({meeting.start:%Y-%m-%d})", meeting
    elif (series := Series.objects.filter(uid=uid).first()) is not None:
        target = SeriesInvitation.objects.filter(series=series, email__iexact=address).first()
        label, subject = f"{ical.public_summary(series)} (série)", series
    else:
        meeting = Meeting.objects.filter(uid=uid, series__isnull=True).first()
        if meeting is None:
            raise ReplyError(f"unknown UID {uid}")
        target = Invitation.objects.filter(meeting=meeting, email__iexact=address).first()
        label, subject = ical.public_summary(meeting), meeting
    if target is None:
        raise ReplyError(f"{address} was not invited to {uid}")
    sequence, oldest = _sequence(event), oldest_answerable(target, subject)
    if sequence < oldest:
        raise ReplyError(
            f"{uid}: the reply answers SEQUENCE {sequence}, older than the {oldest} last sent to {address}"
            " (the invitation changed since; the answer to the latest one counts)"
        )
    return target, partstat, label, _comment(event)


def oldest_answerable(target: Invitation | SeriesInvitation, subject: Meeting | Series) -> int:
    """The oldest SEQUENCE a reply from TARGET may answer: that of the last calendar e-mailed to
    them, not the event's own, which also moves for changes they were never sent (someone
    else's re-invitation, the SEQUENCE the sessions kept take from their series when it is cut
    short). One session of a series they were invited to: its own e-mails' or the series'."""
    oldest = target.oldest_answerable(subject.sequence)
    series_invitation = getattr(target, "series_invitation", None)
    if target.sent_sequence is None and series_invitation is not None:
        oldest = series_invitation.oldest_answerable(subject.sequence)
    return oldest


def _sequence(event) -> int:
    """The SEQUENCE a reply answers (0 when it has none, as RFC 5545 says)."""
    try:
        return int(event.get("sequence", 0))
    except (TypeError, ValueError) as exc:
        raise ReplyError(f"SEQUENCE {event.get('sequence')!r} is not a number") from exc


def _comment(event) -> str | None:
    """The attendee's COMMENT (Thunderbird sends one with a tentative answer), kept as their
    answer's comment within the answer form's bound; None when the reply has none, so that a
    comment written on the answer page stays."""
    comments = event.get("comment")
    if comments is None:
        return None
    if not isinstance(comments, list):
        comments = [comments]
    text = "\n".join(ical.clean(str(comment)) for comment in comments).strip()
    return text[:MAX_COMMENT_LENGTH] if text else None


def read_mailbox() -> int:
    """Apply the replies waiting in the IMAP mailbox (IMAP_URL); each message is read once."""
    if not settings.IMAP_URL:
        return 0
    url = urlsplit(settings.IMAP_URL)
    client_class = imaplib.IMAP4_SSL if url.scheme == "imaps" else imaplib.IMAP4
    applied = 0
    with client_class(url.hostname, url.port or (993 if url.scheme == "imaps" else 143)) as client:
        client.login(unquote(url.username or ""), unquote(url.password or ""))
        client.select(url.path.strip("/") or "INBOX")
        _status, found = client.search(None, "UNSEEN")
        for number in found[0].split():
            _status, parts = client.fetch(number, "(RFC822)")
            raw = parts[0][1]
            try:
                check_size(raw)  # before the From is parsed
                result = apply_reply(raw, sender=sender_of(raw) or "")
                applied += 1
                log.info("iTIP reply applied: %s", "; ".join(result.changes))
            except ReplyError as exc:
                log.warning("iTIP reply ignored: %s", exc)
            client.store(number, "+FLAGS", "\\Seen")
    return applied

"""The outbox's renderer of the e-mails about meetings and series: invitations, updates,
cancellations, reminders and preparation reminders (KINDS, registered in MeetingsConfig.ready()).

Rows are rendered when they leave, in the recipient's language. Invitations, updates and
cancellations carry an iMIP part (text/calendar; method=REQUEST or CANCEL) made by the one
iCalendar builder. Like the feeds, e-mails follow the kind's feed policy: kind, date, place and
link, never case material (DESIGN.md, privacy rule 1). A row's references: "meeting" or
"series", and "invitation" or "series_invitation" when it goes to an invitee.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings import ical, rsvp
from meetings.models import (
    AgendaItem,
    Invitation,
    InvitationRole,
    Meeting,
    MessageKind,
    Series,
    SeriesInvitation,
)
from meetings.recurrence import describe, format_date
from meetings.services import invitations as invitation_services
from outbox.models import OutboxMessage
from outbox.rendering import template_email

KINDS = (
    MessageKind.REQUEST,
    MessageKind.UPDATE,
    MessageKind.CANCEL,
    MessageKind.REMINDER,
    MessageKind.PREPARATION,
)

CALENDAR_METHOD = {
    MessageKind.REQUEST: "REQUEST",
    MessageKind.UPDATE: "REQUEST",
    MessageKind.CANCEL: "CANCEL",
}


ATTACHMENT_NAME = "invite.ics"


class CalendarEmail(EmailMultiAlternatives):
    """An e-mail whose text/calendar alternative says its iTIP method, as iMIP requires."""

    calendar_method: str | None = None

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar" and self.calendar_method:
            part.set_param("method", self.calendar_method)
        return part


def organizer(series_or_meeting) -> ical.Attendee:
    """ORGANIZER is the replies mailbox, named "<organiser> via Concertation".

    Gmail and Outlook send an attendee's answer (iTIP REPLY) to the ORGANIZER's address, not to
    the e-mail's Reply-To: were the organiser's own address the ORGANIZER, the answers would land
    in their mailbox and never reach the application, which reads the replies mailbox
    (calendar.services.replies). SENT-BY would not help: it names who sends on the organiser's
    behalf, and the answers still go to the ORGANIZER. So the organiser's name is shown, with
    "via Concertation" saying that the address is the application's (as Google Groups does), and
    the e-mail's Reply-To is the same mailbox, so that a written answer is read there too."""
    person = series_or_meeting.organiser.get_full_name()
    name = _("%(name)s via Concertation") % {"name": person} if person else "Concertation"
    return ical.Attendee(email=settings.INVITATION_REPLY_EMAIL, name=name, partstat="ACCEPTED")


def attendee(target, partstat: str | None = None) -> ical.Attendee:
    return ical.Attendee(
        email=target.email,
        name=target.display_name,
        partstat=partstat or target.partstat,
        role=InvitationRole.ical_role(target.role),
    )


def greeting_name(message: OutboxMessage, target) -> str:
    """Whom "Bonjour …," names: the person's name when it is known, else nobody ("Bonjour,").
    Never their address: a guest's row holds it as their display name when no name was given."""
    if target is not None:
        return (target.user.get_full_name() if target.user_id else "") or target.name
    name = message.recipient_name.strip()
    return "" if "@" in name else name


def has_account(message: OutboxMessage, target) -> bool:
    """Whether a page behind the login means anything to the recipient: guests have no account,
    and a "connexion requise" link would only lead them to a login they cannot pass."""
    if target is not None:
        return target.user_id is not None
    return User.objects.filter(email__iexact=message.recipient_email, is_active=True).exists()


def _links(target) -> dict:
    if target is None or not target.expects_answer:
        return {}
    # "Envoyez-moi le compte rendu" only for whoever may answer it (services.invitations).
    answers = [
        a for a in rsvp.ANSWERS if a != "minutes" or invitation_services.may_answer_minutes_only(target)
    ]
    return {answer: settings.SITE_URL + rsvp.link_path(target, answer) for answer in answers}


def prepare(messages: list[OutboxMessage], cache: dict) -> None:
    """Read the invitations of a batch's rows at once (their answer links and ATTENDEE)."""
    for key, model in (("series_invitation", SeriesInvitation), ("invitation", Invitation)):
        ids = {m.refs[key] for m in messages if key in m.refs}
        found = model.objects.select_related("user").in_bulk(ids)
        cache.update({(key, pk): found.get(pk) for pk in ids})


def _target(message: OutboxMessage, cache: dict):
    """The series invitation or invitation the message is addressed through, if it still exists."""
    for key, model in (("series_invitation", SeriesInvitation), ("invitation", Invitation)):
        pk = message.refs.get(key)
        if pk is None:
            continue
        if (key, pk) not in cache:
            cache[(key, pk)] = model.objects.select_related("user").filter(pk=pk).first()
        if cache[(key, pk)] is not None:
            return cache[(key, pk)]
    return None


def render(message: OutboxMessage, cache: dict | None = None) -> EmailMultiAlternatives | None:
    """The e-mail for MESSAGE as things stand now, or None if it no longer has a subject (the
    meeting or series is gone). The outbox calls it in the recipient's language.

    CACHE, shared by the messages of one batch, keeps what they have in common (the meeting or
    series and its occurrences) so that a batch reads them once.
    """
    cache = {} if cache is None else cache
    target = _target(message, cache)
    if message.refs.get("series"):
        parts = _series_parts(message, target, cache)
    elif message.refs.get("meeting"):
        parts = _meeting_parts(message, target, cache)
    else:
        parts = None
    if parts is None:
        return None
    context, calendar = parts
    context["heading"] = ical.heading(context["kind_label"], context["title"])
    context |= {
        "kind": message.kind,
        "recipient_name": greeting_name(message, target),
        "has_account": has_account(message, target),
        "for_series": bool(message.refs.get("series")),
        "links": _links(target) if message.kind != MessageKind.CANCEL else {},
    }
    email = template_email(
        f"meeting-{message.kind}",
        context,
        headers={"Reply-To": settings.INVITATION_REPLY_EMAIL},
        email_class=CalendarEmail,
    )
    method = context.pop("calendar_method", None) or CALENDAR_METHOD.get(message.kind)
    if method and calendar is not None:
        text, sequence = calendar_text(calendar, method, message, target, cache)
        # Recorded as it is decided, before the e-mail leaves, so that no answer to it can come
        # before its record; a retry renders the same value again. Should it never leave, an
        # answer to the one before is refused, as it was when the event's own SEQUENCE decided.
        if target is not None:
            invitation_services.record_sent_sequence(target=target, sequence=sequence)
        email.calendar_method = method
        email.attach_alternative(text, "text/calendar")
        # The same calendar as a file too: webmails that do not read the alternative, and a
        # forwarded invitation (whose alternative is dropped), still offer it to import.
        email.attach(ATTACHMENT_NAME, text.encode(), "application/ics")
    return email


def calendar_text(events, method: str, message: OutboxMessage, target, cache: dict) -> tuple[str, int]:
    """The iMIP calendar and its SEQUENCE: built once per batch and subject, serialised with this
    recipient's ATTENDEE and SEQUENCE."""
    # Everything the events and the method depend on: a series cancelled from a session (its
    # "from_meeting") is a REQUEST of the shortened series, from its first session a CANCEL.
    key = (
        "ics",
        message.refs.get("series"),
        message.refs.get("meeting"),
        message.refs.get("from_meeting"),
        message.kind,
        method,
        message.language,
        removed(message, target),
    )
    if key not in cache:
        cache[key] = ical.calendar(events(), method=method)
    offset = sequence_offset(message, target)
    first = next(c for c in cache[key].subcomponents if c.name == "VEVENT")
    text = ical.with_attendees(cache[key], [recipient(message, target)], sequence_offset=offset)
    return text, int(first["SEQUENCE"]) + offset


def removed(message: OutboxMessage, target) -> bool:
    """A CANCEL to someone no longer invited (their invitation is gone)."""
    return message.kind == MessageKind.CANCEL and target is None


def sequence_offset(message: OutboxMessage, target) -> int:
    """How far above the event's own SEQUENCE this e-mail's is (InviteeFields.sequence_offset).

    The recipient's offset, but a CANCEL says its own in its references ("sequence_offset"):
    someone removed gets one above what they had (RFC 5546 §2.1.4; MS-OXOCAL: Outlook keeps an
    event whose CANCEL repeats the SEQUENCE it has), their invitation being gone when it leaves,
    and the event's SEQUENCE stays, so that the others' answers to the invitation they hold still
    count. Being a row's own, the value is the same whenever the row is rendered again. A CANCEL
    queued before references said so was one above too."""
    if message.kind == MessageKind.CANCEL and "sequence_offset" in message.refs:
        return message.refs["sequence_offset"]
    if target is not None:
        return target.sequence_offset
    return 1 if removed(message, target) else 0


def recipient(message: OutboxMessage, target) -> ical.Attendee:
    if target is not None:
        return attendee(target)
    # Removed from the meeting: the CANCEL still names them, as having declined.
    return ical.Attendee(message.recipient_email, message.recipient_name, "DECLINED")


def _meeting_parts(message: OutboxMessage, target, cache: dict):
    key = ("meeting", message.refs["meeting"])
    if key not in cache:
        meeting = Meeting.objects.select_related("group", "organiser", "series").filter(pk=key[1]).first()
        agenda = AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True) if meeting else []
        cache[key] = (meeting, list(agenda))
    meeting, agenda = cache[key]
    if meeting is None:
        return None

    def events():
        event = ical.event_for_meeting(
            meeting, agenda=agenda, organizer=organizer(meeting), as_override=meeting.series_id is not None
        )
        if message.kind == MessageKind.CANCEL:
            event["status"] = "CANCELLED"
        return [event]

    context = {
        "title": ical.public_summary(meeting),
        "kind_label": meeting.policy.label,
        "when": format_date(meeting.start),
        "end": meeting.end,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "url": ical.meeting_url(meeting),
        "cancelled": meeting.status == "cancelled" or message.kind == MessageKind.CANCEL,
        "rule": "",
    }
    return context, events


def _series_parts(message: OutboxMessage, target, cache: dict):
    key = ("series", message.refs["series"])
    if key not in cache:
        series = Series.objects.select_related("group", "organiser").filter(pk=key[1]).first()
        cache[key] = (series, list(series.occurrences.order_by("start")) if series else [])
    series, occurrences = cache[key]
    if series is None:
        return None

    # Cancelled from one session on while sessions before it remain: the calendar is the series
    # as it now is, its rule ending before that session (a REQUEST, which Outlook and Google
    # apply to the whole series; a CANCEL would take the past sessions away too).
    ends_early = cancelled_from(message, series, cache) is not None and target is not None

    def events():
        built = ical.events_for_series(series, occurrences, organizer=organizer(series))
        if message.kind == MessageKind.CANCEL and not ends_early:
            built = built[:1]
            built[0]["status"] = "CANCELLED"
            if not removed(message, target):  # the series itself is called off
                built[0]["summary"] = ical.cancelled_summary(str(built[0]["summary"]))
        return built

    now = timezone.now()
    upcoming = next((o for o in occurrences if o.status != "cancelled" and o.end >= now), None)
    context = {
        "title": ical.public_summary(series),
        "kind_label": series.policy.label,
        "when": format_date(upcoming.start) if upcoming else format_date(series.dtstart),
        "end": None,
        "place": series.place,
        "online_link": series.online_link,
        "url": ical.series_url(series, upcoming),
        "cancelled": message.kind == MessageKind.CANCEL,
        "rule": describe(series.rrule, series.dtstart),
    }
    first_cancelled = cancelled_from(message, series, cache)
    if first_cancelled is not None:
        context["cancelled_from"] = context["when"] = format_date(first_cancelled.start)
    if ends_early:
        context["calendar_method"] = "REQUEST"
    elif message.kind == MessageKind.CANCEL and "from_meeting" in message.refs and target is not None:
        context["series_cancelled"] = True  # from its first session on: nothing of it is left
    return context, events


def cancelled_from(message: OutboxMessage, series: Series, cache: dict) -> Meeting | None:
    """The first cancelled session of a series cancelled from it on (refs "from_meeting"), when
    sessions before it remain; None for a cancellation of the whole series or of someone."""
    pk = message.refs.get("from_meeting")
    if message.kind != MessageKind.CANCEL or pk is None:
        return None
    key = ("from_meeting", pk)
    if key not in cache:
        cache[key] = Meeting.objects.filter(pk=pk, series=series).first()
    first = cache[key]
    return first if first is not None and first.recurrence_id > series.dtstart else None

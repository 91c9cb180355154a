"""Rendering outbox rows into e-mails, in the recipient's language, when they leave.

Invitations, updates and cancellations carry an iMIP part (text/calendar; method=REQUEST or
CANCEL) made by the one iCalendar builder. Like the feeds, e-mails follow the kind's feed policy:
kind, date, place and link, never case material (DESIGN.md, privacy rule 1).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings import ical, notices, rsvp
from meetings.models import AgendaItem, InvitationRole, Meeting, MessageKind, OutboxMessage, Series
from meetings.recurrence import describe, format_date

CALENDAR_METHOD = {
    MessageKind.REQUEST: "REQUEST",
    MessageKind.UPDATE: "REQUEST",
    MessageKind.CANCEL: "CANCEL",
}


class CalendarEmail(EmailMultiAlternatives):
    """An e-mail whose text/calendar alternative says its iTIP method, as iMIP requires."""

    calendar_method: str | None = None

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar" and self.calendar_method:
            part.set_param("method", self.calendar_method)
        return part


def organizer(series_or_meeting) -> ical.Attendee:
    name = series_or_meeting.organiser.get_full_name() or "Concertation"
    return ical.Attendee(email=settings.INVITATION_REPLY_EMAIL, name=name, partstat="ACCEPTED")


def attendee(target, partstat: str | None = None) -> ical.Attendee:
    return ical.Attendee(
        email=target.email,
        name=target.display_name,
        partstat=partstat or target.partstat,
        role=InvitationRole.ical_role(target.role),
    )


def _links(target) -> dict:
    if target is None or not target.expects_answer:
        return {}
    return {answer: settings.SITE_URL + rsvp.link_path(target, answer) for answer in rsvp.ANSWERS}


def render(message: OutboxMessage, cache: dict | None = None) -> EmailMultiAlternatives | None:
    """The e-mail for MESSAGE as things stand now, or None if it no longer has a subject.

    CACHE, shared by the messages of one batch, keeps what they have in common (the meeting or
    series and its occurrences) so that a batch reads them once.
    """
    if message.kind in notices.KINDS:
        return _render_notice(message)
    cache = {} if cache is None else cache
    target = message.series_invitation or message.invitation
    with translation.override(message.language):
        if message.series_id:
            context, calendar = _series_parts(message, target, cache)
        elif message.meeting_id:
            context, calendar = _meeting_parts(message, target, cache)
        else:
            return None
        context["heading"] = ical.heading(context["kind_label"], context["title"])
        context |= {
            "kind": message.kind,
            "recipient_name": message.recipient_name,
            "links": _links(target) if message.kind != MessageKind.CANCEL else {},
            "site_url": settings.SITE_URL,
        }
        subject, text, html = render_templates(f"meeting-{message.kind}", context)
    email = CalendarEmail(
        subject=subject,
        body=text,
        to=[message.recipient_email],
        headers={"Message-ID": message.message_id, "Reply-To": settings.INVITATION_REPLY_EMAIL},
    )
    email.attach_alternative(html, "text/html")
    method = CALENDAR_METHOD.get(message.kind)
    if method and calendar is not None:
        email.calendar_method = method
        email.attach_alternative(calendar_text(calendar, method, message, target, cache), "text/calendar")
    return email


def render_templates(name: str, context: dict) -> tuple[str, str, str]:
    """Subject (on one line), text body and HTML body of the e-mail NAME, from
    emails/NAME-subject.txt, emails/NAME-body.txt and emails/NAME-body.html."""
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    return subject, text, html


def _render_notice(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The e-mails after meetings (meetings.notices): no calendar part, no answer links."""
    with translation.override(message.language):
        context = notices.context(message)
        if context is None:
            return None
        context |= {"recipient_name": message.recipient_name, "site_url": settings.SITE_URL}
        subject, text, html = render_templates(message.kind.replace("_", "-"), context)
    email = EmailMultiAlternatives(
        subject=subject, body=text, to=[message.recipient_email], headers={"Message-ID": message.message_id}
    )
    email.attach_alternative(html, "text/html")
    return email


def calendar_text(events, method: str, message: OutboxMessage, target, cache: dict) -> str:
    """The iMIP calendar: built once per batch and subject, serialised with this recipient's
    ATTENDEE."""
    key = ("ics", message.series_id, message.meeting_id, message.kind, message.language)
    if key not in cache:
        cache[key] = ical.calendar(events(), method=method)
    return ical.with_attendees(cache[key], [recipient(message, target)])


def recipient(message: OutboxMessage, target) -> ical.Attendee:
    if target is not None:
        return attendee(target)
    # Removed from the meeting: the CANCEL still names them, as having declined.
    return ical.Attendee(message.recipient_email, message.recipient_name, "DECLINED")


def _meeting_parts(message: OutboxMessage, target, cache: dict):
    key = ("meeting", message.meeting_id)
    if key not in cache:
        meeting = Meeting.objects.select_related("group", "organiser", "series").get(pk=message.meeting_id)
        cache[key] = (
            meeting,
            list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)),
        )
    meeting, agenda = cache[key]

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
    key = ("series", message.series_id)
    if key not in cache:
        series = Series.objects.select_related("group", "organiser").get(pk=message.series_id)
        cache[key] = (series, list(series.occurrences.order_by("start")))
    series, occurrences = cache[key]

    def events():
        built = ical.events_for_series(series, occurrences, organizer=organizer(series))
        if message.kind == MessageKind.CANCEL:
            built = built[:1]
            built[0]["status"] = "CANCELLED"
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
    return context, events

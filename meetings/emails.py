"""Rendering outbox rows into e-mails, in the recipient's language, when they leave.

Invitations, updates and cancellations carry an iMIP part (text/calendar; method=REQUEST or
CANCEL) made by the one iCalendar builder. Like the feeds, e-mails follow the kind's feed policy:
kind, date, place and link, never case material (DESIGN.md, privacy rule 1).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings import ical, rsvp
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


def render(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The e-mail for MESSAGE as things stand now, or None if it no longer has a subject."""
    target = message.series_invitation or message.invitation
    with translation.override(message.language):
        if message.series_id:
            context, calendar = _series_parts(message, target)
        elif message.meeting_id:
            context, calendar = _meeting_parts(message, target)
        else:
            return None
        context["heading"] = heading(context["kind_label"], context["title"])
        context |= {
            "kind": message.kind,
            "recipient_name": message.recipient_name,
            "links": _links(target) if message.kind != MessageKind.CANCEL else {},
            "site_url": settings.SITE_URL,
        }
        name = f"meeting-{message.kind}"
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
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
        email.attach_alternative(ical.calendar(calendar, method=method).to_ical().decode(), "text/calendar")
    return email


def heading(kind_label, summary: str) -> str:
    """ "Intervision — Groupe du jeudi" or "Réunion thématique de réseau — Logement": the kind once."""
    label = str(kind_label)
    return summary if summary.startswith(label) else f"{label} — {summary}"


def _meeting_parts(message: OutboxMessage, target):
    meeting: Meeting = Meeting.objects.select_related("group", "organiser", "series").get(
        pk=message.meeting_id
    )
    agenda = list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True))
    who = (
        [attendee(target)]
        if target
        else [ical.Attendee(message.recipient_email, message.recipient_name, "DECLINED")]
    )
    as_override = meeting.series_id is not None
    event = ical.event_for_meeting(
        meeting, agenda=agenda, organizer=organizer(meeting), attendees=who, as_override=as_override
    )
    if message.kind == MessageKind.CANCEL:
        event["status"] = "CANCELLED"
    context = {
        "title": ical.summary(
            kind=meeting.kind,
            title=meeting.title,
            group_name=meeting.group.name if meeting.group_id else None,
        ),
        "kind_label": meeting.policy.label,
        "when": format_date(meeting.start),
        "end": meeting.end,
        "place": meeting.place,
        "online_link": meeting.online_link,
        "url": ical.meeting_url(meeting),
        "cancelled": meeting.status == "cancelled" or message.kind == MessageKind.CANCEL,
        "rule": "",
    }
    return context, [event]


def _series_parts(message: OutboxMessage, target):
    series: Series = Series.objects.select_related("group", "organiser").get(pk=message.series_id)
    occurrences = list(series.occurrences.order_by("start"))
    who = (
        [attendee(target)]
        if target
        else [ical.Attendee(message.recipient_email, message.recipient_name, "DECLINED")]
    )
    events = ical.events_for_series(series, occurrences, organizer=organizer(series), attendees=who)
    if message.kind == MessageKind.CANCEL:
        events = events[:1]
        events[0]["status"] = "CANCELLED"
    now = timezone.now()
    upcoming = next((o for o in occurrences if o.status != "cancelled" and o.end >= now), None)
    context = {
        "title": ical.summary(
            kind=series.kind, title=series.title, group_name=series.group.name if series.group_id else None
        ),
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

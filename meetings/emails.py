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
    return {answer: settings.SITE_URL + rsvp.link_path(target, answer) for answer in rsvp.ANSWERS}


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
    method = CALENDAR_METHOD.get(message.kind)
    if method and calendar is not None:
        email.calendar_method = method
        email.attach_alternative(calendar_text(calendar, method, message, target, cache), "text/calendar")
    return email


def calendar_text(events, method: str, message: OutboxMessage, target, cache: dict) -> str:
    """The iMIP calendar: built once per batch and subject, serialised with this recipient's
    ATTENDEE."""
    key = ("ics", message.refs.get("series"), message.refs.get("meeting"), message.kind, message.language)
    if key not in cache:
        cache[key] = ical.calendar(events(), method=method)
    return ical.with_attendees(cache[key], [recipient(message, target)])


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

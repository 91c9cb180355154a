"""Nothing of a situation leaves the application (DESIGN.md, privacy rule 1): no pseudonym, note,
agreement or plan text in any e-mail, calendar feed or admin list page. A concertation appears as
"Concertation clinique"."""

from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.calendar.services.public_feeds import public_feed_publish, public_feed_token
from meetings.calendar.services.subscriptions import subscription_create
from meetings.models import Invitation, Meeting
from meetings.recurrence import BRUSSELS
from meetings.situations.models import ActionStatus, SituationStatus
from meetings.situations.notices import NoticeKind
from meetings.situations.policies import Template
from meetings.situations.services import concertations as concertation_services
from meetings.situations.services import consent as consent_services
from meetings.situations.services import plan as plan_services
from meetings.situations.services import situations as situation_services
from outbox.models import OutboxMessage, OutboxStatus
from tests.feeds_world import feed_path
from tests.mail import calendar_part, parsed
from tests.situations.world import CODE, NOTE_TEXT, RELATIVE_NOTE_TEXT, SHARED_CONTENT

# Real commits, so that e-mails are dispatched (and delivered) when each service's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

ACTION_TEXT = "Accompagner la visite du logement de transit."
STATUS_NOTE = f"{CODE} : relais vers le CPAS."  # a référent may well write the pseudonym in a note
INVITED = ("professional", "psychologist", "nurse", "no_secrecy", "relative")


def secrets() -> list[str]:
    return [CODE, NOTE_TEXT, RELATIVE_NOTE_TEXT, SHARED_CONTENT, ACTION_TEXT, STATUS_NOTE]


def schedule(sworld, *, days: int = 6):
    """A concertation next week, inviting the members covered by the agreement, and the person."""
    start = datetime.combine(timezone.localdate() + timedelta(days=days), time(14), tzinfo=BRUSSELS)
    plan = concertation_services.Plan(
        situation=sworld.situation,
        template=Template.NETWORK,
        start=start,
        end=start + timedelta(hours=1, minutes=30),
        invited=[sworld.members[name] for name in ("referent", *INVITED)],
        invite_person=True,
        place="Maison médicale du Midi, salle 2",
    )
    return concertation_services.concertation_schedule(plan=plan, by=sworld.users["referent"], confirmed=True)


def unfolded(ical: str) -> str:
    """An iCalendar text with its long lines joined and its commas and semicolons unescaped."""
    return ical.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")


def everything(message) -> str:
    """The subject, every header and every text part (plain, HTML, calendar) of a sent message, decoded."""
    email = parsed(message)
    texts = [f"{key}: {value}" for key, value in email.items()]
    for part in email.walk():
        if part.get_content_maintype() == "multipart":
            continue
        payload = part.get_payload(decode=True) or b""
        text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        if part.get_content_type() == "text/calendar":
            text = unfolded(text)
        texts.append(unescape(text))
    return "\n".join(texts)


def test_no_email_carries_anything_of_the_situation(sworld):
    users, members, situation = sworld.users, sworld.members, sworld.situation
    concertation = schedule(sworld)
    action = plan_services.action_add(
        situation=situation,
        by=users["referent"],
        action=plan_services.NewAction(
            description=ACTION_TEXT,
            owner=members["relative"],
            due_date=timezone.localdate() + timedelta(days=14),
        ),
    )
    plan_services.action_set_status(action=action, by=users["relative"], status=ActionStatus.DONE)
    situation_services.status_change(
        situation=situation, status=SituationStatus.HANDED_OVER, by=users["referent"], note=STATUS_NOTE
    )
    consent_services.consent_withdraw(situation=situation, by=users["referent"], note="Par téléphone.")

    sent = {kind: OutboxMessage.objects.filter(kind=kind) for kind in NoticeKind.values}
    assert all(not rows.exclude(status=OutboxStatus.SENT).exists() for rows in sent.values())
    to = {kind: sorted(rows.values_list("recipient_email", flat=True)) for kind, rows in sent.items()}
    # The retours (activated, plan updated, handed over) to whoever asked; the action done to the
    # référent; the withdrawal to every current member with an address (the person aside).
    assert set(to[NoticeKind.RETOUR]) == {"demande@midi.test"} and len(to[NoticeKind.RETOUR]) >= 2
    assert to[NoticeKind.ACTION_DONE] == ["referente@midi.test"]
    assert set(to[NoticeKind.CONSENT_WITHDRAWN]) >= {users[name].email for name in ("referent", *INVITED)}
    assert "personne@midi.test" not in to[NoticeKind.CONSENT_WITHDRAWN]
    invited = set(concertation.meeting.invitations.values_list("email", flat=True))
    assert invited == {users[name].email for name in ("referent", *INVITED)} | {"personne@midi.test"}
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients >= invited | {"demande@midi.test"}
    for message in mail.outbox:
        content = everything(message)
        for secret in secrets():
            assert secret not in content, (message.subject, secret)
    invitations = [m for m in mail.outbox if calendar_part(m)[1] is not None]
    assert {address for m in invitations for address in m.to} == invited
    for message in invitations:
        assert "Concertation clinique" in message.subject
        assert [str(e["SUMMARY"]) for e in calendar_part(message)[1].walk("VEVENT")] == [
            "Concertation clinique"
        ]


def test_personal_feed_shows_a_concertation_without_the_pseudonym(client, sworld):
    concertation = schedule(sworld)
    _subscription, token = subscription_create(user=sworld.users["professional"], label="Téléphone")

    response = client.get(feed_path(token))

    assert response.status_code == 200
    events = [e for e in Calendar.from_ical(response.content).walk("VEVENT") if str(e["SUMMARY"]).strip()]
    ours = [e for e in events if e.decoded("DTSTART") == concertation.meeting.start]
    assert [str(e["SUMMARY"]) for e in ours] == ["Concertation clinique"]
    body = unfolded(response.content.decode())
    for secret in secrets():
        assert secret not in body
    for other in ("Sarah Proche", "Louis Logis", "Paula Sy", "Nina Soins"):  # no participant list
        assert other not in body


def test_network_feed_carries_nothing_of_the_situation(client, sworld):
    schedule(sworld)

    # The network's feed, as a member subscribes to it and as its coordinator publishes it.
    _subscription, token = subscription_create(user=sworld.users["professional"], network=sworld.network)
    public = public_feed_token(public_feed_publish(network=sworld.network, by=sworld.users["coordinator"]))
    published = client.get(reverse("calendar:network_feed", kwargs={"token": public}))
    assert published.status_code == 200
    for secret in secrets():
        assert secret not in unfolded(published.content.decode())
    response = client.get(reverse("calendar:feed", kwargs={"token": token}))

    assert response.status_code == 200
    body = unfolded(response.content.decode())
    for secret in secrets():
        assert secret not in body


def _changelists():
    models = [m for m in admin.site._registry if m._meta.app_label in {"situations", "audit"}]
    models += [m for m in (Meeting, Invitation) if m in admin.site._registry]
    return models


def test_admin_list_pages_carry_nothing_of_the_situation(client, sworld):
    schedule(sworld)
    reader = sworld.users["professional"]
    client.force_login(reader)
    for page in ("situations:situation", "situations:notes", "situations:plan", "situations:network"):
        assert (
            client.get(reverse(page, args=[sworld.situation.pk])).status_code == 200
        )  # the access log fills
    client.force_login(sworld.users["superuser"])
    models = _changelists()
    labels = {m._meta.label for m in models}
    assert {"situations.Situation", "audit.AccessRecord", "meetings.Meeting"} <= labels
    assert all(m.objects.exists() for m in models)  # each list page has rows to show

    for model in models:
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:  # registered without a list page
            continue
        response = client.get(url)

        assert response.status_code == 200, url
        body = unescape(response.content.decode())
        for secret in secrets():
            assert secret not in body, (url, secret)


def test_admin_pages_of_a_situation_and_its_meeting_carry_nothing_of_it(client, sworld):
    concertation = schedule(sworld)
    client.force_login(sworld.users["superuser"])

    for obj in (sworld.situation, concertation.meeting):
        response = client.get(
            reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        )

        assert response.status_code == 200
        body = unescape(response.content.decode())
        for secret in secrets():
            assert secret not in body, (obj, secret)

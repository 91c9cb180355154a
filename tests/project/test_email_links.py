"""Every link the application e-mails changes nothing when it is opened (DESIGN.md, privacy
rule 7): hospital and public-sector mail systems open every link of an incoming e-mail (GET and
HEAD, following redirects) before the person reads it. The pages those links open record the
choice when their form is sent, once.

Each scenario makes e-mails through the code that sends them in the application (a service, a
periodic task, a page), delivers them with the outbox and reads their links from the sent text
and HTML bodies. A scanner with no session then opens every link; the whole database must be as
it was. Then a person sends the page's form, twice, with CSRF checks on and no login.
"""

import re
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from meetings.attendance.models import Attendance
from meetings.attendance.services import roll_call as att
from meetings.followup.models import Action, Feedback
from meetings.followup.services import outcomes as out
from meetings.followup.services import reminders as followup
from meetings.models import Invitation, PartStat, SeriesInvitation
from meetings.services import invitations as inv
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.reminders import send_due_reminders
from outbox import registry
from outbox.models import OutboxMessage
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.mail import parsed
from tests.pages import main_form, submit

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-mot-de-passe-tout-neuf"
GUEST = "ines@example.be"

# The pages e-mails link to that only show something (most behind a login).
READ_ONLY = {
    "meetings:meeting",
    "meetings:group",
    "followup:actions",
    "situations:situation",
    "load:series_review",
    "polls:detail",
    "exchanges:visit",
    "exchanges:feedback",
    "account_signup",
}
# The pages whose form records something; each is checked below, after the scanner.
ACTING = {
    "meetings:rsvp",
    "followup:feedback_link",
    "polls:answer_link",
    "exchanges:agreement_link",
    "account_reset_password_from_key",
    "account_confirm_email",
}


# Reading the e-mails


def bodies(message) -> list[str]:
    """The text and, when there is one, the HTML body of a sent e-mail."""
    email = parsed(message)
    return [part.get_content() for part in (email.get_body(("plain",)), email.get_body(("html",))) if part]


def own_links(message) -> set[str]:
    """The links of MESSAGE to the application (not, say, a meeting's video link), as paths."""
    hosts = {urlsplit(settings.SITE_URL).netloc, "testserver"}
    links = set()
    for body in bodies(message):
        for url in re.findall(r"https?://[^\s<>\"']+", body):
            parts = urlsplit(unescape(url))
            if parts.netloc in hosts:
                links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def sent_by_kind() -> dict[str, list]:
    """The e-mails sent so far, by outbox kind (read from their Message-ID)."""
    kinds = dict(OutboxMessage.objects.values_list("message_id", "kind"))
    found: dict[str, list] = {}
    for message in mail.outbox:
        found.setdefault(kinds[message.extra_headers["Message-ID"]], []).append(message)
    return found


def view_name(path: str) -> str:
    return resolve(urlsplit(path).path).view_name


# What "nothing changed" means: every row of every table, sessions aside (a scanner's visit may
# start one, and allauth keeps a reset key in it).


def snapshot() -> dict:
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label == "sessions.Session":
            continue
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def scan(paths) -> None:
    """What a mail security scanner does: HEAD and GET on every link, following redirects,
    without a session."""
    for path in sorted(paths):
        scanner = Client()
        scanner.head(path, follow=True)
        scanner.get(path, follow=True)
        Client().get(path)


# The scenarios: what makes each kind of e-mail, and when its links are opened. Each step runs
# in `sent(at)`: at that instant, its e-mails leave as the transaction commits.


def invite_guest(world):
    [invitation] = inv.invite_to_meeting(meeting=world.thematic, invitees=[inv.guest(GUEST, "Inês")])
    return invitation


def meeting_request(world, sent):
    with sent():
        invite_guest(world)


def series_request(world, sent):
    with sent():
        inv.invite_to_series(series=world.session.series, invitees=[inv.guest(GUEST, "Inês")])


def meeting_changed(world, sent):
    with sent():
        invite_guest(world)
    with sent(timezone.now() + timedelta(hours=1)):
        meeting_update(meeting=world.thematic, changes={"place": "CPAS, salle du conseil"})


def meeting_cancelled(world, sent):
    with sent():
        invite_guest(world)
    with sent(timezone.now() + timedelta(hours=1)):
        meeting_cancel(meeting=world.thematic)


def reminders(world, sent):
    """The guest's reminder, and the organiser's preparation reminder (no agenda yet)."""
    with sent():
        invite_guest(world)
    with sent(world.thematic.start - timedelta(hours=2)):
        send_due_reminders()


def action_nudges(world, sent):
    """An action's reminder, the overdue digest and the reminder to close the meeting."""
    due = timezone.localdate() + timedelta(days=2)
    Action.objects.create(
        origin=world.concertation,
        description="Appeler le service logement",
        owner=world.users["member"],
        due_date=due,
        created_by=world.users["facilitator"],
    )
    with sent():
        followup.send_action_reminders()
    with sent(world.concertation.end + timedelta(hours=73)):
        followup.send_close_reminders()
    with sent(timezone.now() + timedelta(days=8)):
        followup.send_overdue_digests()


def attendance_report_reminder(world, sent):
    """An accredited session's rapporteur is reminded to hand in its attendance."""
    from meetings.attendance.services import reports
    from meetings.services.groups import group_set_rapporteur

    group, session = world.group, world.session
    group.accreditation_reference = "GLEM-2026-01"
    group.save(update_fields=["accreditation_reference"])
    group_set_rapporteur(group=group, rapporteur=world.users["member"], by=world.users["coordinator"])
    with sent(session.end + timedelta(days=8)):
        reports.send_report_reminders()


def series_review(world, sent):
    """A series' yearly review on its anniversary, and its reminder a week before the deadline."""
    from meetings.load.services import reviews

    series = world.session.series
    due_on = reviews.anniversary(series, 1)
    with sent(timezone.make_aware(datetime.combine(due_on, time(7, 0)))):
        reviews.run_reviews()
    with sent(timezone.make_aware(datetime.combine(due_on + timedelta(days=23), time(7, 0)))):
        reviews.run_reviews()


def poll_notices(world, sent):
    """A poll's invitations (a guest and a member), the reminder two days before its deadline,
    "everyone has answered" to its organiser, and "the poll has closed" at the deadline."""
    from meetings.polls.services import answers, closing
    from meetings.polls.services.polls import participants_add
    from tests.polls.conftest import make_poll

    poll = make_poll(world)
    with sent():
        participants_add(
            poll=poll, people=[{"email": GUEST, "name": "Inês"}, {"email": world.users["member"].email}]
        )
    with sent(poll.deadline - timedelta(days=1)):
        closing.send_reminders()
    with sent(poll.deadline - timedelta(hours=2)):
        for participant in poll.participants.all():
            answers.record_answers(
                participant=participant, choices={slot.pk: "yes" for slot in poll.slots.all()}
            )
    with sent(poll.deadline + timedelta(minutes=5)):
        closing.close_expired()


def exchange_notices(world, sent):
    """« Vis ma vie »: an application asks its manager for the service's agreement; a visit
    confirmed before the visitor accepted the undertaking asks them to (with both invitations);
    two days after the visit each side is asked for feedback, and reminded a week later."""
    from meetings.exchanges.services import applications, feedback, placements
    from tests.exchanges.conftest import MARCH_DAYS, build_exchange_world

    ew = build_exchange_world(world)
    with sent():
        applications.apply(
            offer=ew.street_offer,
            visitor=world.users["member"],
            organisation=world.users["member"].professional.organisations.get(),
            motivation="Voir le travail de rue.",
            available_days=[ew.street_offer.dates.get().day],
            manager_name="Mme Responsable",
            manager_email="responsable@marolles.test",
            accept_undertaking=True,
        )
        visit = placements.placement_confirm(
            round=ew.round,
            application=ew.educator_application,
            offer_date=ew.mm_offer.dates.get(day=MARCH_DAYS[0]),
            by=world.users["coordinator"],
        )
    placements.undertaking_accept(placement=visit, by=ew.educator, version=ew.mm_offer.undertaking_version)
    end = visit.meeting.end
    with sent(end + timedelta(days=2, hours=1)):
        feedback.send_requests()
    with sent(end + timedelta(days=9, hours=2)):
        feedback.send_requests()


def feedback_request(world, sent):
    meeting, facilitator = world.concertation, world.users["facilitator"]
    with time_machine.travel(meeting.start, tick=False):
        att.record_roll_call(
            meeting=meeting, by=facilitator, marks={f"u{world.users['member'].pk}": att.Mark("present")}
        )
    with sent(meeting.end + timedelta(hours=1)):
        out.outcome_record(meeting=meeting, by=facilitator, summary="Sortie préparée.")
        out.meeting_close(meeting=meeting, by=facilitator)


def account_invitation(world, sent):
    with sent():
        account_services.professional_invite(
            email="els@example.test",
            first_name="Els",
            last_name="Peeters",
            organisation=OrganisationFactory(),
            profession="psychologist",
            network=world.network,
            language="fr",
            by=world.users["coordinator"],
        )


def password_reset(world, sent):
    """Asked from the login pages: a reset link to a known address, a word to an unknown one."""
    with sent():
        Client().post(reverse("account_reset_password"), {"email": world.users["member"].email})
        Client().post(reverse("account_reset_password"), {"email": "nobody@example.test"})


def email_confirmation(world, sent):
    """Someone whose address is not verified yet logs in: allauth asks them to confirm it."""
    user = UserFactory(email="noor@example.test")
    EmailAddress.objects.filter(user=user).update(verified=False)
    with sent():
        Client().post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def situation_notices(world, sent):
    """A plan action added (the requester's retour), done and overdue (the référents), and the
    person's agreement withdrawn (the network's members)."""
    from meetings.situations.services import consent as consent_services
    from meetings.situations.services import plan as plan_services
    from tests.situations.world import build_situation_world, fresh

    sworld = build_situation_world()
    referent = sworld.users["referent"]

    def action(owner, due_in):
        return plan_services.action_add(
            situation=fresh(sworld.situation),
            by=referent,
            action=plan_services.NewAction(
                description="Introduire la demande",
                owner=sworld.members[owner],
                due_date=timezone.localdate() + timedelta(days=due_in),
            ),
        )

    with sent():
        plan_services.action_set_status(action=action("relative", 7), by=referent, status="done")
        action("professional", 2)
    with sent(timezone.now() + timedelta(days=3)):
        plan_services.notify_overdue_actions()
        consent_services.consent_withdraw(situation=fresh(sworld.situation), by=referent)


# scenario: (what it does, the kinds of e-mail it sends, the pages their links open)
SCENARIOS = {
    # A guest has no account: their e-mails offer no page behind the login, only the answer page.
    "meeting_request": (meeting_request, {"request"}, {"meetings:rsvp"}),
    "series_request": (series_request, {"request"}, {"meetings:rsvp"}),
    "meeting_changed": (meeting_changed, {"request", "update"}, {"meetings:rsvp"}),
    "meeting_cancelled": (meeting_cancelled, {"request", "cancel"}, {"meetings:rsvp"}),
    "reminders": (reminders, {"request", "reminder", "preparation"}, {"meetings:rsvp", "meetings:meeting"}),
    "action_nudges": (
        action_nudges,
        {"action_reminder", "action_digest", "close_reminder"},
        {"followup:actions", "meetings:meeting"},
    ),
    "series_review": (series_review, {"series_review", "series_review_reminder"}, {"load:series_review"}),
    "feedback_request": (feedback_request, {"feedback"}, {"followup:feedback_link"}),
    "poll_notices": (
        poll_notices,
        {"poll_invitation", "poll_reminder", "poll_complete", "poll_closed"},
        {"polls:answer_link", "polls:detail"},
    ),
    "exchange_notices": (
        exchange_notices,
        {"exchange_agreement", "exchange_confirmed", "exchange_feedback", "exchange_feedback_reminder"},
        {"exchanges:agreement_link", "exchanges:visit", "exchanges:feedback"},
    ),
    "attendance_report_reminder": (
        attendance_report_reminder,
        {"attendance_report_reminder"},
        {"meetings:group"},
    ),
    "account_invitation": (account_invitation, {"account_invitation"}, {"account_reset_password_from_key"}),
    "password_reset": (
        password_reset,
        {"allauth"},
        {"account_reset_password_from_key", "account_signup"},
    ),
    "email_confirmation": (email_confirmation, {"allauth"}, {"account_confirm_email"}),
    "situation_notices": (
        situation_notices,
        {
            "situation_retour",
            "situation_action_done",
            "situation_action_overdue",
            "situation_consent_withdrawn",
        },
        {"situations:situation"},
    ),
}


def test_every_kind_of_e_mail_has_its_links_checked():
    covered = set().union(*(kinds for _do, kinds, _pages in SCENARIOS.values()))
    assert covered == set(registry.kinds())
    assert set().union(*(pages for _do, _kinds, pages in SCENARIOS.values())) == READ_ONLY | ACTING


def run(name, world, settings, capture):
    """Run scenario NAME and deliver what it sends; returns (e-mails by kind, when to open them:
    a few minutes after the last one left)."""
    do, kinds, _pages = SCENARIOS[name]
    settings.OUTBOX_UPDATE_DELAY_SECONDS = 0
    mail.outbox.clear()
    last = [timezone.now()]

    @contextmanager
    def sent(at=None):
        at = at or timezone.now()
        with time_machine.travel(at), capture(execute=True):
            yield
        last[0] = max(last[0], at)

    do(world, sent)
    sent_now = sent_by_kind()
    assert kinds <= set(sent_now), f"{name} sent {sorted(sent_now)}"
    return {kind: sent_now[kind] for kind in kinds}, last[0] + timedelta(minutes=5)


@pytest.mark.parametrize("name", SCENARIOS)
def test_opening_every_link_of_an_e_mail_changes_nothing(
    name, world, settings, django_capture_on_commit_callbacks
):
    sent, when = run(name, world, settings, django_capture_on_commit_callbacks)
    paths = {path for messages in sent.values() for message in messages for path in own_links(message)}
    pages = {view_name(path) for path in paths}

    with time_machine.travel(when):
        before = snapshot()
        scan(paths)
        after = snapshot()

    assert pages == SCENARIOS[name][2]
    assert changed_tables(before, after) == []


# After the scanner, the person: the page's form, sent twice.


def person() -> Client:
    """A phone's browser: no account, no session, and CSRF checked as in production."""
    return Client(enforce_csrf_checks=True)


def links_to(view: str, messages) -> list[str]:
    return sorted({path for message in messages for path in own_links(message) if view_name(path) == view})


def test_answer_links_record_the_answer_on_a_tap_once(world, settings, django_capture_on_commit_callbacks):
    sent, when = run("meeting_request", world, settings, django_capture_on_commit_callbacks)
    [email] = sent["request"]
    by_answer = {
        "ACCEPTED": re.search(r"Je viens : (\S+)", bodies(email)[0]).group(1),
        "TENTATIVE": re.search(r"Peut-être : (\S+)", bodies(email)[0]).group(1),
        "DECLINED": re.search(r"Je ne viens pas : (\S+)", bodies(email)[0]).group(1),
    }
    invitation = Invitation.objects.get(meeting=world.thematic, email=GUEST)

    with time_machine.travel(when):
        scan(links_to("meetings:rsvp", [email]))
        invitation.refresh_from_db()
        assert (invitation.partstat, invitation.answered_at) == (PartStat.NEEDS_ACTION, None)
        for partstat, url in by_answer.items():
            path = urlsplit(url).path
            browser = person()
            page = browser.get(path)
            assert ("partstat", partstat) in main_form(page)["fields"]  # the link's answer, chosen
            first = submit(browser, page, path)
            invitation.refresh_from_db()
            recorded = (invitation.partstat, invitation.answered_at)
            rows = snapshot()
            again = submit(browser, page, path)

            invitation.refresh_from_db()
            assert first.status_code == again.status_code == 302
            assert recorded[0] == partstat and recorded[1] is not None
            assert (invitation.partstat, invitation.answered_at) == recorded
            assert changed_tables(rows, snapshot()) == []
            assert "Votre réponse est enregistrée" in browser.get(first.url).content.decode()
    assert Invitation.objects.filter(meeting=world.thematic, email=GUEST).count() == 1


def test_the_answer_page_form_is_csrf_protected_and_needs_no_login(
    world, settings, django_capture_on_commit_callbacks
):
    sent, when = run("meeting_request", world, settings, django_capture_on_commit_callbacks)
    path = urlsplit(re.search(r"Je ne viens pas : (\S+)", bodies(sent["request"][0])[0]).group(1)).path
    invitation = Invitation.objects.get(meeting=world.thematic, email=GUEST)

    with time_machine.travel(when):
        forged = person().post(path, {"partstat": "DECLINED"})  # from another site: no token
        invitation.refresh_from_db()
        after_forged = invitation.partstat
        browser = person()
        page = browser.get(path)
        sent_from_page = submit(browser, page, path)

    invitation.refresh_from_db()
    assert forged.status_code == 403 and after_forged == PartStat.NEEDS_ACTION
    assert "_auth_user_id" not in browser.session
    assert sent_from_page.status_code == 302
    assert invitation.partstat == PartStat.DECLINED


def test_a_series_answer_link_records_for_every_future_session_on_a_tap(
    world, settings, django_capture_on_commit_callbacks
):
    sent, when = run("series_request", world, settings, django_capture_on_commit_callbacks)
    series_invitation = SeriesInvitation.objects.get(email=GUEST)
    sessions = Invitation.objects.filter(series_invitation=series_invitation)
    [decline] = [
        urlsplit(url).path for url in re.findall(r"Je ne viens pas : (\S+)", bodies(sent["request"][0])[0])
    ]

    with time_machine.travel(when):
        scan(links_to("meetings:rsvp", sent["request"]))
        unanswered = set(sessions.values_list("partstat", flat=True))
        browser = person()
        page = browser.get(decline)
        submit(browser, page, decline)
        answered = SeriesInvitation.objects.get(pk=series_invitation.pk).answered_at
        submit(browser, page, decline)

    series_invitation.refresh_from_db()
    assert unanswered == {PartStat.NEEDS_ACTION}
    assert series_invitation.partstat == PartStat.DECLINED
    assert series_invitation.answered_at == answered
    assert set(sessions.values_list("partstat", flat=True)) == {PartStat.DECLINED}


def test_feedback_links_record_one_answer_on_a_tap(world, settings, django_capture_on_commit_callbacks):
    sent, when = run("feedback_request", world, settings, django_capture_on_commit_callbacks)
    [email] = sent["feedback"]
    scores = {
        int(score): urlsplit(url).path for score, url in re.findall(r"(\d)/5 : (\S+)", bodies(email)[0])
    }
    member = world.users["member"]

    with time_machine.travel(when):
        scan(scores.values())
        assert not Feedback.objects.exists()
        for score in (4, 2):
            browser = person()
            page = browser.get(scores[score])
            assert ("score", str(score)) in main_form(page)["fields"]
            submit(browser, page, scores[score])
            rows = snapshot()
            submit(browser, page, scores[score])
            assert changed_tables(rows, snapshot()) == []
            [feedback] = Feedback.objects.filter(meeting=world.concertation)
            assert feedback.score == score

    assert Feedback.objects.count() == 1
    assert out.my_feedback(world.concertation, member).score == 2


def test_poll_links_record_the_answers_on_sending_once(world, settings, django_capture_on_commit_callbacks):
    """The link of a poll's invitation opens the answer page; only sending it records, once."""
    from meetings.polls.models import PollAnswer, PollParticipant
    from meetings.polls.services.polls import participants_add
    from tests.polls.conftest import make_poll

    poll = make_poll(world)
    settings.OUTBOX_UPDATE_DELAY_SECONDS = 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participants_add(poll=poll, people=[{"email": GUEST, "name": "Inês"}])
    [email] = sent_by_kind()["poll_invitation"]
    [path] = links_to("polls:answer_link", [email])
    guest = PollParticipant.objects.get(poll=poll, email=GUEST)

    scan([path])
    assert not PollAnswer.objects.exists()
    browser = person()
    page = browser.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    choices = {f"slot_{slot.pk}": "maybe" for slot in poll.slots.all()}
    choices |= {"time_zone": "Europe/Brussels", "csrfmiddlewaretoken": token}
    first = browser.post(path, choices)
    guest.refresh_from_db()
    answered = guest.answered_at
    rows = snapshot()
    again = browser.post(path, choices)

    guest.refresh_from_db()
    assert first.status_code == again.status_code == 302
    assert answered is not None and guest.answered_at == answered
    assert sorted(guest.answers.values_list("choice", flat=True)) == ["maybe"] * poll.slots.count()
    assert changed_tables(rows, snapshot()) == []


def test_the_agreement_link_records_the_agreement_on_sending_once(
    world, settings, django_capture_on_commit_callbacks
):
    """The manager's link opens the application's page; only sending its form agrees, once."""
    from meetings.exchanges.models import Application

    sent, when = run("exchange_notices", world, settings, django_capture_on_commit_callbacks)
    [path] = links_to("exchanges:agreement_link", sent["exchange_agreement"])
    application = Application.objects.get(visitor=world.users["member"])

    with time_machine.travel(when):
        scan([path])
        assert Application.objects.get(pk=application.pk).agreed_at is None
        browser = person()
        page = browser.get(path)
        first = submit(browser, page, path)
        agreed = Application.objects.get(pk=application.pk).agreed_at
        rows = snapshot()
        submit(browser, page, path)

    assert first.status_code == 302 and agreed is not None
    assert Application.objects.get(pk=application.pk).agreed_at == agreed
    assert changed_tables(rows, snapshot()) == []


@pytest.mark.parametrize("name", ["account_invitation", "password_reset"])
def test_a_password_link_sets_the_password_on_a_tap_once(
    name, world, settings, django_capture_on_commit_callbacks
):
    sent, when = run(name, world, settings, django_capture_on_commit_callbacks)
    messages = [m for kind_messages in sent.values() for m in kind_messages]
    [path] = links_to("account_reset_password_from_key", messages)
    [address] = [m.to[0] for m in messages if path in " ".join(bodies(m))]
    user = User.objects.get(email=address)
    password_before = user.password

    with time_machine.travel(when):
        scan([path])
        user.refresh_from_db()
        assert user.password == password_before
        browser = person()
        page = browser.get(path, follow=True)
        form_path = page.redirect_chain[-1][0]
        first = submit(browser, page, form_path, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
        user.refresh_from_db()
        set_once = user.password
        again = submit(
            browser, page, form_path, password1="encore-un-autre-mot", password2="encore-un-autre-mot"
        )

    user.refresh_from_db()
    assert first.status_code == 302
    assert user.check_password(NEW_PASSWORD) and user.password == set_once
    assert again.status_code == 200  # the link is spent: allauth says so
    assert EmailAddress.objects.get(user=user).verified


def test_an_address_confirmation_link_confirms_on_a_tap_once(
    world, settings, django_capture_on_commit_callbacks
):
    sent, when = run("email_confirmation", world, settings, django_capture_on_commit_callbacks)
    [path] = links_to("account_confirm_email", sent["allauth"])
    address = EmailAddress.objects.get(email="noor@example.test")

    with time_machine.travel(when):
        scan([path])
        address.refresh_from_db()
        assert not address.verified
        browser = person()
        page = browser.get(path)
        first = submit(browser, page, path)
        rows = snapshot()
        again = submit(browser, page, path)

    address.refresh_from_db()
    assert first.status_code == 302
    assert again.status_code == 404  # allauth: the link is spent
    assert address.verified
    assert changed_tables(rows, snapshot()) == []
    assert EmailAddress.objects.filter(email="noor@example.test").count() == 1


def test_the_check_in_link_notes_presence_on_a_tap_once(client, world):
    """Not e-mailed, but pasted into a video call's chat, whose previews open links too."""
    session, member = world.session, world.users["member"]
    with time_machine.travel(session.start, tick=False):
        att.open_checkin(session, by=world.users["facilitator"])
    path = reverse("attendance:checkin_link", args=[session.pk, att.checkin_token(session)])

    with time_machine.travel(session.start):
        member_browser = Client(enforce_csrf_checks=True)
        member_browser.force_login(member)
        before = snapshot()
        scan([path])
        member_browser.head(path)
        page = member_browser.get(path)
        after_opening = snapshot()
        submit(member_browser, page, path)
        submit(member_browser, page, path)

    assert changed_tables(before, after_opening) == []
    assert Attendance.objects.filter(meeting=session, user=member).count() == 1
    assert Attendance.objects.get(meeting=session, user=member).status == "present"

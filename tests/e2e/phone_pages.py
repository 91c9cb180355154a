"""Every page of the URLconf, with the demo's objects and the person who may open it: the list
tests/e2e/test_phone_layout.py visits on a phone.

A row names a URL, the role that opens it, what it is about (a key of what `build_demo` returns) and what
the visit must answer: 200 by default; an error page's status when the row is there to check
that page (403, 404); REDIRECT when the URL's only answer is another page (e.g. "set a
password" for someone who has one), which is then the page checked.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.demo import DEMO_PASSWORD, demo_email

REDIRECT = "redirect"

# Who opens the pages: a demo account per role (seed_demo), and a superuser made here.
ROLES = {
    "coordinator": demo_email("coordinatrice"),
    "facilitator": demo_email("animateur"),
    "professional": demo_email("medecin"),
    "referent": demo_email("sophie.lambert"),
    "relative": demo_email("proche"),
    "superuser": "admin@demo.concertation.test",
}
ANONYMOUS = "anonymous"  # a guest: no account, or not logged in
# Who opens the pages of the second factor, which ask for the password again first.
REAUTHENTICATED = {"professional", "coordinator"}


@dataclass(frozen=True)
class Visit:
    name: str
    role: str
    about: str | None = None
    expect: int | str = 200


V = Visit
PAGES = [
    V("home", "professional"),
    V("home", "coordinator"),
    V("home", "facilitator"),
    V("home", ANONYMOUS, expect=REDIRECT),
    V("profile", "professional"),
    V("meetings:agenda", "professional"),
    V("meetings:agenda", "facilitator"),
    V("meetings:agenda", "professional", "agenda_open"),
    V("meetings:agenda", "facilitator", "agenda_past"),
    V("meetings:groups", "professional"),
    V("meetings:group_create", "coordinator"),
    V("meetings:group_create", "professional", expect=403),
    V("meetings:group", "facilitator", "group"),
    V("meetings:group", "professional", "group"),
    V("meetings:charter_edit", "facilitator", "group"),
    V("meetings:group_rules", "facilitator", "group"),
    V("meetings:group_series_create", "facilitator", "group_pk"),
    V("meetings:series_create", "coordinator"),
    V("meetings:meeting_create", "coordinator"),
    V("meetings:meeting", "professional", "upcoming"),
    V("meetings:meeting", "facilitator", "held"),
    V("meetings:meeting", "coordinator", "thematic"),
    V("meetings:meeting", "referent", "concertation"),
    V("meetings:meeting", "relative", "concertation"),
    V("meetings:meeting_edit", "facilitator", "upcoming"),
    V("meetings:meeting_edit", "coordinator", "thematic"),
    V("meetings:meeting_edit", "referent", "concertation"),
    V("meetings:invitations", "facilitator", "upcoming"),
    V("meetings:invitations", "coordinator", "thematic"),
    V("meetings:invitations", "referent", "concertation"),
    V("meetings:rsvp", ANONYMOUS, "guest_answer"),
    V("attendance:roll_call", "facilitator", "held"),
    V("attendance:checkin_display", "facilitator", "held"),
    V("attendance:checkin_link", "professional", "checkin_link"),
    V("attendance:certificates", "professional"),
    V("attendance:certificates", "facilitator"),
    V("attendance:certificate_verify", ANONYMOUS, "certificate_code"),
    V("followup:outcome", "facilitator", "held"),
    V("followup:feedback_link", ANONYMOUS, "feedback_link"),
    V("followup:actions", "professional"),
    V("load:mine", "professional"),
    V("load:settings", "professional"),
    V("load:organisation", "professional", "own_organisation"),
    V("load:network", "coordinator"),
    V("load:series_review", "facilitator", "review_series"),
    V("followup:actions", "facilitator"),
    V("polls:list", "professional"),
    V("polls:list", "facilitator"),
    V("polls:create", "facilitator"),
    V("polls:detail", "facilitator", "poll"),
    V("polls:detail", "professional", "poll"),
    V("polls:detail", "coordinator", "decided_poll"),
    V("polls:detail", "facilitator", "series_poll"),
    V("polls:answer", "professional", "poll"),
    V("exchanges:index", "professional"),
    V("exchanges:index", "coordinator"),
    V("exchanges:round_create", "coordinator"),
    V("exchanges:round", "professional", "exchange_round"),
    V("exchanges:round", "coordinator", "exchange_round"),
    V("exchanges:offer_create", "professional", "exchange_round"),
    V("exchanges:offer", "professional", "exchange_offer"),
    V("exchanges:offer_edit", "coordinator", "exchange_offer"),
    V("exchanges:apply", "professional", "exchange_offer"),
    V("exchanges:application", "coordinator", "exchange_application"),
    V("exchanges:agreement_link", ANONYMOUS, "exchange_agreement_link"),
    V("exchanges:matching", "coordinator", "exchange_round"),
    V("exchanges:visit", "coordinator", "exchange_visit"),
    V("exchanges:feedback", "coordinator", "exchange_visit"),
    V("exchanges:report", "professional", "exchange_past_round"),
    V("exchanges:report", "coordinator", "exchange_past_round"),
    V("polls:answer_link", ANONYMOUS, "poll_link"),
    V("polls:answer_link", ANONYMOUS, "series_poll_link"),
    # Without htmx the preview is a page of its own (the form, its candidates below it).
    V("polls:preview", "facilitator", "poll_preview"),
    V("vignettes:vignette_create", "professional", "upcoming"),
    V("vignettes:vignette", "professional", "shared_vignette"),
    V("vignettes:vignette", "facilitator", "shared_vignette"),
    V("vignettes:vignette_edit", "professional", "draft_vignette"),
    V("vignettes:vignette_check", "professional", "draft_vignette"),
    V("calendar:calendar", "professional"),
    V("calendar:calendar", "coordinator"),
    V("accounts:directory", "professional"),
    V("accounts:organisation", "professional", "organisation"),
    V("accounts:organisation_edit", "coordinator", "organisation"),
    V("accounts:invite", "coordinator"),
    V("situations:situations", "referent"),
    V("situations:situation_create", "referent"),
    V("situations:situation", "referent", "situation"),
    V("situations:situation", "relative", "situation"),
    V("situations:situation", "professional", "situation"),
    V("situations:handover", "referent", "situation"),
    V("situations:consent", "referent", "situation"),
    V("situations:network", "referent", "situation"),
    V("situations:member_add", "referent", "situation"),
    V("situations:member_edit", "referent", "situation_member"),
    V("situations:notes", "referent", "situation"),
    V("situations:notes", "relative", "situation"),
    V("situations:plan", "referent", "situation"),
    V("situations:concertation_create", "referent", "situation"),
    V("situations:report", "referent", "situation_report"),
    V("situations:log", "referent", "situation"),
    # django-allauth's pages, in the application's layout.
    V("account_login", ANONYMOUS),
    V("account_signup", ANONYMOUS),
    V("account_inactive", ANONYMOUS),
    V("account_email_verification_sent", ANONYMOUS),
    V("account_reset_password", ANONYMOUS),
    V("account_reset_password_done", ANONYMOUS),
    V("account_reset_password_from_key", ANONYMOUS, "bogus_reset_key"),
    V("account_reset_password_from_key_done", ANONYMOUS),
    V("account_confirm_email", ANONYMOUS, "bogus_email_key"),
    V("account_confirm_login_code", ANONYMOUS, expect=REDIRECT),
    V("account_logout", "professional"),
    V("account_reauthenticate", "professional"),
    V("account_email", "professional"),
    V("account_change_password", "professional"),
    V("account_set_password", "professional", expect=REDIRECT),
    V("mfa_index", "professional"),
    V("mfa_activate_totp", "professional"),
    V("mfa_authenticate", ANONYMOUS, expect=REDIRECT),
    # The coordinator has a second factor (see `secure`).
    V("mfa_index", "coordinator"),
    V("mfa_reauthenticate", "coordinator"),
    V("mfa_deactivate_totp", "coordinator"),
    V("mfa_view_recovery_codes", "coordinator"),
    V("mfa_generate_recovery_codes", "coordinator"),
    # No model has a page of its own on the site: the admin's "view on site" finds none.
    V("admin:view_on_site", "superuser", "admin_view_on_site", expect=404),
    V("admin:index", "superuser"),
    V("admin:login", "superuser", expect=REDIRECT),
    V("admin:password_change", "superuser"),
    V("admin:password_change_done", "superuser"),
    V("admin:auth_user_password_change", "superuser", "admin_user_id"),
]

# Not pages: what they answer instead of HTML, checked by fetching them as the row's person.
POST_ONLY = 405  # a form's target: GET is refused, the POST redirects to a page listed above
SENT_BACK = 302  # the language switch's target: GET changes nothing and sends back to the page
FRAGMENT = "fragment"  # a part of a page (htmx): checked inside the page, see FRAGMENTS
NON_HTML_ANSWERS = {
    "text/plain",
    "text/csv",
    "text/calendar",
    "text/javascript",
    "application/json",
    "application/fhir+json",
    "application/pdf",
    POST_ONLY,
    SENT_BACK,
    FRAGMENT,
}
NOT_PAGES = [
    V("healthz", ANONYMOUS, expect="text/plain"),
    V("meetings:series_preview", "facilitator", "series_preview", expect=FRAGMENT),
    # The people pickers' results (htmx), measured in the page that shows them.
    V("meetings:invite_search", "facilitator", "invite_search", expect=FRAGMENT),
    V("meetings:group_member_search", "facilitator", "group_member_search", expect=FRAGMENT),
    V("meetings:group_rapporteur_search", "coordinator", "group_rapporteur_search", expect=FRAGMENT),
    V("meetings:group_people_search", "coordinator", "group_people_search", expect=FRAGMENT),
    V("meetings:people_search", "coordinator", "people_search", expect=FRAGMENT),
    V("followup:owner_search", "facilitator", "owner_search", expect=FRAGMENT),
    V("load:cost", "coordinator", "cost", expect=FRAGMENT),
    V("polls:people", "facilitator", "poll_people", expect=FRAGMENT),
    V("set_language", ANONYMOUS, expect=SENT_BACK),
    V("personal_data", "professional", expect="application/json"),
    V("mfa_download_recovery_codes", "coordinator", expect="text/plain"),
    V("calendar:feed", ANONYMOUS, "feed", expect="text/calendar"),
    V("calendar:network_feed", ANONYMOUS, "public_feed", expect="text/calendar"),
    V("attendance:certificate_meeting", "professional", "closed", expect="application/pdf"),
    V("attendance:certificate_period", "professional", "certificate_period", expect="application/pdf"),
    V("attendance:attendance_csv", "facilitator", "held", expect="text/csv"),
    V("attendance:group_attendance_csv", "facilitator", "group", expect="text/csv"),
    V("attendance:network_attendance_csv", "coordinator", "network_export", expect="text/csv"),
    V("load:mine_csv", "professional", expect="text/csv"),
    V("exchanges:report_csv", "coordinator", "exchange_past_round", expect="text/csv"),
    V("load:network_csv", "coordinator", "network_hours_csv", expect="text/csv"),
    V("situations:report_pdf", "referent", "situation_report", expect="application/pdf"),
    V("situations:consent_document", "referent", "consent_document", expect="application/pdf"),
    V("situations:fhir", "referent", "situation", expect="application/fhir+json"),
    V("admin:jsi18n", "superuser", expect="text/javascript"),
    V("admin:autocomplete", "superuser", "admin_autocomplete", expect="application/json"),
    V("admin:logout", "superuser", expect=POST_ONLY),
    *(
        V(name, role, about, expect=POST_ONLY)
        for name, role, about in [
            ("meetings:group_join", "professional", "group"),
            ("meetings:charter_accept", "referent", "group"),
            ("meetings:group_add_member", "facilitator", "group"),
            ("meetings:group_decide", "facilitator", "join_request"),
            ("meetings:meeting_cancel", "facilitator", "upcoming"),
            ("meetings:series_cancel", "facilitator", "upcoming"),
            ("meetings:series_cancel_following", "facilitator", "upcoming"),
            ("meetings:group_rapporteur", "coordinator", "group"),
            ("attendance:report_session", "facilitator", "held"),
            ("meetings:invitation_resend", "referent", "invitation"),
            ("meetings:invitation_remove", "referent", "invitation"),
            ("attendance:attendance_correct", "coordinator", "closed"),
            ("attendance:check_in", "professional", "held"),
            ("followup:meeting_close", "facilitator", "held"),
            ("followup:feedback", "professional", "closed"),
            ("followup:action_update", "professional", "action"),
            ("vignettes:vignette_share", "professional", "draft_vignette"),
            ("vignettes:vignette_withdraw", "professional", "shared_vignette"),
            ("calendar:calendar_revoke", "professional", "subscription"),
            ("calendar:network_public_feed", "coordinator", "network"),
            ("situations:situation_status", "referent", "situation"),
            ("situations:consent_withdraw", "referent", "situation"),
            ("situations:action_update", "referent", "situation_action"),
            ("situations:report_confirm", "referent", "situation_report"),
            ("meetings:my_answer", "professional", "upcoming"),
            ("meetings:invitation_role", "referent", "invitation"),
            ("load:network_flag_dismiss", "coordinator", None),
            ("polls:close", "facilitator", "poll"),
            ("polls:stop", "facilitator", "poll"),
            ("polls:reopen", "facilitator", "poll"),
            ("polls:participants_add", "facilitator", "poll"),
            ("polls:participant_required", "facilitator", "poll_participant"),
            ("polls:participant_link", "facilitator", "poll_participant"),
            ("polls:participant_remove", "facilitator", "poll_participant"),
            ("polls:calendar", "professional", "poll"),
            ("polls:calendar_link", ANONYMOUS, "poll_link"),
            ("exchanges:offer_withdraw", "coordinator", "exchange_offer"),
            ("exchanges:application_withdraw", "coordinator", "exchange_application"),
            ("exchanges:agreement_record", "coordinator", "exchange_application"),
            ("exchanges:confirm", "coordinator", "exchange_round"),
            ("exchanges:confirm_all", "coordinator", "exchange_round"),
            ("exchanges:undertaking", "coordinator", "exchange_visit"),
            ("exchanges:visit_cancel", "coordinator", "exchange_visit"),
        ]
    ),
]

# Where each fragment is shown: the page, and the element htmx fills with it.
FRAGMENTS = {
    "meetings:series_preview": (
        V("meetings:group_series_create", "facilitator", "group_pk"),
        "#series-preview",
    ),
    "meetings:invite_search": (V("meetings:invitations", "facilitator", "upcoming"), "#id_people_results"),
    "meetings:group_member_search": (V("meetings:group", "facilitator", "group"), "#id_people_results"),
    "meetings:group_rapporteur_search": (
        V("meetings:group", "coordinator", "group"),
        "#id_rapporteur_results",
    ),
    "meetings:group_people_search": (V("meetings:group_create", "coordinator"), "#id_facilitators_results"),
    "meetings:people_search": (V("meetings:meeting_create", "coordinator"), "#id_agenda-0-presenter_results"),
    "followup:owner_search": (V("followup:outcome", "facilitator", "held"), "#id_actions-0-owner_results"),
    "load:cost": (V("meetings:meeting_create", "coordinator"), "#meeting-cost"),
    "polls:people": (V("polls:detail", "facilitator", "poll"), "#id_ask-people_results"),
}

# The admin's pages for each registered model, generated from its registry below. These admins
# refuse to add or delete (their has_add_permission / has_delete_permission): what they hold is
# made, and removed, by the application's rules, and a person who leaves is erased.
ADMIN_REFUSED = {
    "admin:accounts_user_delete",
    "admin:audit_accessrecord_add",
    "admin:audit_accessrecord_delete",
    "admin:outbox_outboxmessage_add",
    "admin:meetings_meeting_add",
    "admin:attendance_certificate_add",
    "admin:followup_action_add",
    "admin:vignettes_vignette_add",
    "admin:situations_situation_add",
    "admin:situations_situation_delete",
}
ADMIN_MODEL_VIEWS = ("changelist", "add", "change", "history", "delete")


def named_urls() -> set[str]:
    """Every named URL of the URLconf, namespaced ("meetings:meeting"), the root's bare."""
    resolver = get_resolver()
    names = {name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace, (_prefix, app_resolver) in resolver.namespace_dict.items():
        names |= {f"{namespace}:{name}" for name in app_resolver.reverse_dict if isinstance(name, str)}
    return names


def admin_visits() -> list[Visit]:
    visits = [V("admin:app_list", "superuser", f"admin_app:{label}") for label in _admin_app_labels()]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for view in ADMIN_MODEL_VIEWS:
            name = f"{prefix}_{view}"
            about = None if view in ("changelist", "add") else f"admin_object:{model._meta.label}"
            visits.append(V(name, "superuser", about, expect=403 if name in ADMIN_REFUSED else 200))
    return visits


def _admin_app_labels() -> list[str]:
    return sorted({model._meta.app_label for model in admin.site._registry})


def url_of(visit: Visit, kwargs: dict) -> str:
    if visit.about is None:
        return reverse(visit.name)
    if visit.about.startswith("admin_app:"):
        return reverse(visit.name, kwargs={"app_label": visit.about.split(":", 1)[1]})
    if visit.about.startswith("admin_object:"):
        model = next(m for m in admin.site._registry if m._meta.label == visit.about.split(":", 1)[1])
        return reverse(visit.name, kwargs={"object_id": model._default_manager.order_by("pk").first().pk})
    found = kwargs[visit.about]
    if isinstance(found, str):  # a path with its query, or a link as e-mails carry it
        return found
    return reverse(visit.name, kwargs=found)


def build_demo() -> dict:
    """seed_demo, and what the demo lacks for every page to show: a guest invited by e-mail, a
    draft vignette, an open check-in, a certificate, a feedback e-mail, feeds, a signed consent
    form, a superuser. Returns each page's URL arguments by what they are about."""
    from accounts.models import Network, Organisation, User
    from meetings.attendance.services import certificates, roll_call
    from meetings.calendar.services.public_feeds import public_feed_publish, public_feed_token
    from meetings.calendar.services.subscriptions import subscription_create
    from meetings.demo import INTERVISION, THEMATIC_TITLE
    from meetings.followup import notices
    from meetings.followup.models import Action
    from meetings.load.demo_reviews import REVIEW_SERIES_TITLE
    from meetings.models import Invitation, Meeting, MeetingStatus, Series, StandingGroup
    from meetings.rsvp import link_path
    from meetings.situations.demo import DEMO_CODE
    from meetings.situations.models import Situation
    from meetings.vignettes.models import Vignette
    from outbox.models import OutboxMessage, OutboxStatus

    call_command("seed_demo")
    now = timezone.now()
    users = {role: User.objects.get(email=email) for role, email in ROLES.items() if role != "superuser"}
    medecin, coordinator = users["professional"], users["coordinator"]
    superuser = User.objects.create_user(
        email=ROLES["superuser"],
        password=DEMO_PASSWORD,
        first_name="Admin",
        last_name="Concertation",
        is_staff=True,
        is_superuser=True,
    )
    EmailAddress.objects.create(user=superuser, email=superuser.email, primary=True, verified=True)
    Group.objects.create(name="Secrétariat du réseau")

    group = StandingGroup.objects.get(name=INTERVISION)
    sessions = group.meetings.order_by("start")
    held = sessions.filter(status=MeetingStatus.HELD).last()  # left for the facilitator to close
    closed = sessions.filter(status=MeetingStatus.CLOSED).last()
    upcoming = sessions.filter(start__gt=now).first()
    thematic = Meeting.objects.filter(title=THEMATIC_TITLE, start__gt=now).order_by("start").first()
    network = Network.objects.get(coordinators=coordinator)
    situation = Situation.objects.get(code=DEMO_CODE)
    concertation = situation.concertations.get()
    consent = situation.consents.get()
    consent.document.save("accord.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    consent.document_type = "application/pdf"
    consent.save()

    guest = Invitation.objects.create(
        meeting=thematic, email="lea.vandenberghe@exemple.be", name="Léa Vandenberghe"
    )
    draft = Vignette.objects.create(
        meeting=upcoming,
        author=medecin,
        title="Une sortie d'hospitalisation sans relais",
        text="Monsieur D., la cinquantaine, sort de l'unité de psychiatrie un vendredi soir, sans relais.",
    )
    Meeting.objects.filter(pk=held.pk).update(checkin_nonce=get_random_string(32))
    held.refresh_from_db()
    certificate = certificates.certificate_for_meeting(medecin, closed)
    feedback = OutboxMessage.objects.create(
        kind=notices.MessageKind.FEEDBACK,
        recipient_email=medecin.email,
        refs={"meeting": closed.pk, "user": medecin.pk},
        send_after=now,
        status=OutboxStatus.SENT,
    )
    _subscription, feed_token = subscription_create(user=medecin, label="Téléphone de la maison médicale")
    subscription_create(user=medecin, label="Ordinateur", network=network)
    public_token = public_feed_token(public_feed_publish(network=network, by=coordinator))
    join_request = group.memberships.filter(decided_at__isnull=True).first() or group.memberships.first()

    return {
        "group": {"pk": group.pk},
        "group_pk": {"group_pk": group.pk},
        "join_request": {"pk": group.pk, "membership_id": join_request.pk},
        "held": {"pk": held.pk},
        "closed": {"pk": closed.pk},
        "upcoming": {"pk": upcoming.pk},
        "thematic": {"pk": thematic.pk},
        "concertation": {"pk": concertation.meeting.pk},
        "invitation": {
            "pk": concertation.meeting_id,
            "invitation_id": concertation.meeting.invitations.first().pk,
        },
        "agenda_open": reverse("meetings:agenda") + "?view=open",
        "agenda_past": reverse("meetings:agenda") + "?view=past",
        "invite_search": reverse("meetings:invite_search", args=[upcoming.pk]) + "?q=a",
        "group_member_search": reverse("meetings:group_member_search", args=[group.pk]) + "?q=a",
        "group_rapporteur_search": reverse("meetings:group_rapporteur_search", args=[group.pk]) + "?q=a",
        "group_people_search": reverse("meetings:group_people_search") + "?q=a",
        "people_search": reverse("meetings:people_search") + "?q=a",
        "owner_search": reverse("followup:owner_search", args=[held.pk]) + "?q=a",
        "series_preview": reverse("meetings:series_preview")
        + "?"
        + urlencode(
            {
                "title": "Intervision du jeudi",
                "first_day": upcoming.start.date().isoformat(),
                "start_time": "12:30",
                "end_time": "14:00",
                "frequency": "monthly_nth",
                "interval": "1",
                "nth": "3",
                "weekday": "3",
                "ends": "never",
                "place": "Maison médicale du Peterbos",
            }
        ),
        "certificate_period": reverse("attendance:certificate_period")
        + f"?start={closed.start.date() - timedelta(days=365)}&end={closed.start.date()}",
        "network_export": reverse("attendance:network_attendance_csv") + f"?network={network.pk}",
        "guest_answer": link_path(guest, "accept"),
        "checkin_link": {"pk": held.pk, "token": roll_call.checkin_token(held)},
        "certificate_code": {"code": certificate.code},
        "feedback_link": notices.feedback_link_path(feedback, 4),
        "action": {"pk": Action.objects.filter(owner=medecin).first().pk},
        "shared_vignette": {"pk": Vignette.objects.exclude(pk=draft.pk).get(meeting=upcoming).pk},
        "draft_vignette": {"pk": draft.pk},
        "subscription": {"pk": _subscription.pk},
        "feed": {"token": feed_token},
        "public_feed": {"token": public_token},
        "network": {"pk": network.pk},
        "organisation": {"pk": Organisation.objects.get(name__startswith="CPAS d'Anderlecht").pk},
        "own_organisation": {"pk": medecin.professional.organisations.order_by("pk").first().pk},
        "review_series": {"pk": Series.objects.get(title=REVIEW_SERIES_TITLE).pk},
        "network_hours_csv": {"table": "hours"},
        "cost": reverse("load:cost")
        + "?"
        + urlencode({"duration": "90", "place": "Rue Haute 12", "participants": "12"}),
        **poll_pages(),
        **exchange_pages(),
        "situation": {"pk": situation.pk},
        "situation_member": {"pk": situation.pk, "member_id": situation.members.exclude(user=None).last().pk},
        "situation_report": {"pk": situation.pk, "concertation_id": concertation.pk},
        "situation_action": {"pk": situation.pk, "action_id": situation.actions.first().pk},
        "consent_document": {"pk": situation.pk, "consent_id": consent.pk},
        "bogus_reset_key": {"uidb36": "1", "key": "bogus-key"},
        "bogus_email_key": {"key": "bogus-key"},
        "admin_user_id": {"id": medecin.pk},
        "admin_view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(Meeting).pk,
            "object_id": upcoming.pk,
        },
        "admin_autocomplete": reverse("admin:autocomplete")
        + "?app_label=accounts&model_name=professional&field_name=user&term=du",
    }


def exchange_pages() -> dict:
    """The demo's « Vis ma vie » rounds (meetings/exchanges/demo.py): the open one with its
    offers and agreed applications, a manager's agreement link to one of them, and the past
    round, with its visits and their feedback."""
    from meetings.exchanges import tokens
    from meetings.exchanges.models import Application, ExchangeRound, Placement

    rounds = ExchangeRound.objects.order_by("-visits_from")
    open_round, past_round = rounds[0], rounds[1]
    application = open_round.applications.order_by("pk").first()
    if not application.manager_nonce:
        Application.objects.filter(pk=application.pk).update(manager_nonce=get_random_string(32))
        application.refresh_from_db()
    return {
        "exchange_round": {"pk": open_round.pk},
        "exchange_offer": {"pk": open_round.offers.order_by("pk").first().pk},
        "exchange_application": {"pk": application.pk},
        "exchange_agreement_link": {"pk": application.pk, "token": tokens.link_token(application)},
        "exchange_visit": {"pk": Placement.objects.filter(round=past_round).order_by("pk").first().pk},
        "exchange_past_round": {"pk": past_round.pk},
    }


def poll_pages() -> dict:
    """The demo's polls (meetings/polls/demo.py): the open one Claire is asked, its series
    sibling, the decided one; her signed link; what the new poll form's preview is given."""
    from meetings.polls import tokens
    from meetings.polls.demo import DECIDED_POLL_TITLE, MEETING_POLL_TITLE, SERIES_POLL_TITLE
    from meetings.polls.models import Poll

    poll = Poll.objects.get(title=MEETING_POLL_TITLE, status="open")
    claire = poll.participants.get(email=demo_email("medecin"))
    series_poll = Poll.objects.get(title=SERIES_POLL_TITLE, status="open")
    first_day = (timezone.localdate() + timedelta(days=7)).isoformat()
    return {
        "poll": {"pk": poll.pk},
        "series_poll": {"pk": series_poll.pk},
        "series_poll_link": {
            "pk": series_poll.pk,
            "token": tokens.token_for(series_poll.participants.order_by("pk").first()),
        },
        "decided_poll": {"pk": Poll.objects.get(title=DECIDED_POLL_TITLE).pk},
        "poll_participant": {"pk": poll.pk, "pid": claire.pk},
        "poll_link": {"pk": poll.pk, "token": tokens.token_for(claire)},
        "poll_people": reverse("polls:people", args=[poll.pk]) + "?q=a",
        "poll_preview": reverse("polls:preview")
        + "?"
        + urlencode(
            {
                "mode": "meeting",
                "gen_weekdays": ["1", "3"],
                "gen_start": "12:30",
                "gen_end": "14:00",
                "gen_first_day": first_day,
                "gen_weeks": "3",
            },
            doseq=True,
        ),
    }


def secure(email: str) -> None:
    """Gives the account a second factor (TOTP and recovery codes), once it is logged in: the
    pages that show or remove them need one."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import User

    user = User.objects.get(email=email)
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)

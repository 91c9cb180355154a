from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Network, Organisation, Professional, User
from meetings.attendance.models import Attendance, Certificate
from meetings.demo import UNDER_WAY_TITLE
from meetings.followup.models import Action, Outcome
from meetings.models import Meeting
from meetings.vignettes.models import Vignette

DEMO_ACCOUNTS = ["coordinatrice", "animateur", "medecin", "externe", "proche"]


def snapshot() -> dict:
    """Every row of every project table, so that a second run can be compared in full."""
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "meetings", "account", "situations"}:
            tables[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return tables


def test_seed_demo_builds_a_realistic_network(db):
    call_command("seed_demo")

    network = Network.objects.get(name="Coordination toxicomanie Anderlecht")
    kinds = set(network.organisations.values_list("kind", flat=True))
    assert network.organisations.count() >= 12
    assert {
        "public_welfare",
        "mental_health",
        "medical_house",
        "low_threshold",
        "hospital",
        "municipal",
        "housing",
    } <= kinds
    assert 28 <= Professional.objects.count() <= 40
    assert Professional.objects.values("profession").distinct().count() >= 8
    assert list(network.coordinators.values_list("email", flat=True)) == [
        "coordinatrice@demo.concertation.test"
    ]


def test_demo_accounts_log_in_with_the_demo_password(db, client):
    call_command("seed_demo")

    for name in DEMO_ACCOUNTS:
        email = f"{name}@demo.concertation.test"
        assert EmailAddress.objects.get(email=email).verified is True
        assert User.objects.get(email=email).check_password("concertation-demo")
    assert client.login(email="medecin@demo.concertation.test", password="concertation-demo")
    assert (
        User.objects.get(email="medecin@demo.concertation.test").professional.profession
        == "general_practitioner"
    )


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    first = snapshot()

    call_command("seed_demo")

    assert snapshot() == first
    assert Organisation.objects.filter(name__icontains="santé").count() >= 2


def test_demo_facilitator_finds_the_session_under_way_on_the_home_page_with_its_roll_call_open(db, client):
    """Whenever the demo is loaded, animateur@ has a session under way: the home page's "À faire"
    leads to its roll call, which opens with "Tous présents"; a member of the group is asked
    nothing of it."""
    call_command("seed_demo")
    under_way = Meeting.objects.get(title=UNDER_WAY_TITLE)
    roll_call = reverse("attendance:roll_call", args=[under_way.pk])

    client.login(email="animateur@demo.concertation.test", password="concertation-demo")
    home = client.get(reverse("home"))
    page = client.get(roll_call).content.decode()
    client.login(email="medecin@demo.concertation.test", password="concertation-demo")
    medecin_home = client.get(reverse("home"))

    assert under_way.start <= timezone.now() < under_way.end
    assert under_way.organiser.email == "animateur@demo.concertation.test"
    assert under_way.group.name == "Intervision du jeudi" and not under_way.attendances.exists()
    assert ("roll_call", UNDER_WAY_TITLE, roll_call) in [
        (i.kind, i.text, i.url) for i in home.context["todos"]
    ]
    assert f'href="{roll_call}"' in home.content.decode()
    assert 'name="everyone"' in page and 'id="roll-call-form"' in page
    assert "roll_call" not in [item.kind for item in medecin_home.context["todos"]]


def test_demo_gp_finds_her_actions_a_certificate_and_a_shared_vignette(db, client):
    """The demo's story after meetings: open and overdue actions, an attended session's
    certificate that its public URL confirms, and a vignette shared for the next intervision."""
    call_command("seed_demo")
    client.login(email="medecin@demo.concertation.test", password="concertation-demo")
    medecin = User.objects.get(email="medecin@demo.concertation.test")

    actions = client.get(reverse("followup:actions")).content.decode()
    attended = Attendance.objects.filter(user=medecin, status="present", meeting__status="closed").first()
    pdf = client.get(reverse("attendance:certificate_meeting", args=[attended.meeting_id]))
    certificate = Certificate.objects.get(user=medecin)
    client.logout()
    verification = client.get(reverse("attendance:certificate_verify", args=[certificate.code]))

    today = timezone.localdate()
    open_actions = Action.objects.filter(owner=medecin, status="open")
    assert (
        open_actions.filter(due_date__lt=today).exists() and open_actions.filter(due_date__gte=today).exists()
    )
    for action in open_actions:
        assert f'<time datetime="{action.due_date.isoformat()}">' in actions
    assert Action.objects.filter(owner__email="animateur@demo.concertation.test", status="open").exists()
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert verification.status_code == 200 and "Attestation authentique" in verification.content.decode()
    shared = Vignette.objects.get(status="shared")
    assert shared.meeting.start > timezone.now() and shared.meeting.policy.written_case_material
    assert Outcome.objects.filter(meeting__group__name="Groupe Balint du mardi soir").exists()


def test_demo_situation_is_seen_as_each_demo_account_should_see_it(db, client):
    """The demo's concertation around a person: the GP reads the situation and its plan, the
    relative only what is marked for relatives, externe@ nothing at all; its FHIR export validates."""
    from fhir.resources.R4B.bundle import Bundle

    from meetings.situations.models import Note, PlanAction, Situation

    call_command("seed_demo")
    situation = Situation.objects.get(code="M.B. 2026-07")
    professional_note = Note.objects.get(situation=situation, for_relatives=False)
    relatives_note = Note.objects.get(situation=situation, for_relatives=True)
    urls = {
        name: reverse(f"situations:{name}", args=[situation.pk])
        for name in ["situation", "notes", "plan", "fhir"]
    }

    client.login(email="medecin@demo.concertation.test", password="concertation-demo")
    listing = client.get(reverse("situations:situations")).content.decode()
    plan = client.get(urls["plan"]).content.decode()
    client.login(email="proche@demo.concertation.test", password="concertation-demo")
    relative_notes = client.get(urls["notes"]).content.decode()
    relative_plan = client.get(urls["plan"])
    client.login(email="externe@demo.concertation.test", password="concertation-demo")
    externe_listing = client.get(reverse("situations:situations")).content.decode()
    externe_pages = [client.get(url).status_code for url in urls.values()]
    client.login(email="sophie.lambert@demo.concertation.test", password="concertation-demo")
    bundle = client.get(urls["fhir"])

    assert situation.status == "active" and situation.consents.filter(withdrawn_at__isnull=True).exists()
    members = set(situation.members.values_list("user__email", flat=True))
    assert {"medecin@demo.concertation.test", "animateur@demo.concertation.test"} <= members
    assert "proche@demo.concertation.test" in members
    assert not situation.members.get(user__email="animateur@demo.concertation.test").clinical_role
    held = situation.concertations.get()
    assert held.meeting.end < timezone.now() and held.report.participants.exists()
    assert PlanAction.objects.filter(situation=situation, status__in=["todo", "in_progress"]).count() == 2
    assert "M.B. 2026-07" in listing
    assert "Retrouver un logement" in plan
    assert relatives_note.text in relative_notes and professional_note.text not in relative_notes
    assert relative_plan.status_code == 403
    assert "M.B. 2026-07" not in externe_listing
    assert externe_pages == [404, 404, 404, 404]
    assert bundle["Content-Type"].startswith("application/fhir+json")
    Bundle.model_validate(bundle.json())


def test_the_demo_intervision_group_has_a_rapporteur_and_only_recent_sessions_to_report(db):
    from dateutil.relativedelta import relativedelta

    from meetings.attendance.services import reports
    from meetings.demo import INTERVISION
    from meetings.models import StandingGroup

    call_command("seed_demo")

    group = StandingGroup.objects.get(name=INTERVISION)
    assert group.rapporteur.email == "medecin@demo.concertation.test"
    assert group.rapporteur.professional.inami_display == "1-76543-21-004"
    # Older sessions were handed in; those of the last month (if any, by the calendar) are to report.
    to_report = reports.group_sessions_to_report(group)
    assert group.meetings.filter(accreditation_report__isnull=False).exists()
    assert all(row.meeting.end >= timezone.now() - relativedelta(months=1) for row in to_report)

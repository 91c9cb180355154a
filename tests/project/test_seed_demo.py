from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Network, Organisation, Professional, User
from meetings.attendance.models import Attendance, Certificate
from meetings.followup.models import Action, Outcome
from meetings.vignettes.models import Vignette

DEMO_ACCOUNTS = ["coordinatrice", "animateur", "medecin", "externe"]


def snapshot() -> dict:
    """Every row of every project table, so that a second run can be compared in full."""
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "meetings", "account"}:
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

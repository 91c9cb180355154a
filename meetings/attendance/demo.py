"""Demo accreditation: INAMI numbers for the demo's doctors, and the intervision group's
rapporteur (Claire, `medecin@…`, whom one can log in as), who has handed in the attendance of
the sessions older than a month, so that the group page lists only the recent ones to report.

Idempotent: a group with a rapporteur is left as it is. Reports are written directly: the
groups' accreditation is set later, by follow-up's demo step (INSTALLED_APPS order).
"""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import Network, Profession, Professional
from meetings.attendance.models import AccreditationReport
from meetings.demo import INTERVISION, people
from meetings.models import TAKING_PLACE, StandingGroup
from meetings.services.groups import group_set_rapporteur

# Eleven digits, as INAMI gives them (the demo's are made up).
INAMI_NUMBERS = {"medecin": "17654321004"}


@transaction.atomic
def seed(network: Network) -> None:
    for name, number in INAMI_NUMBERS.items():
        Professional.objects.filter(
            user__email=demo_email(name), profession=Profession.GP, inami_number=""
        ).update(inami_number=number)
    group = StandingGroup.objects.filter(network=network, name=INTERVISION, rapporteur__isnull=True).first()
    if group is None:
        return
    [rapporteur, coordinator] = people(["medecin", "coordinatrice"])
    group_set_rapporteur(group=group, rapporteur=rapporteur, by=coordinator)
    handed_in = group.meetings.filter(
        status__in=TAKING_PLACE, end__lt=timezone.now() - relativedelta(months=1)
    ).exclude(accreditation_report__isnull=False)
    AccreditationReport.objects.bulk_create(
        AccreditationReport(meeting=m, reported_by=rapporteur, reported_at=m.end + relativedelta(days=20))
        for m in handed_in
    )

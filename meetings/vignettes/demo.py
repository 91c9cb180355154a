"""A demo vignette, shared in the next session of the demo intervision group."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Network
from meetings.demo import INTERVISION, people
from meetings.models import MeetingStatus
from meetings.vignettes import services as vignette_services
from meetings.vignettes.models import KeptTerm, Vignette

DEMO_VIGNETTE_TITLE = "Un refus de soins qui inquiète l'équipe"
DEMO_VIGNETTE = (
    "Madame A., une quarantaine d'années, vient depuis deux ans à la maison médicale pour des "
    "douleurs chroniques. Elle est suivie par le CPAS et prend un traitement de substitution "
    "(méthadone) prescrit par son médecin généraliste.\n\n"
    "Depuis quelques semaines, elle annule ses rendez-vous et refuse la visite de l'infirmière à "
    "domicile. Son fils, une vingtaine d'années, a appelé l'accueil, inquiet : elle ne sortirait "
    "plus de chez elle. L'équipe hésite entre respecter son refus et insister.\n\n"
    "Questions pour le groupe : comment garder le lien sans forcer ? Faut-il associer le fils, "
    "alors que Madame A. ne l'a pas demandé ? Qui, dans le réseau, pourrait passer la voir ?"
)


@transaction.atomic
def seed(network: Network) -> None:
    """One shared vignette in the next intervision session, written by the demo GP, and a local
    service the network's coordinator told the anonymiser to keep."""

    KeptTerm.objects.get_or_create(
        network=network, term="Le Goéland", defaults={"added_by": people(["coordinatrice"])[0]}
    )

    group = network.groups.filter(name=INTERVISION).first()
    if group is None or Vignette.objects.filter(meeting__group=group).exists():
        return
    upcoming = group.meetings.filter(start__gt=timezone.now(), status=MeetingStatus.SCHEDULED).order_by(
        "start"
    )
    session = upcoming.first()
    if session is None:
        return
    medecin = people(["medecin"])[0]
    vignette = vignette_services.vignette_create(
        meeting=session, author=medecin, title=DEMO_VIGNETTE_TITLE, text=DEMO_VIGNETTE
    )
    findings = vignette_services.open_findings(vignette)
    vignette_services.vignette_resolve(
        vignette=vignette,
        by=medecin,
        decisions=[vignette_services.Decision(f.start, f.end) for f in findings],
    )
    vignette_services.vignette_share(vignette=vignette, by=medecin, confirmed=True)

"""Reads of the vignettes app that services and views share."""

from django.db.models import Q

from meetings.vignettes.models import KeptTerm, Vignette


def kept_terms_for(vignette: Vignette) -> list[str]:
    """The terms the anonymiser keeps in this vignette: its network's and every network's. One
    query, whatever is loaded of the vignette."""
    return list(
        KeptTerm.objects.filter(Q(network__isnull=True) | Q(network__meetings=vignette.meeting_id))
        .values_list("term", flat=True)
        .distinct()
    )

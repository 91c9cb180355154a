"""Offers of a round: a host service's days, capacity, languages and conditions.

Each refusal is a ValidationError in French with a code, and changes nothing. A date is a day
and a part of it (DayPart); dates are proposed from tomorrow on (today is too late to organise a
visit) and inside the round's visits period. A new undertaking text is a new version: the
visitors' earlier acceptance no longer holds. A date with a confirmed visit cannot be removed,
nor an offer with one withdrawn: the coordinator cancels the visit first.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meetings.exchanges import rules
from meetings.exchanges.emails import placement as placement_emails
from meetings.exchanges.models import DayPart, Language, Offer, OfferDate, Placement, PlacementStatus
from meetings.exchanges.timing import begun_q, taking_place_q

EDITABLE = (
    "organisation",
    "contact",
    "capacity",
    "languages",
    "activities",
    "undertaking",
    "people_told",
    "dates",
)


def day_label(day: date) -> str:
    return formats.date_format(day, "l j F Y")


def date_label(day: date, part: str) -> str:
    return f"{day_label(day)} ({DayPart(part).label})"


def _check_dates(round, dates, *, now: datetime, known: set = frozenset()) -> list[tuple[date, str]]:
    """DATES as (day, part) pairs, checked; those in KNOWN (already on the offer) may be past."""
    dates = [(day, DayPart(part).value if part in DayPart.values else part) for day, part in dates or []]
    if not dates:
        raise ValidationError(_("Proposez au moins une date d'accueil."), code="no_date")
    today = timezone.localdate(now)
    seen = set()
    for day, part in dates:
        if part not in DayPart.values:
            raise ValidationError(_("Choisissez une journée, une matinée ou un après-midi."), code="part")
        if (day, part) in seen:
            raise ValidationError(
                _("La date du %(date)s est proposée deux fois.") % {"date": date_label(day, part)},
                code="date_twice",
            )
        seen.add((day, part))
        if (day, part) in known:
            continue
        if day <= today:
            raise ValidationError(
                _("La date du %(day)s est passée ou trop proche : proposez des dates à partir de demain.")
                % {"day": day_label(day)},
                code="date_past",
            )
        if not round.visits_from <= day <= round.visits_until:
            raise ValidationError(
                _("La date du %(day)s est hors de la période des visites (du %(start)s au %(end)s).")
                % {
                    "day": day_label(day),
                    "start": day_label(round.visits_from),
                    "end": day_label(round.visits_until),
                },
                code="date_outside",
            )
    return sorted(dates)


def _check_content(*, capacity, languages, activities, undertaking) -> None:
    if capacity is None or capacity < 1:
        raise ValidationError(_("La capacité doit être d'au moins un visiteur."), code="capacity")
    languages = list(languages or [])
    if not languages or any(language not in Language.values for language in languages):
        raise ValidationError(_("Choisissez au moins une langue parlée sur place."), code="languages")
    if not (activities or "").strip():
        raise ValidationError(_("Décrivez ce que le visiteur verra et fera."), code="activities")
    if not (undertaking or "").strip():
        raise ValidationError(_("Écrivez l'engagement de confidentialité du service."), code="undertaking")


def _check_host(*, round, organisation, contact, by) -> None:
    if organisation is None or not rules.own_organisations(by, round).filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("Vous ne pouvez proposer un accueil que pour votre propre service du réseau."),
            code="organisation",
        )
    _check_contact(round=round, organisation=organisation, contact=contact)


def _check_contact(*, round, organisation, contact) -> None:
    if contact is None or not (
        organisation.professionals.filter(user=contact).exists()
        or round.network.coordinators.filter(pk=contact.pk).exists()
    ):
        raise ValidationError(
            _("La personne de contact doit travailler dans le service d'accueil (ou coordonner le réseau)."),
            code="contact",
        )


def _check_round_open(round, now) -> None:
    if round.visits_until < timezone.localdate(now):
        raise ValidationError(_("Cette session d'échanges est terminée."), code="round_over")


@transaction.atomic
def offer_create(
    *,
    round,
    organisation,
    contact,
    capacity,
    languages,
    activities,
    undertaking,
    people_told=True,
    dates,
    by,
    now=None,
) -> Offer:
    now = now or timezone.now()
    if not rules.can_offer(by, round):
        raise ValidationError(
            _("Vous ne pouvez pas proposer d'accueil dans cette session."), code="forbidden"
        )
    _check_round_open(round, now)
    _check_content(capacity=capacity, languages=languages, activities=activities, undertaking=undertaking)
    _check_host(round=round, organisation=organisation, contact=contact, by=by)
    dates = _check_dates(round, dates, now=now)
    offer = Offer.objects.create(
        round=round,
        organisation=organisation,
        contact=contact,
        capacity=capacity,
        languages=list(languages),
        activities=activities.strip(),
        undertaking=undertaking.strip(),
        people_told=bool(people_told),
        created_by=by,
    )
    OfferDate.objects.bulk_create(OfferDate(offer=offer, day=day, part=part) for day, part in dates)
    return offer


def _confirmed(offer):
    return Placement.objects.filter(offer_date__offer=offer, status=PlacementStatus.CONFIRMED)


@transaction.atomic
def offer_update(*, offer, by, now=None, **changes) -> Offer:
    """Change the fields named in CHANGES (among EDITABLE), with the checks of offer_create."""
    now = now or timezone.now()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"offer_update() got unexpected fields: {sorted(unknown)}")
    offer = Offer.objects.select_for_update(of=("self",)).select_related("round__network").get(pk=offer.pk)
    if not rules.can_edit_offer(by, offer):
        raise ValidationError(_("Vous ne pouvez pas modifier cette offre."), code="forbidden")
    if offer.withdrawn_at:
        raise ValidationError(_("Cette offre est retirée."), code="withdrawn")
    _check_round_open(offer.round, now)
    values = {name: changes.get(name, getattr(offer, name)) for name in EDITABLE if name != "dates"}
    _check_content(
        capacity=values["capacity"],
        languages=values["languages"],
        activities=values["activities"],
        undertaking=values["undertaking"],
    )
    organisation_changed = values["organisation"].pk != offer.organisation_id
    if organisation_changed:
        _check_host(round=offer.round, organisation=values["organisation"], contact=values["contact"], by=by)
    elif values["contact"].pk != offer.contact_id:
        _check_contact(round=offer.round, organisation=values["organisation"], contact=values["contact"])
    confirmed = list(_confirmed(offer).select_related("offer_date"))
    if organisation_changed and confirmed:
        raise ValidationError(
            _("Une visite est confirmée : le service d'accueil ne change plus."), code="host_fixed"
        )
    existing = {(d.day, d.part): d for d in offer.dates.all()}
    new_dates = None
    if "dates" in changes:
        new_dates = _check_dates(offer.round, changes["dates"], now=now, known=set(existing))
        used = {(p.offer_date.day, p.offer_date.part) for p in confirmed}
        removed_used = sorted(used - set(new_dates))
        if removed_used:
            raise ValidationError(
                _(
                    "Une visite est confirmée le %(date)s : cette date reste, "
                    "la coordination annule la visite d'abord."
                )
                % {"date": date_label(*removed_used[0])},
                code="confirmed_placement",
            )
        # A date that had a visit, even one cancelled since, is the history of that visit.
        removed = [d for key, d in existing.items() if key not in set(new_dates)]
        had_visit = sorted(
            (d.day, d.part) for d in removed if Placement.objects.filter(offer_date=d).exists()
        )
        if had_visit:
            raise ValidationError(
                _("Une visite a été prévue le %(date)s : cette date reste dans l'offre.")
                % {"date": date_label(*had_visit[0])},
                code="confirmed_placement",
            )
    per_date = {}
    for placement in confirmed:
        per_date[placement.offer_date_id] = per_date.get(placement.offer_date_id, 0) + 1
    if per_date and values["capacity"] < max(per_date.values()):
        raise ValidationError(
            _("Des visites sont déjà confirmées : la capacité ne peut descendre sous leur nombre."),
            code="capacity_below_placements",
        )
    version_before = offer.undertaking_version
    if values["undertaking"].strip() != offer.undertaking:
        offer.undertaking_version += 1
    offer.organisation = values["organisation"]
    offer.contact = values["contact"]
    offer.capacity = values["capacity"]
    offer.languages = list(values["languages"])
    offer.activities = values["activities"].strip()
    offer.undertaking = values["undertaking"].strip()
    offer.people_told = bool(values["people_told"])
    offer.save()
    if offer.undertaking_version != version_before:
        # A new text is accepted again by the visitors still to come, each asked by e-mail; a
        # visit that has begun keeps the undertaking it was given.
        to_come = list(
            Placement.objects.filter(taking_place_q(), offer_date__offer=offer)
            .exclude(begun_q(now))
            .select_related("application__visitor")
        )
        Placement.objects.filter(pk__in=[p.pk for p in to_come]).update(
            undertaking_accepted_at=None, undertaking_version=None
        )
        for placement in to_come:
            placement_emails.queue_confirmed(
                placement, placement.application.visitor, version=offer.undertaking_version
            )
    if new_dates is not None:
        wanted = set(new_dates)
        OfferDate.objects.filter(pk__in=[d.pk for key, d in existing.items() if key not in wanted]).delete()
        OfferDate.objects.bulk_create(
            OfferDate(offer=offer, day=day, part=part)
            for day, part in new_dates
            if (day, part) not in existing
        )
    return offer


@transaction.atomic
def offer_withdraw(*, offer, by, now=None) -> Offer:
    now = now or timezone.now()
    offer = Offer.objects.select_for_update(of=("self",)).select_related("round").get(pk=offer.pk)
    if not rules.can_edit_offer(by, offer):
        raise ValidationError(_("Vous ne pouvez pas retirer cette offre."), code="forbidden")
    if offer.withdrawn_at:
        raise ValidationError(_("Cette offre est déjà retirée."), code="withdrawn")
    if _confirmed(offer).exists():
        raise ValidationError(
            _("Une visite est confirmée pour cette offre : la coordination l'annule d'abord."),
            code="confirmed_placement",
        )
    offer.withdrawn_at = now
    offer.save(update_fields=["withdrawn_at"])
    return offer

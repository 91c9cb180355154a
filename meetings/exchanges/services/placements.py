"""Confirming visits (placements), cancelling them, and the host's confidentiality undertaking.

- placement_confirm: the coordinator confirms one pair (proposed or made by hand); the meeting of
  kind « Vis ma vie » is created through the core, inviting the host contact and the visitor (the
  core sends the e-mail invitation with its calendar file, and the meeting joins both feeds).
- confirm_all: every pair of the round's current proposal, all or nothing.
- placement_cancel: the coordinator calls a visit off before it takes place; the meeting is
  cancelled through the core, which tells the invitees.
- undertaking_accept: the visitor accepts the host's undertaking, in its current version, before
  the day; undertaking_missing tells the other parts (feedback) whether it never was.

Every function refuses with a ValidationError in French and then changes nothing.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.exchanges import rules
from meetings.exchanges.emails import placement as placement_emails
from meetings.exchanges.models import (
    DAY_PART_HOURS,
    Application,
    ExchangeRound,
    Offer,
    OfferDate,
    Placement,
    PlacementStatus,
    Wish,
)
from meetings.kinds import Kind
from meetings.recurrence import local_start
from meetings.services import invitations
from meetings.services.meetings import meeting_cancel, meeting_create


def visit_times(offer_date: OfferDate) -> tuple[datetime, datetime]:
    """When OFFER_DATE's visit starts and ends (Brussels time)."""
    start, end = DAY_PART_HOURS[offer_date.part]
    return local_start(offer_date.day, start), local_start(offer_date.day, end)


def day_label(offer_date: OfferDate) -> str:
    return f"{formats.date_format(offer_date.day, 'l j F Y')} ({offer_date.get_part_display()})"


def available_days(application: Application) -> set[date]:
    return {
        date.fromisoformat(value) if isinstance(value, str) else value for value in application.available_days
    }


def address_of(organisation) -> str:
    town = " ".join(part for part in (organisation.postcode, organisation.commune) if part)
    return ", ".join(part for part in (organisation.address, town) if part)


def meeting_title(visitor_service, host_service) -> str:
    """The meeting's title: the services' names only (feeds show this kind's titles in full)."""
    title = _("« Vis ma vie » : %(visitor)s chez %(host)s") % {
        "visitor": visitor_service,
        "host": host_service,
    }
    return title[:200]


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


@transaction.atomic
def placement_confirm(
    *,
    round: ExchangeRound,
    application: Application,
    offer_date: OfferDate,
    by: User,
    reasons=(),
    now: datetime | None = None,
) -> Placement:
    """Confirm APPLICATION's visit on OFFER_DATE: the placement, its meeting and invitations, and
    (unless the visitor already accepted this undertaking when applying) the e-mail asking them
    to accept it before the day."""
    now = now or timezone.now()
    if not rules.can_match(by, round):
        _refuse(_("Seule la coordination de la session confirme les visites."), "not_coordinator")
    # The application's row, then the offer's: one visit per visitor and the capacity hold even
    # when two confirmations run at once.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("visitor", "organisation")
        .filter(pk=application.pk)
        .first()
    )
    if application is None or application.round_id != round.pk:
        _refuse(_("Cette candidature n'est pas de cette session."), "application_other")
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("organisation", "contact")
        .filter(pk=offer_date.offer_id)
        .first()
    )
    offer_date = OfferDate.objects.filter(pk=offer_date.pk).first()
    if offer is None or offer_date is None or offer.round_id != round.pk:
        _refuse(_("Cette offre n'est pas de cette session."), "offer_other")
    offer_date.offer = offer
    visitor = application.visitor
    if application.withdrawn_at is not None:
        _refuse(_("Cette candidature a été retirée."), "application_withdrawn")
    if not application.agreed:
        _refuse(_("Le service du visiteur n'a pas encore donné son accord."), "not_agreed")
    if offer.withdrawn_at is not None:
        _refuse(_("Cette offre a été retirée."), "offer_withdrawn")
    if offer.organisation_id == application.organisation_id:
        _refuse(_("On ne fait pas de « Vis ma vie » dans son propre service."), "own_service")
    if offer_date.day <= timezone.localdate(now):
        _refuse(_("Cette date est passée : choisissez une date à venir."), "past")
    if offer_date.day not in available_days(application):
        _refuse(
            _("%(visitor)s n'est pas disponible le %(day)s.")
            % {"visitor": visitor, "day": day_label(offer_date)},
            "not_available",
        )
    live = Placement.objects.filter(status=PlacementStatus.CONFIRMED)
    if live.filter(round=round, application=application).exists():
        _refuse(
            _("%(visitor)s a déjà une visite dans cette session.") % {"visitor": visitor}, "already_placed"
        )
    if live.filter(offer_date=offer_date).count() >= offer.capacity:
        _refuse(
            _("Cette date est complète : %(host)s, %(day)s.")
            % {"host": offer.organisation, "day": day_label(offer_date)},
            "full",
        )

    start, end = visit_times(offer_date)
    meeting = meeting_create(
        network=round.network,
        kind=Kind.EXCHANGE,
        title=meeting_title(application.organisation, offer.organisation),
        organiser=by,
        purpose=offer.activities,
        place=address_of(offer.organisation),
        start=start,
        end=end,
    )
    invitations.invite_to_meeting(
        meeting=meeting,
        invitees=[invitations.invitee_for(offer.contact), invitations.invitee_for(visitor)],
    )
    wish = Wish.objects.filter(
        application=application,
        offer=offer,
        undertaking_version=offer.undertaking_version,
        undertaking_accepted_at__isnull=False,
    ).first()
    placement = Placement.objects.create(
        round=round,
        application=application,
        offer_date=offer_date,
        reasons=[str(reason) for reason in reasons],
        meeting=meeting,
        confirmed_by=by,
        confirmed_at=now,
        undertaking_version=wish.undertaking_version if wish else None,
        undertaking_accepted_at=wish.undertaking_accepted_at if wish else None,
    )
    if wish is None:
        placement_emails.queue_confirmed(placement, visitor)
    return placement


@transaction.atomic
def confirm_all(*, round: ExchangeRound, by: User, now: datetime | None = None) -> list[Placement]:
    """Confirm every pair of the round's current proposal (all or nothing)."""
    from meetings.exchanges.proposals import proposal_for

    now = now or timezone.now()
    if not rules.can_match(by, round):
        _refuse(_("Seule la coordination de la session confirme les visites."), "not_coordinator")
    proposal = proposal_for(round, now=now)
    if not proposal.pairs:
        _refuse(_("Il n'y a rien à confirmer : la proposition est vide."), "empty")
    return [
        placement_confirm(
            round=round,
            application=pair.application,
            offer_date=pair.offer_date,
            by=by,
            reasons=pair.reasons,
            now=now,
        )
        for pair in proposal.pairs
    ]


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("round", "offer_date__offer", "application__visitor")
        .get(pk=placement.pk)
    )


def _refresh(placement: Placement, locked: Placement) -> Placement:
    for name in ("status", "cancelled_at", "undertaking_version", "undertaking_accepted_at"):
        setattr(placement, name, getattr(locked, name))
    return placement


@transaction.atomic
def placement_cancel(*, placement: Placement, by: User, now: datetime | None = None) -> Placement:
    """Call the visit off before it takes place: the placement is cancelled (the visitor may be
    placed again) and so is its meeting, whose invitees the core tells."""
    now = now or timezone.now()
    if not rules.can_match(by, placement.round):
        _refuse(_("Seule la coordination de la session annule les visites."), "not_coordinator")
    locked = _locked(placement)
    if locked.status != PlacementStatus.CONFIRMED:
        _refuse(_("Cette visite est déjà annulée."), "cancelled")
    start, _end = visit_times(locked.offer_date)
    if start <= now:
        _refuse(_("Cette visite a déjà eu lieu : elle ne peut plus être annulée."), "past")
    locked.status, locked.cancelled_at = PlacementStatus.CANCELLED, now
    locked.save(update_fields=["status", "cancelled_at"])
    if locked.meeting_id is not None:
        meeting_cancel(meeting=locked.meeting)
    return _refresh(placement, locked)


@transaction.atomic
def undertaking_accept(
    *, placement: Placement, by: User, version: int, now: datetime | None = None
) -> Placement:
    """The visitor accepts the host's undertaking in VERSION, its current one, before the day.
    Accepting the same version again changes nothing."""
    now = now or timezone.now()
    if not rules.is_visitor(by, placement):
        _refuse(_("Seul·e le visiteur ou la visiteuse accepte l'engagement."), "not_visitor")
    locked = _locked(placement)
    offer = locked.offer_date.offer
    if locked.status != PlacementStatus.CONFIRMED:
        _refuse(_("Cette visite est annulée."), "cancelled")
    if version != offer.undertaking_version:
        _refuse(
            _("Le texte de l'engagement a changé entre-temps : lisez la nouvelle version, puis acceptez-la."),
            "version",
        )
    if locked.undertaking_version == version and locked.undertaking_accepted_at is not None:
        return _refresh(placement, locked)
    if locked.offer_date.day <= timezone.localdate(now):
        _refuse(_("L'engagement doit être accepté avant le jour de la visite."), "too_late")
    locked.undertaking_version, locked.undertaking_accepted_at = version, now
    locked.save(update_fields=["undertaking_version", "undertaking_accepted_at"])
    return _refresh(placement, locked)


def undertaking_missing(placement: Placement) -> bool:
    """Whether the visitor never accepted the host's undertaking in its current version (a
    visit without it gets no feedback)."""
    return not placement.undertaking_accepted

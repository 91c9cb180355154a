"""Confirming visits (placements), cancelling them, and the host's confidentiality undertaking.

- placement_confirm: the coordinator confirms one pair made by hand (no reasons stored); the
  meeting of kind « Vis ma vie » is created through the core, inviting the host (the offer's
  contact at that moment, kept as the placement's host) and the visitor (the core sends the
  e-mail invitation with its calendar file, and the meeting joins both feeds).
- confirm_pairs: the pairs of the proposal the coordinator saw (one pair, both halves of a
  reciprocal exchange, or every pair shown), exactly those, all or nothing, each with the
  matching's reason codes.
- placement_cancel: the coordinator calls a visit off before it takes place; the meeting is
  cancelled through the core, which tells the invitees (unless it was already cancelled from
  the core's meeting page).

A visit whose meeting was cancelled from the core's meeting page is switched to cancelled
when a visit is next confirmed (proposals.settle_cancelled_meetings); it holds no place meanwhile
and its visitor may be placed again.
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
from meetings.exchanges import matching, rules, timing
from meetings.exchanges.emails import placement as placement_emails
from meetings.exchanges.models import (
    Application,
    ExchangeRound,
    Offer,
    OfferDate,
    Placement,
    PlacementStatus,
    Wish,
)
from meetings.exchanges.proposals import plain_data, round_state, settle_cancelled_meetings
from meetings.kinds import a_day_elsewhere
from meetings.models import TAKING_PLACE, MeetingStatus
from meetings.services import invitations
from meetings.services.meetings import meeting_cancel, meeting_create


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


def _check_coordinator(by: User, round: ExchangeRound) -> None:
    if not rules.can_match(by, round):
        _refuse(_("Seule la coordination de la session confirme les visites."), "not_coordinator")


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
    to accept it before the day. REASONS: the matching's reason codes, none for a pair made by
    hand."""
    now = now or timezone.now()
    _check_coordinator(by, round)
    return _confirm(
        round=round, application=application, offer_date=offer_date, by=by, reasons=reasons, now=now
    )


def _confirm(*, round, application, offer_date, by, reasons, now, settle=True) -> Placement:
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
    if settle:  # visits whose meeting was cancelled from the core hold neither visitor nor place
        settle_cancelled_meetings(round, now=now)
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
    if offer.contact_id == application.visitor_id:
        _refuse(_("On ne s'accueille pas soi-même."), "own_host")
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

    start, end = timing.planned_times(offer_date)  # afterwards, the meeting's own
    meeting = meeting_create(
        network=round.network,
        kind=a_day_elsewhere().kind,
        title=meeting_title(application.organisation, offer.organisation),
        organiser=by,
        purpose=offer.activities,
        place=address_of(offer.organisation),
        start=start,
        end=end,
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
        host=offer.contact,
        reasons=[str(reason) for reason in reasons],
        meeting=meeting,
        confirmed_by=by,
        confirmed_at=now,
        undertaking_version=wish.undertaking_version if wish else None,
        undertaking_accepted_at=wish.undertaking_accepted_at if wish else None,
    )
    invitations.invite_to_meeting(
        meeting=meeting,
        invitees=[invitations.invitee_for(placement.host), invitations.invitee_for(visitor)],
    )
    if wish is None:
        placement_emails.queue_confirmed(placement, visitor)
    return placement


def _reason_codes(round: ExchangeRound, pairs, *, now) -> dict[tuple[int, int], tuple[str, ...]]:
    """What the matching says of each of PAIRS ((application, offer_date)), by their ids: two of
    PAIRS are reciprocal when their visitors offer a visit in return and each goes to the
    other's service. Pairs that cannot be confirmed any more get nothing (they are refused)."""
    state = round_state(round, now=now)
    days, candidates = plain_data(state)
    days = {d.date_id: d for d in days}
    candidates = {c.application_id: c for c in candidates}
    known = [(candidates[a.pk], days[d.pk]) for a, d in pairs if a.pk in candidates and d.pk in days]
    codes = {}
    for candidate, offer_day in known:
        reciprocal = candidate.offers_return and any(
            other.offers_return
            and other.application_id != candidate.application_id
            and other.organisation_id == offer_day.organisation_id
            and other_day.organisation_id == candidate.organisation_id
            for other, other_day in known
        )
        codes[candidate.application_id, offer_day.date_id] = matching.reasons_for(
            candidate, offer_day, reciprocal=reciprocal
        )
    return codes


def confirm_pairs(
    *,
    round: ExchangeRound,
    pairs,
    by: User,
    now: datetime | None = None,
) -> list[Placement]:
    """Confirm exactly PAIRS ((application, offer_date), as the coordinator saw them in the
    proposal), in one transaction: all of them or, if any is no longer possible, none (a lot of
    several pairs is refused with « la proposition a changé » and the first reason). Each
    placement stores the matching's reason codes for its pair.

    The applications' rows are locked by pk, then the offers' by pk, so that two coordinators
    confirming overlapping lots wait for each other instead of deadlocking."""
    now = now or timezone.now()
    _check_coordinator(by, round)
    pairs = list(pairs)
    if not pairs:
        _refuse(_("Il n'y a rien à confirmer : aucune paire choisie."), "empty")
    try:
        with transaction.atomic():
            application_ids = sorted({application.pk for application, _date in pairs})
            date_ids = {offer_date.pk for _application, offer_date in pairs}
            list(
                Application.objects.select_for_update()
                .filter(pk__in=application_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            offer_ids = sorted(
                set(OfferDate.objects.filter(pk__in=date_ids).values_list("offer_id", flat=True))
            )
            list(
                Offer.objects.select_for_update()
                .filter(pk__in=offer_ids)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            codes = _reason_codes(round, pairs, now=now)  # also settles cancelled meetings
            return [
                _confirm(
                    round=round,
                    application=application,
                    offer_date=offer_date,
                    by=by,
                    reasons=codes.get((application.pk, offer_date.pk), ()),
                    now=now,
                    settle=False,
                )
                for application, offer_date in pairs
            ]
    except ValidationError as error:
        if len(pairs) == 1:
            raise
        message = _("La proposition a changé depuis l'affichage de la page : vérifiez-la à nouveau.")
        raise ValidationError(" ".join([message, *error.messages]), code="changed") from error


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("round", "offer_date__offer", "application__visitor", "meeting")
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
    # Its meeting may have been cancelled from the core's meeting page: the visit did not take
    # place, whatever the day; it is cancelled and the core has told the invitees already.
    meeting_on = locked.meeting is not None and locked.meeting.status in TAKING_PLACE
    # Its meeting's start (timing.py): the core's meeting may have been moved.
    start = timing.visit_start(locked)
    if start <= now and (locked.meeting is None or locked.meeting.status != MeetingStatus.CANCELLED):
        _refuse(_("Cette visite a déjà eu lieu : elle ne peut plus être annulée."), "past")
    locked.status, locked.cancelled_at = PlacementStatus.CANCELLED, now
    locked.save(update_fields=["status", "cancelled_at"])
    if meeting_on:
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
    if timezone.localdate(timing.visit_start(locked)) <= timezone.localdate(now):
        _refuse(_("L'engagement doit être accepté avant le jour de la visite."), "too_late")
    locked.undertaking_version, locked.undertaking_accepted_at = version, now
    locked.save(update_fields=["undertaking_version", "undertaking_accepted_at"])
    return _refresh(placement, locked)


def undertaking_missing(placement: Placement) -> bool:
    """Whether the visitor never accepted the host's undertaking in its current version (a
    visit without it gets no feedback)."""
    return not placement.undertaking_accepted

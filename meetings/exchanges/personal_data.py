"""« Vis ma vie »'s section of a person's data (accounts.personal_data): their applications (with
the offers they named and the undertakings they accepted), their visits as visitor or as host
contact, the offers they are the contact of, and the feedback they wrote. The administrator's
copy holds the dates, kinds, services and statuses, without the texts (motivation, feedback) nor
the rounds' titles.

Erasure keeps what the network's history and figures stand on, and the tombstone account keeps
every protected reference (an offer's contact, its author) valid:

- a visit that took place stays (the report counts it, between its two services); its
  application loses what was the person's own: motivation, manager, days, languages, wishes of
  kinds. Their feedback on it stays counted but loses its texts and its consent to be quoted.
- a visit still to come (its meeting has not started) is called off: its meeting is cancelled
  through the core, which tells the host; then an application with no visit begun is deleted,
  with its wishes and those visits.
- their offers still open, with no visit confirmed, are withdrawn: nobody is matched with a
  contact who left. An offer with a visit still to come stays, for the coordinator to name
  another contact; the offers' texts are the host service's and stay.

Running it twice changes nothing more.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from meetings.exchanges.models import Application, Feedback, Offer, Placement, PlacementStatus
from meetings.exchanges.timing import begun_q, taking_place_q
from meetings.models.meetings import TAKING_PLACE
from meetings.services.meetings import meeting_cancel


def _day(placement: Placement) -> dict:
    offer_date = placement.offer_date
    return {"day": offer_date.day, "part": offer_date.part}


def export(user: User, *, confidential: bool) -> dict:
    applications = (
        Application.objects.filter(visitor=user)
        .select_related("round", "organisation")
        .prefetch_related("wishes__offer__organisation")
        .order_by("created_at", "pk")
    )
    placements = (
        Placement.objects.filter(Q(application__visitor=user) | Q(host=user))
        .select_related("round", "offer_date__offer__organisation", "application__organisation")
        .order_by("offer_date__day", "pk")
    )
    offers = (
        Offer.objects.filter(contact=user)
        .select_related("round", "organisation")
        .prefetch_related("dates")
        .order_by("round_id", "pk")
    )
    feedback = Feedback.objects.filter(author=user).order_by("written_at", "pk")

    def round_of(row) -> dict:
        return {"round": row.round_id, **({"round_title": row.round.title} if confidential else {})}

    return {
        "applications": [
            {
                **round_of(a),
                "service": a.organisation.name,
                "available_days": a.available_days,
                "languages": a.languages,
                "wanted_kinds": a.wanted_kinds,
                "offers_return": a.offers_return,
                "agreed_at": a.agreed_at,
                "agreed_way": a.agreed_way,
                "created_at": a.created_at,
                "withdrawn_at": a.withdrawn_at,
                "wishes": [
                    {
                        "offer": w.offer_id,
                        "service": w.offer.organisation.name,
                        "undertaking_version": w.undertaking_version,
                        "undertaking_accepted_at": w.undertaking_accepted_at,
                    }
                    for w in a.wishes.all()
                ],
                **(
                    {
                        "motivation": a.motivation,
                        "manager_name": a.manager_name,
                        "manager_email": a.manager_email,
                    }
                    if confidential
                    else {}
                ),
            }
            for a in applications
        ],
        "visits": [
            {
                "id": p.pk,
                **round_of(p),
                **_day(p),
                "side": "visitor" if p.application.visitor_id == user.pk else "host",
                "host_service": p.offer_date.offer.organisation.name,
                "visitor_service": p.application.organisation.name,
                "status": p.status,
                "meeting": p.meeting_id,
                "undertaking_version": p.undertaking_version,
                "undertaking_accepted_at": p.undertaking_accepted_at,
            }
            for p in placements
        ],
        "offers_as_contact": [
            {
                "id": o.pk,
                **round_of(o),
                "service": o.organisation.name,
                "days": [{"day": d.day, "part": d.part} for d in o.dates.all()],
                "withdrawn_at": o.withdrawn_at,
            }
            for o in offers
        ],
        "feedback": [
            {
                "visit": f.placement_id,
                "side": f.side,
                "written_at": f.written_at,
                "share_excerpt": f.share_excerpt,
                **({"discovered": f.discovered, "will_change": f.will_change} if confidential else {}),
            }
            for f in feedback
        ],
    }


def erase(user: User, *, now: datetime) -> None:
    today = timezone.localdate(now)
    # A visit that has begun is the network's history (timing.py: its meeting's start).
    begun = taking_place_q() & begun_q(now)
    took_place = Placement.objects.filter(begun, application=OuterRef("pk"))
    applications = Application.objects.filter(visitor=user)
    # A visit still to come is called off, its host told by the core's cancellation, before
    # its application goes: no meeting is left in the host's calendar for nobody.
    to_come = Placement.objects.filter(taking_place_q(), application__visitor=user).exclude(begun_q(now))
    for placement in to_come.select_related("meeting"):
        if placement.meeting is not None and placement.meeting.status in TAKING_PLACE:
            meeting_cancel(meeting=placement.meeting)
    to_come.update(status=PlacementStatus.CANCELLED, cancelled_at=now)
    applications.exclude(Exists(took_place)).delete()
    kept = applications.filter(Exists(took_place))
    kept.update(
        motivation="",
        manager_name="",
        manager_email="",
        manager_nonce="",
        available_days=[],
        languages=[],
        wanted_kinds=[],
    )
    Feedback.objects.filter(author=user).exclude(discovered="", will_change="", share_excerpt=False).update(
        discovered="", will_change="", share_excerpt=False
    )
    confirmed_to_come = Placement.objects.filter(taking_place_q(), offer_date__offer=OuterRef("pk")).exclude(
        begun_q(now)
    )
    Offer.objects.filter(contact=user, withdrawn_at__isnull=True, round__visits_until__gte=today).exclude(
        Exists(confirmed_to_come)
    ).update(withdrawn_at=now)

"""What « Vis ma vie » adds to the home page's "À faire" (accounts.todo), in one query:

- the visitor's confirmed visits still to come whose host undertaking they have not accepted (or
  accepted at an older version of its text): "Accepter l'engagement de confidentialité", leading
  to the visit's page, by the visit's start;
- the visits that took place in the last 30 days, the undertaking accepted, where the person was
  the visitor or the host contact and has not written their feedback yet: "Donner mon retour",
  leading to the feedback form, by the visit's end.

A visit is named by the other side: the host service for the visitor, the visitor for the host.
"""

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.todo import Todo
from meetings.exchanges.models import Feedback, Placement
from meetings.exchanges.timing import FEEDBACK_WITHIN, taking_place_q


def to_do(user: User, *, now: datetime) -> list[Todo]:
    visitor = Q(application__visitor=user)
    host = Q(host=user)
    # Before the day, the undertaking as the host words it now; after it, given before the day.
    accepted_now = Q(
        undertaking_accepted_at__isnull=False,
        undertaking_version=F("offer_date__offer__undertaking_version"),
    )
    written = Feedback.objects.filter(placement=OuterRef("pk"), author=user)
    # On the day itself it can no longer be accepted (services.placements.undertaking_accept).
    to_accept = visitor & Q(offer_date__day__gt=timezone.localdate(now)) & ~accepted_now
    to_tell = (
        (visitor | host)
        & Q(undertaking_accepted_at__isnull=False)
        & Q(meeting__end__lte=now, meeting__end__gt=now - FEEDBACK_WITHIN)
        & ~Exists(written)
    )
    placements = (
        Placement.objects.filter(taking_place_q(), meeting__isnull=False)
        .filter(to_accept | to_tell)
        .select_related("meeting", "offer_date__offer__organisation", "application__visitor")
        .order_by("meeting__start", "pk")
    )
    undertakings, feedback = [], []
    for placement in placements:
        is_visitor = placement.application.visitor_id == user.pk
        if is_visitor:
            text = _("Journée chez %(service)s") % {"service": placement.offer_date.offer.organisation.name}
        else:
            text = _("Journée de %(visitor)s dans votre service") % {
                "visitor": placement.application.visitor.get_full_name()
            }
        if placement.meeting.start > now:
            undertakings.append(
                Todo(
                    kind="exchange_undertaking",
                    label=_("Accepter l'engagement de confidentialité"),
                    text=text,
                    url=reverse("exchanges:visit", args=[placement.pk]),
                    when=placement.meeting.start,
                )
            )
        else:
            feedback.append(
                Todo(
                    kind="exchange_feedback",
                    label=_("Donner mon retour"),
                    text=text,
                    url=reverse("exchanges:feedback", args=[placement.pk]),
                    when=placement.meeting.end,
                )
            )
    return undertakings + feedback

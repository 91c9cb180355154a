"""After a visit: each side's feedback, and the e-mails that ask for it.

Whether a visit took place, and when it ends, is timing.py's answer (its meeting's times; the
undertaking accepted before the day; not cancelled).

Feedback is given by the two sides only, the visitor and the host contact, once each: written
once, it is then shown read-only (no edit, so that what the report quotes is what was consented
to at the time).

The requests: 2 days after the end of a visit that took place, each side who has not written is
asked once (FeedbackKind.REQUEST); a week after that request, those still silent are reminded
once (FeedbackKind.REMINDER). Visits that ended more than MAX_AGE ago are left alone, so that a
task deployed late does not mail months-old visits.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.exchanges.emails.feedback import FeedbackKind
from meetings.exchanges.models import Feedback, Placement, PlacementStatus, Side
from meetings.exchanges.timing import FEEDBACK_WITHIN, is_cancelled, took_place, visit_end
from outbox import services as outbox
from outbox.models import OutboxMessage

# Feedback is asked for this long after the end of the visit…
ASK_AFTER = timedelta(days=2)
# …and asked once more this long after the request, if still unanswered.
REMIND_AFTER = timedelta(days=7)
# Visits that ended longer ago than this are never mailed about.
MAX_AGE = FEEDBACK_WITHIN


def side_of(user: User, placement: Placement) -> str | None:
    """Side.VISITOR or Side.HOST for the two people of the visit, None for anyone else."""
    if not user.is_authenticated:
        return None
    if placement.application.visitor_id == user.pk:
        return Side.VISITOR
    if placement.host_id == user.pk:
        return Side.HOST
    return None


def refusal(*, placement: Placement, author: User, now: datetime) -> ValidationError | None:
    """Why AUTHOR may not give feedback on PLACEMENT now, or None: the checks of feedback_write,
    for pages to show the reason instead of a form."""
    if side_of(author, placement) is None:
        return ValidationError(
            _("Seuls la personne en visite et la personne qui l'a accueillie donnent leur retour."),
            code="not_there",
        )
    if is_cancelled(placement):
        return ValidationError(
            _("Cette visite a été annulée : elle ne reçoit pas de retour."), code="cancelled"
        )
    if not placement.undertaking_given:
        return ValidationError(
            _(
                "L'engagement de confidentialité n'a pas été accepté avant la visite : "
                "elle ne compte pas et ne reçoit pas de retour."
            ),
            code="no_undertaking",
        )
    if visit_end(placement) > now:
        return ValidationError(
            _("La visite n'a pas encore eu lieu : vous pourrez donner votre retour ensuite."), code="not_yet"
        )
    if Feedback.objects.filter(placement=placement, author=author).exists():
        return ValidationError(_("Vous avez déjà donné votre retour sur cette visite."), code="already")
    return None


def _loaded(placement: Placement) -> Placement:
    """PLACEMENT's row, locked until the transaction ends, with what the checks read."""
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("meeting", "application", "offer_date__offer")
        .get(pk=placement.pk)
    )


@transaction.atomic
def feedback_write(
    *,
    placement: Placement,
    author: User,
    discovered: str,
    will_change: str,
    share_excerpt: bool,
    now: datetime | None = None,
) -> Feedback:
    """AUTHOR's feedback on PLACEMENT, once: refused (nothing written) for anyone but its two
    sides, for a visit cancelled, without its accepted undertaking or not over yet, without
    what they discovered, or a second time."""
    now = now or timezone.now()
    locked = _loaded(placement)
    error = refusal(placement=locked, author=author, now=now)
    if error is not None:
        raise error
    discovered, will_change = (discovered or "").strip(), (will_change or "").strip()
    if not discovered:
        raise ValidationError(
            _("Dites en quelques mots ce que vous avez découvert."), code="discovered_empty"
        )
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                placement=locked,
                author=author,
                side=side_of(author, locked),
                discovered=discovered,
                will_change=will_change,
                share_excerpt=bool(share_excerpt),
                written_at=now,
            )
    except IntegrityError:
        raise ValidationError(
            _("Vous avez déjà donné votre retour sur cette visite."), code="already"
        ) from None


def request_key(placement_id: int, user_id: int) -> str:
    return f"exchange-feedback:{placement_id}:{user_id}"


def reminder_key(placement_id: int, user_id: int) -> str:
    return f"exchange-feedback-reminder:{placement_id}:{user_id}"


def _due_placements(now: datetime) -> list[Placement]:
    """Confirmed placements whose visit may have ended between MAX_AGE and ASK_AFTER ago, in one
    query (the exact end and the other conditions are checked on each)."""
    latest, earliest = now - ASK_AFTER, now - MAX_AGE
    by_meeting = Q(meeting__isnull=False, meeting__end__gte=earliest, meeting__end__lte=latest)
    by_date = Q(
        meeting__isnull=True,
        # A day's parts end in its afternoon: the day before and after bound them in any zone.
        offer_date__day__gte=(earliest - timedelta(days=1)).date(),
        offer_date__day__lte=(latest + timedelta(days=1)).date(),
    )
    return list(
        Placement.objects.filter(status=PlacementStatus.CONFIRMED, undertaking_accepted_at__isnull=False)
        .filter(by_meeting | by_date)
        .select_related("meeting", "application__visitor", "host")
        .order_by("pk")
    )


def send_requests(*, now: datetime | None = None) -> int:
    """Ask each side of the visits that took place for their feedback, 2 days after the end, and
    remind once a week after that request; nothing for who has written, nothing for visits that
    ended more than MAX_AGE ago. Reads in three queries whatever the number of visits (the due
    placements, the feedback already written, the requests already queued); each e-mail is then
    one insert. Idempotent: a second run queues nothing more. Returns how many were queued."""
    now = now or timezone.now()
    placements = [
        p
        for p in _due_placements(now)
        if took_place(p, now=now) and now - MAX_AGE <= visit_end(p) <= now - ASK_AFTER
    ]
    if not placements:
        return 0
    written = set(
        Feedback.objects.filter(placement__in=[p.pk for p in placements]).values_list(
            "placement_id", "author_id"
        )
    )
    wanted, seen = [], set(written)
    for placement in placements:
        for user in (placement.application.visitor, placement.host):
            if (placement.pk, user.pk) not in seen:
                seen.add((placement.pk, user.pk))
                wanted.append((placement, user))
    keys = [request_key(p.pk, u.pk) for p, u in wanted] + [reminder_key(p.pk, u.pk) for p, u in wanted]
    queued = dict(OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", "send_after"))
    count = 0
    for placement, user in wanted:
        asked = queued.get(request_key(placement.pk, user.pk))
        if asked is None:
            kind, key = FeedbackKind.REQUEST, request_key(placement.pk, user.pk)
        elif asked <= now - REMIND_AFTER and reminder_key(placement.pk, user.pk) not in queued:
            kind, key = FeedbackKind.REMINDER, reminder_key(placement.pk, user.pk)
        else:
            continue
        count += outbox.queue_once(
            kind=kind,
            dedupe_key=key,
            send_after=now,
            **outbox.addressed_to(user, placement=placement.pk),
        )
    return count

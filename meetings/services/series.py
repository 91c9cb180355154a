"""Series: create, materialise occurrences for a rolling horizon, edit "this and the following",
cancel the whole series or "this and the following"."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings.models import (
    DETAIL_FIELDS,
    FIXED_FIELDS,
    SHARED_FIELDS,
    Meeting,
    MeetingStatus,
    Series,
    StandingGroup,
)
from meetings.recurrence import (
    BRUSSELS,
    check_first_session,
    check_rule,
    format_date,
    occurrences_between,
    parse,
)
from meetings.services import invitations
from meetings.services.meetings import check_cancellable, check_editable

# The sessions a cancellation of the series calls off: those still to take place.
CANCELLABLE = [MeetingStatus.SCHEDULED, MeetingStatus.DRAFT]
TOOK_PLACE = [MeetingStatus.HELD, MeetingStatus.CLOSED]


def horizon(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=settings.SERIES_HORIZON_DAYS)


@transaction.atomic
def series_create(
    *,
    network: Network,
    kind: str,
    title: str,
    dtstart: datetime,
    duration: timedelta,
    rrule: str,
    organiser: User,
    group: StandingGroup | None = None,
    purpose: str = "",
    place: str = "",
    online_link: str = "",
    capacity: int | None = None,
    now: datetime | None = None,
) -> Series:
    """Check the rule, save the series and create its occurrences up to the horizon.

    DTSTART must be the first date the rule gives (RFC 5545 expects DTSTART to be an occurrence):
    a first session off the rule is refused rather than moved to a day nobody chose.
    """
    check_first_session(rrule, dtstart, check_rule(rrule, dtstart, duration))
    series = Series(
        network=network,
        kind=kind,
        group=group,
        title=title,
        dtstart=dtstart,
        duration=duration,
        rrule=rrule,
        organiser=organiser,
        purpose=purpose,
        place=place,
        online_link=online_link,
        capacity=capacity,
    )
    series.full_clean()
    series.save()
    series_materialise(series=series, until=horizon(now))
    return series


def series_materialise(*, series: Series, until: datetime) -> list[Meeting]:
    """Create the Meeting rows of the occurrences up to UNTIL that do not exist yet.

    Idempotent: an occurrence is identified by (series, recurrence_id), so running it twice or
    concurrently creates each row once.
    """
    start = series.materialised_until or series.dtstart
    if start >= until:
        return []
    starts = occurrences_between(series.rrule, series.dtstart, start, until)
    rows = [
        Meeting(
            series=series,
            recurrence_id=moment,
            **{field: getattr(series, field) for field in SHARED_FIELDS},
            start=moment,
            end=moment + series.duration,
            uid=series.uid,
            sequence=series.sequence,
        )
        for moment in starts
    ]
    created = Meeting.objects.bulk_create(rows, ignore_conflicts=True)
    series.materialised_until = until
    series.save(update_fields=["materialised_until"])
    invitations.attach_series_invitations(series=series, after=start)
    return created


def series_extend_horizons(*, now: datetime | None = None) -> int:
    """Run by a periodic task: keep at least SERIES_HORIZON_DAYS of occurrences ahead."""
    target = horizon(now)
    count = 0
    for series in Series.objects.filter(materialised_until__lt=target):
        parsed = parse(series.rrule, series.dtstart)
        if parsed._until is not None and series.materialised_until > parsed._until:
            continue
        count += len(series_materialise(series=series, until=target))
    return count


@transaction.atomic
def series_split(
    *,
    occurrence: Meeting,
    dtstart: datetime,
    duration: timedelta,
    rrule: str,
    changes: dict,
    now: datetime | None = None,
) -> Series:
    """Edit "this occurrence and the following ones".

    The old series ends just before OCCURRENCE; a new series starts at DTSTART with the new rule
    and details. Occurrences of the old series from this one on that were not held are replaced
    by those of the new series; days that were cancelled stay cancelled. From the first
    occurrence, this is an edit of the whole series. Invitations to single occurrences of the
    replaced part are not carried over (series invitations are).
    """
    check_editable(occurrence)
    old = Series.objects.select_for_update().get(pk=occurrence.series_id)
    # A day the rule does not give is refused, as at creation, rather than moved to the next one.
    check_first_session(rrule, dtstart, check_rule(rrule, dtstart, duration))
    cut = occurrence.recurrence_id
    replaced = old.occurrences.filter(
        recurrence_id__gte=cut,
        status__in=[MeetingStatus.SCHEDULED, MeetingStatus.DRAFT, MeetingStatus.CANCELLED],
        # A session with a roll call, actions or vignettes took place: it is never replaced.
        attendances__isnull=True,
        actions__isnull=True,
        vignettes__isnull=True,
    )
    cancelled_days = {
        moment.astimezone(BRUSSELS).date()
        for moment in replaced.filter(status=MeetingStatus.CANCELLED).values_list("recurrence_id", flat=True)
    }
    replaced.delete()
    details = {field: changes.get(field, getattr(old, field)) for field in DETAIL_FIELDS}
    if cut <= old.dtstart:
        # The whole series changes: keep its identity (UID) and raise its SEQUENCE.
        for field, value in details.items():
            setattr(old, field, value)
        old.dtstart, old.duration, old.rrule = dtstart, duration, rrule
        old.sequence += 1
        old.materialised_until = None
        old.full_clean()
        old.save()
        old.occurrences.update(sequence=F("sequence") + 1)  # kept (held) rows follow their series
        series_materialise(series=old, until=horizon(now))
        keep_cancelled(old, cancelled_days)
        invitations.notify_series_changed(old)
        return old
    old.rrule = rule_ending_before(old.rrule, cut)
    old.sequence += 1
    old.save(update_fields=["rrule", "sequence"])
    old.occurrences.update(sequence=F("sequence") + 1)
    invitations.notify_series_changed(old)
    new = Series(
        **{field: getattr(old, field) for field in FIXED_FIELDS},
        dtstart=dtstart,
        duration=duration,
        rrule=rrule,
        split_from=old,
        **details,
    )
    new.full_clean()
    new.save()
    series_materialise(series=new, until=horizon(now))
    keep_cancelled(new, cancelled_days)
    invitations.invite_to_series(
        series=new,
        invitees=[
            invitations.Invitee(email=i.email, name=i.name, user=i.user, language=i.language, role=i.role)
            for i in old.invitations.select_related("user")
        ],
        now=now,
    )
    return new


def keep_cancelled(series: Series, days: set) -> None:
    """Cancel again, in the rebuilt series, the days that had been cancelled."""
    if not days:
        return
    again = [m.pk for m in series.occurrences.all() if m.recurrence_id.astimezone(BRUSSELS).date() in days]
    series.occurrences.filter(pk__in=again).update(status=MeetingStatus.CANCELLED)


def rule_ending_before(rule: str, cut: datetime) -> str:
    """RULE with its COUNT/UNTIL replaced by an UNTIL one second before CUT."""
    parts = [p for p in rule.split(";") if not p.startswith(("UNTIL=", "COUNT="))]
    until = (cut - timedelta(seconds=1)).astimezone(UTC)
    parts.append(f"UNTIL={until:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def rule_from(series: Series, occurrence: Meeting) -> str:
    """The series' rule as it applies from OCCURRENCE on: a COUNT becomes the number left."""
    parts = series.rrule.split(";")
    count = next((int(p.removeprefix("COUNT=")) for p in parts if p.startswith("COUNT=")), None)
    if count is None:
        return series.rrule
    before = len(occurrences_between(series.rrule, series.dtstart, series.dtstart, occurrence.recurrence_id))
    return ";".join(f"COUNT={count - before}" if p.startswith("COUNT=") else p for p in parts)


@transaction.atomic
def series_cancel(*, series: Series, occurrence: Meeting | None = None, now: datetime | None = None) -> int:
    """Cancel OCCURRENCE and the sessions that follow it, or (OCCURRENCE None) the whole series:
    every session from now on. Returns how many sessions were cancelled.

    A session that took place (held, closed, or with a roll call, actions or vignettes) is never
    cancelled: certificates and exports keep it. The rule ends just before the first cancelled
    session, so that no new session is made after it and calendars stop the series there; the
    cancelled sessions stay, marked cancelled (EXDATEs in feeds). Every invitee is told once
    (invitations.notify_series_cancelled).
    """
    series = Series.objects.select_for_update().get(pk=series.pk)
    if occurrence is not None:
        occurrence = Meeting.objects.get(pk=occurrence.pk, series=series)
        check_cancellable(occurrence)
        cut = occurrence.recurrence_id
    else:
        first = (
            series.occurrences.filter(start__gte=now or timezone.now(), status__in=CANCELLABLE)
            .order_by("recurrence_id")
            .first()
        )
        if first is None:
            raise ValidationError(
                _("Cette série n'a plus de séance à venir à annuler."), code="nothing_to_come"
            )
        cut = first.recurrence_id
    if series.occurrences.filter(recurrence_id__gt=cut, status__in=TOOK_PLACE).exists():
        # The rule ends before the cut: a session after it that took place would fall outside it.
        raise ValidationError(
            _("Une séance suivante a déjà eu lieu : annulez à partir d'une séance qui la suit."),
            code="later_held",
        )
    # A later session with a roll call, actions or vignettes is kept, and would fall outside the
    # shortened rule while the e-mail says the following sessions are off: refused, named.
    busy = (
        series.occurrences.filter(recurrence_id__gt=cut, status__in=CANCELLABLE)
        .filter(Q(attendances__isnull=False) | Q(actions__isnull=False) | Q(vignettes__isnull=False))
        .order_by("recurrence_id")
        .first()
    )
    if busy is not None:
        raise ValidationError(
            _(
                "La séance du %(date)s a déjà un appel, des actions ou des vignettes : elle ne peut "
                "pas être annulée. Annulez à partir de la séance qui la suit, ou les séances une à une."
            )
            % {"date": format_date(busy.start)},
            code="later_in_use",
        )
    cancelled = list(
        series.occurrences.filter(
            recurrence_id__gte=cut,
            status__in=CANCELLABLE,
            attendances__isnull=True,
            actions__isnull=True,
            vignettes__isnull=True,
        )
        .order_by("recurrence_id")
        .values_list("pk", flat=True)
        .distinct()
    )
    if not cancelled:
        raise ValidationError(
            _("Aucune de ces séances ne peut encore être annulée."), code="nothing_to_cancel"
        )
    Meeting.objects.filter(pk__in=cancelled).update(
        status=MeetingStatus.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    series.rrule = rule_ending_before(series.rrule, cut)
    series.sequence += 1
    series.save(update_fields=["rrule", "sequence"])
    # The sessions kept follow their series' SEQUENCE, as after an edit.
    series.occurrences.exclude(pk__in=cancelled).update(sequence=F("sequence") + 1)
    invitations.notify_series_cancelled(series=series, first_pk=cancelled[0], cancelled=cancelled)
    return len(cancelled)


@transaction.atomic
def series_stop_making_sessions(*, series: Series) -> str:
    """End SERIES' rule after its last session made so far: no new session is made, the
    existing ones stay as they are, and calendars stop the series there (every invitee gets the
    shorter series). Returns the rule it had, for series_restore_rule; a series that already
    makes no session past its last one is left as it is."""
    series = Series.objects.select_for_update().get(pk=series.pk)
    last = series.occurrences.order_by("-recurrence_id").values_list("recurrence_id", flat=True).first()
    previous = series.rrule
    parsed = parse(series.rrule, series.dtstart)
    if last is None or (parsed._until is not None and parsed._until <= last):
        return previous
    series.rrule = rule_ending_before(series.rrule, last + timedelta(seconds=1))
    series.sequence += 1
    series.save(update_fields=["rrule", "sequence"])
    series.occurrences.update(sequence=F("sequence") + 1)
    invitations.notify_series_changed(series)
    return previous


@transaction.atomic
def series_restore_rule(*, series: Series, rrule: str, now: datetime | None = None) -> int:
    """Give SERIES back RRULE (a rule series_stop_making_sessions returned): sessions are made
    again up to the horizon and every invitee gets the longer series. Returns how many sessions
    were made."""
    series = Series.objects.select_for_update().get(pk=series.pk)
    if series.rrule == rrule:
        return 0
    check_rule(rrule, series.dtstart, series.duration)
    series.rrule = rrule
    series.sequence += 1
    series.save(update_fields=["rrule", "sequence"])
    series.occurrences.update(sequence=F("sequence") + 1)
    made = series_materialise(series=series, until=horizon(now))
    invitations.notify_series_changed(series)
    return len(made)

"""Answering a poll: one participant's yes / if need be / no for every slot, all at once.

A person answers every slot in one go, so that the results never count a half-filled answer;
a refusal changes nothing. The participant is the only one whose answers change: the view gets
it from the signed link or from the login, never from the form.
"""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meetings.polls.models import Choice, Poll, PollAnswer, PollParticipant, PollSlot
from meetings.polls.services.polls import check_open, tell_when_complete
from meetings.polls.zones import zone_named


def zone_or_error(name: str) -> ZoneInfo:
    """The time zone NAME (an IANA name, such as Europe/Brussels), or a French refusal."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(_("Fuseau horaire inconnu : %(zone)s.") % {"zone": name}, code="zone") from None


def participant_zone(participant: PollParticipant) -> ZoneInfo:
    """The zone the person sees times in; Brussels if what is stored no longer exists."""
    return zone_named(participant.time_zone)


def slot_label(slot: PollSlot, zone: ZoneInfo) -> str:
    """ "mardi 24 novembre 2026, 12:30–14:00" in ZONE: how a slot is named to the person, on the
    page and in a refusal naming the slots left without an answer."""
    start = slot.start.astimezone(zone)
    end = slot.end.astimezone(zone)
    day = formats.date_format(start, "l j F Y")
    if end.date() != start.date():
        return _("%(day)s, %(start)s – %(end_day)s %(end)s") % {
            "day": day,
            "start": start.strftime("%H:%M"),
            "end_day": formats.date_format(end, "l j F"),
            "end": end.strftime("%H:%M"),
        }
    return _("%(day)s, %(start)s–%(end)s") % {
        "day": day,
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def _check_choices(slots: list[PollSlot], choices: dict[int, str], zone: ZoneInfo) -> None:
    known = {slot.pk for slot in slots}
    if any(slot_id not in known for slot_id in choices):
        raise ValidationError(_("Un des créneaux répondus n'est pas de ce sondage."), code="unknown_slot")
    if any(choice not in Choice.values for choice in choices.values()):
        raise ValidationError(_("Répondez par oui, si nécessaire ou non."), code="bad_choice")
    missing = [slot for slot in slots if not choices.get(slot.pk)]
    if missing:
        raise ValidationError(
            _("Répondez pour chaque créneau : il manque %(slots)s.")
            % {"slots": " ; ".join(slot_label(slot, zone) for slot in missing)},
            code="missing",
        )


@transaction.atomic
def record_answers(
    *,
    participant: PollParticipant,
    choices: dict[int, str],
    time_zone: str | None = None,
    now: datetime | None = None,
) -> list[PollAnswer]:
    """Record PARTICIPANT's CHOICES ({slot id: yes/maybe/no}, one for each slot of the poll),
    replacing earlier ones, and the TIME_ZONE they read the times in.

    The poll's row is locked first: answers to one poll are recorded one after the other, so
    that of two people answering last at the same moment, the second sees the first's answer
    and the organiser is told once that everyone has answered (and the poll cannot close in
    between: its status is read under the lock)."""
    now = now or timezone.now()
    poll = Poll.objects.select_for_update().get(pk=participant.poll_id)
    check_open(poll, now=now)
    zone = zone_or_error(time_zone) if time_zone else participant_zone(participant)
    slots = list(PollSlot.objects.filter(poll=poll))
    try:
        choices = {int(slot_id): choice for slot_id, choice in choices.items()}
    except (TypeError, ValueError):
        raise ValidationError(
            _("Un des créneaux répondus n'est pas de ce sondage."), code="unknown_slot"
        ) from None
    _check_choices(slots, choices, zone)

    given = {slot.pk: choices[slot.pk] for slot in slots}
    same_zone = not time_zone or time_zone == participant.time_zone
    if (
        participant.answered_at
        and same_zone
        and dict(participant.answers.values_list("slot_id", "choice")) == given
    ):
        # The same answers sent again (a second tap, a page sent twice): nothing to record.
        return list(participant.answers.order_by("slot__start", "slot_id"))
    answers = [PollAnswer(participant=participant, slot=slot, choice=choices[slot.pk]) for slot in slots]
    for answer in answers:
        answer.full_clean(exclude=["participant", "slot"], validate_unique=False, validate_constraints=False)
    PollAnswer.objects.bulk_create(
        answers,
        update_conflicts=True,
        unique_fields=["participant", "slot"],
        update_fields=["choice", "updated_at"],
    )
    participant.answered_at = now
    if time_zone:
        participant.time_zone = time_zone
    participant.save(update_fields=["answered_at", "time_zone"])
    tell_when_complete(poll, now=now)
    return list(participant.answers.order_by("slot__start", "slot_id"))

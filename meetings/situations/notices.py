"""The situations' e-mails. Like every e-mail they carry nothing of the person (DESIGN.md, privacy
rule 1): no pseudonym, no note, no goal or action text — the kind of news, a date, and a link to
the situation (login required, where the rules decide what the reader sees).

- retour: to the professional who asked for the coordination, when its status changes or its
  plan is updated (at most once a day for the plan);
- action done / overdue: to the current référents;
- consent withdrawn: to the network's members with an address.
A row's references: "situation", and "user" when it goes to an account.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from meetings.situations.rules import is_excluded_person
from outbox import services as outbox
from outbox.models import OutboxMessage
from outbox.rendering import template_email


class NoticeKind(models.TextChoices):
    RETOUR = "situation_retour", _("retour sur une demande de coordination")
    ACTION_DONE = "situation_action_done", _("action du plan faite")
    ACTION_OVERDUE = "situation_action_overdue", _("action du plan en retard")
    CONSENT_WITHDRAWN = "situation_consent_withdrawn", _("accord retiré")


KINDS = tuple(NoticeKind)


def _situation_url(situation_id: int) -> str:
    return settings.SITE_URL + reverse("situations:situation", kwargs={"pk": situation_id})


def queue_retour(*, situation, about: str) -> bool:
    """The "retour" to whoever asked: once per event (ABOUT names it: a status change, or the
    plan on a given day)."""
    requester = situation.requested_by
    if requester is None or not requester.is_active or is_excluded_person(situation, user=requester):
        return False
    return outbox.queue_once(
        kind=NoticeKind.RETOUR,
        dedupe_key=f"situation-retour:{situation.pk}:{about}",
        **outbox.addressed_to(requester, situation=situation.pk),
    )


def _referent_users(situation):
    terms = situation.referents.filter(ended_at__isnull=True).select_related("user")
    return [t.user for t in terms if not is_excluded_person(situation, user=t.user)]


def queue_action_done(*, action) -> int:
    stamp = f"{action.done_at:%Y%m%d%H%M%S}" if action.done_at else "done"
    return sum(
        outbox.queue_once(
            kind=NoticeKind.ACTION_DONE,
            dedupe_key=f"situation-action-done:{action.pk}:{stamp}:{user.pk}",
            **outbox.addressed_to(user, situation=action.situation_id, action=action.pk),
        )
        for user in _referent_users(action.situation)
    )


def queue_action_overdue(*, action) -> int:
    return sum(
        outbox.queue_once(
            kind=NoticeKind.ACTION_OVERDUE,
            dedupe_key=f"situation-action-overdue:{action.pk}:{action.due_date:%Y%m%d}:{user.pk}",
            **outbox.addressed_to(user, situation=action.situation_id, action=action.pk),
        )
        for user in _referent_users(action.situation)
    )


def queue_consent_withdrawn(*, situation, consent) -> int:
    count = 0
    today = timezone.localdate()
    for member in situation.members.select_related("user"):
        if not member.is_current(today) or member.is_person or not member.contact_email:
            continue
        if is_excluded_person(situation, user=member.user, name=member.display_name):
            continue  # someone the person refused hears nothing about them
        fields = (
            outbox.addressed_to(member.user, situation=situation.pk)
            if member.user_id
            else {
                "recipient_email": member.email,
                "recipient_name": member.name,
                "refs": {"situation": situation.pk},
            }
        )
        count += outbox.queue_once(
            kind=NoticeKind.CONSENT_WITHDRAWN,
            dedupe_key=f"situation-consent-withdrawn:{consent.pk}:{member.pk}",
            **fields,
        )
    return count


def render(message: OutboxMessage, cache: dict) -> EmailMultiAlternatives | None:
    from meetings.situations.models import PlanAction, Situation

    situation = Situation.objects.filter(pk=message.refs.get("situation")).first()
    if situation is None:
        return None
    context = {
        "recipient_name": message.recipient_name,
        "url": _situation_url(situation.pk),
        "requested_on": formats.date_format(timezone.localtime(situation.created_at), "j F Y"),
    }
    if message.kind in {NoticeKind.ACTION_DONE, NoticeKind.ACTION_OVERDUE}:
        action = PlanAction.objects.filter(pk=message.refs.get("action")).first()
        if action is None:
            return None
        if message.kind == NoticeKind.ACTION_OVERDUE and not action.is_open:
            return None  # done since: nothing to say
        context["due"] = formats.date_format(action.due_date, "j F Y")
    if message.kind == NoticeKind.RETOUR:
        context["status"] = situation.get_status_display()
    return template_email(message.kind.replace("_", "-"), context)

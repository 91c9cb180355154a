"""Creating an exchange round: a network's coordinators open it, for a period of visits."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.exchanges import rules
from meetings.exchanges.models import ExchangeRound


def check_period(*, applications_until: date, visits_from: date, visits_until: date, now: datetime) -> None:
    if visits_from is None or visits_until is None or applications_until is None:
        raise ValidationError(
            _("Indiquez la date limite des candidatures et la période des visites."), code="dates"
        )
    if visits_until < visits_from:
        raise ValidationError(_("La période des visites finit avant de commencer."), code="period")
    if applications_until < timezone.localdate(now):
        raise ValidationError(_("La date limite des candidatures est déjà passée."), code="deadline_past")
    if applications_until > visits_until:
        raise ValidationError(
            _("La date limite des candidatures doit précéder la fin des visites."), code="deadline_late"
        )


@transaction.atomic
def round_create(
    *, network, title, description="", applications_until, visits_from, visits_until, by, now=None
) -> ExchangeRound:
    now = now or timezone.now()
    if not rules.can_create_round(by, network):
        raise ValidationError(
            _("Seule la coordination du réseau ouvre une session d'échanges."), code="forbidden"
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Donnez un titre à la session."), code="title")
    check_period(
        applications_until=applications_until, visits_from=visits_from, visits_until=visits_until, now=now
    )
    return ExchangeRound.objects.create(
        network=network,
        title=title,
        description=(description or "").strip(),
        applications_until=applications_until,
        visits_from=visits_from,
        visits_until=visits_until,
        created_by=by,
    )

"""What people tell the application about their time: their working-time fraction (FTE), their
monthly meeting budget, how long they travel to each place, their organisation's budget per FTE.

Each write checks every value first and changes nothing when one is refused (the issue's bad
input: a budget below 0 or above 160 hours, an FTE outside (0, 1], a trip above 8 hours), with
the same bounds as the models' validators (load.models, accounts.Professional.fte).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, Professional, User
from meetings.load.accounting import place_key
from meetings.load.models import MAX_BUDGET_HOURS, MAX_TRAVEL_MINUTES, OrganisationBudget, TravelEstimate

# The smallest working time accounts.Professional accepts: a few hours a week.
MIN_FTE = Decimal("0.05")


def check_fte(fte: Decimal) -> None:
    if fte is None or not MIN_FTE <= fte <= 1:
        raise ValidationError(
            _(
                "Le temps de travail se donne en équivalent temps plein, entre 0,05 et 1 "
                "(1 pour un temps plein, 0,5 pour un mi-temps)."
            ),
            code="fte_out_of_range",
        )


def check_budget(hours: Decimal | None) -> None:
    """HOURS of meetings a month, or None for the default."""
    if hours is not None and not 0 <= hours <= MAX_BUDGET_HOURS:
        raise ValidationError(
            _("Un budget mensuel de réunions se donne en heures, entre 0 et %(max)s.")
            % {"max": MAX_BUDGET_HOURS},
            code="budget_out_of_range",
        )


def check_travel(minutes: int | None, place: str = "") -> None:
    if minutes is not None and not 0 <= minutes <= MAX_TRAVEL_MINUTES:
        raise ValidationError(
            _("Un trajet (aller et retour) se donne en minutes, de 0 à %(max)s (8 heures)%(where)s.")
            % {"max": MAX_TRAVEL_MINUTES, "where": f" : {place}" if place else ""},
            code="travel_out_of_range",
        )


@transaction.atomic
def load_settings_save(
    *,
    user: User,
    fte: Decimal | None = None,
    monthly_budget: Decimal | None = None,
    travel: dict[str, int | None] | None = None,
) -> None:
    """USER's own settings: FTE and monthly budget (None: the default, 8 h × FTE or their
    organisation's) when they have a professional profile, and travel minutes by PLACE (None:
    back to the default). Everything is checked before anything is written."""
    travel = travel or {}
    profile = Professional.objects.filter(user=user).first()
    if profile is not None:
        check_fte(fte)
        check_budget(monthly_budget)
    for place, minutes in travel.items():
        check_travel(minutes, place)
    if profile is not None:
        profile.fte = fte
        profile.monthly_meeting_budget = monthly_budget
        profile.full_clean()
        profile.save(update_fields=["fte", "monthly_meeting_budget"])
    travel_save(user=user, travel=travel)


def travel_save(*, user: User, travel: dict[str, int | None]) -> None:
    """USER's travel minutes by place; None forgets the estimate (the default applies again)."""
    by_key = {place_key(place): (place, minutes) for place, minutes in travel.items() if place.strip()}
    forgotten = [key for key, (_place, minutes) in by_key.items() if minutes is None]
    TravelEstimate.objects.filter(user=user, place_key__in=forgotten).delete()
    known = {e.place_key: e for e in TravelEstimate.objects.filter(user=user, place_key__in=list(by_key))}
    for key, (place, minutes) in by_key.items():
        if minutes is None:
            continue
        check_travel(minutes, place)
        estimate = known.get(key) or TravelEstimate(user=user, place_key=key)
        if estimate.pk and estimate.minutes == minutes:
            continue
        estimate.place = place[:300]
        estimate.minutes = minutes
        estimate.full_clean(validate_constraints=False)
        estimate.save()


@transaction.atomic
def organisation_budget_save(*, organisation: Organisation, hours_per_fte: Decimal | None, by: User) -> None:
    """ORGANISATION's meeting hours per full-time month; None goes back to the default (8 h)."""
    check_budget(hours_per_fte)
    if hours_per_fte is None:
        OrganisationBudget.objects.filter(organisation=organisation).delete()
        return
    budget = OrganisationBudget.objects.filter(organisation=organisation).first() or OrganisationBudget(
        organisation=organisation
    )
    budget.hours_per_fte = hours_per_fte
    budget.updated_by = by
    budget.full_clean()
    budget.save()

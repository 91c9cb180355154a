"""Applying to offers of a round, and the applicant's service agreeing.

A visitor has one application per round: the first offer they apply to creates it with a wish for
that offer; another offer of the same round adds a wish to the same application and updates its
answers. Each wish records the version of the host's confidentiality undertaking the visitor
accepted. The applicant's service agrees: its manager through the signed link of the e-mail
queued here (once per address: a new address revokes the old link), or the coordinator records
it. Each refusal is a ValidationError in French with a code, and changes nothing.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationKind, User
from meetings.exchanges import rules
from meetings.exchanges.emails.agreement import AgreementKind, nonce_ref
from meetings.exchanges.models import AgreementWay, Application, Language, Placement, PlacementStatus, Wish
from meetings.exchanges.timing import taking_place_q
from meetings.models.invitations import new_nonce
from outbox import services as outbox


def visitor_organisations(visitor, round):
    """The services VISITOR works in among ROUND's network's members (a coordinator too: their own)."""
    return Organisation.objects.filter(networks=round.network_id, professionals__user=visitor).distinct()


def _as_day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("Une des dates disponibles est illisible."), code="day") from None


def _check(*, round, offer, visitor, organisation, motivation, days, languages, wanted_kinds, now) -> None:
    if not rules.can_see_round(visitor, round):
        raise ValidationError(_("Vous ne pouvez pas postuler dans cette session."), code="forbidden")
    if timezone.localdate(now) > round.applications_until:
        raise ValidationError(_("Les candidatures de cette session sont closes."), code="closed")
    if offer.withdrawn_at:
        raise ValidationError(_("Cette offre est retirée."), code="withdrawn")
    if organisation is not None and organisation.pk == offer.organisation_id:
        raise ValidationError(_("On ne visite pas son propre service."), code="own_service")
    if organisation is None or not visitor_organisations(visitor, round).filter(pk=organisation.pk).exists():
        raise ValidationError(_("Choisissez votre propre service, membre du réseau."), code="organisation")
    if not (motivation or "").strip():
        raise ValidationError(
            _("Dites en quelques mots pourquoi vous souhaitez cette visite."), code="motivation"
        )
    if not days:
        raise ValidationError(_("Cochez au moins une date où vous êtes disponible."), code="no_day")
    if any(not round.visits_from <= day <= round.visits_until for day in days):
        raise ValidationError(
            _("Une des dates disponibles est hors de la période des visites."), code="day_outside"
        )
    if any(language not in Language.values for language in languages):
        raise ValidationError(_("Une des langues n'est pas connue."), code="languages")
    if any(kind not in OrganisationKind.values for kind in wanted_kinds):
        raise ValidationError(_("Un des types de services n'est pas connu."), code="wanted_kinds")


def agreement_key(application: Application) -> str:
    return f"exchange-agreement:{application.pk}:{application.manager_nonce}"


def _ask_agreement(application: Application) -> bool:
    """A new link (revoking the one before) and ONE e-mail to the manager carrying it."""
    application.manager_nonce = new_nonce()
    application.save(update_fields=["manager_nonce"])
    return outbox.queue_once(
        dedupe_key=agreement_key(application),
        kind=AgreementKind.REQUEST,
        recipient_email=application.manager_email,
        recipient_name=application.manager_name,
        language=getattr(application.visitor, "language", "fr") or "fr",
        refs={"application": application.pk, "nonce": nonce_ref(application.manager_nonce)},
    )


@transaction.atomic
def apply(
    *,
    offer,
    visitor,
    organisation,
    motivation,
    available_days,
    languages=(),
    wanted_kinds=(),
    offers_return=False,
    manager_name="",
    manager_email="",
    accept_undertaking=False,
    now=None,
) -> Application:
    now = now or timezone.now()
    round = offer.round
    days = sorted({_as_day(day) for day in available_days or []})
    languages, wanted_kinds = list(dict.fromkeys(languages or [])), list(dict.fromkeys(wanted_kinds or []))
    _check(
        round=round,
        offer=offer,
        visitor=visitor,
        organisation=organisation,
        motivation=motivation,
        days=days,
        languages=languages,
        wanted_kinds=wanted_kinds,
        now=now,
    )
    # The visitor's row, locked: two sends of a first application (a double tap) wait for each
    # other, and the second finds the first's row, instead of failing on the unique index.
    User.objects.select_for_update().filter(pk=visitor.pk).first()
    application = Application.objects.select_for_update().filter(round=round, visitor=visitor).first()
    reopened = application is not None and application.withdrawn_at is not None
    if application is not None and not reopened and application.wishes.filter(offer=offer).exists():
        raise ValidationError(_("Vous avez déjà postulé à cette offre."), code="already_applied")
    changes_service = application is not None and application.organisation_id != organisation.pk
    if changes_service and Placement.objects.filter(taking_place_q(), application=application).exists():
        raise ValidationError(
            _("Une visite est confirmée pour cette candidature : son service ne change plus."),
            code="service_fixed",
        )
    if application is not None and (changes_service or reopened):
        # An agreement is one service's, for one application: a new service, or a
        # candidature withdrawn and sent again, is agreed again.
        application.agreed_at, application.agreed_way, application.agreement_recorded_by = None, "", None
    if not accept_undertaking:
        raise ValidationError(
            _("Lisez et acceptez l'engagement de confidentialité du service d'accueil."), code="undertaking"
        )
    agreed = application is not None and application.agreed
    manager_email = (manager_email or "").strip()
    if not agreed:
        if not manager_email:
            raise ValidationError(
                _(
                    "Indiquez l'adresse e-mail du ou de la responsable de votre service : "
                    "son accord est demandé."
                ),
                code="manager_email",
            )
        try:
            validate_email(manager_email)
        except ValidationError:
            raise ValidationError(
                _("L'adresse e-mail du ou de la responsable est invalide."), code="manager_email"
            ) from None
        if manager_email.lower() == visitor.email.lower():
            raise ValidationError(
                _("L'accord vient d'un·e responsable de votre service, pas de vous : indiquez son adresse."),
                code="manager_email",
            )
    new = application is None
    if new:
        application = Application(round=round, visitor=visitor)
    address_changed = (
        new
        or reopened
        or changes_service
        or (manager_email and manager_email.lower() != application.manager_email.lower())
    )
    application.organisation = organisation
    application.motivation = motivation.strip()
    application.available_days = [day.isoformat() for day in days]
    application.languages = languages
    application.wanted_kinds = wanted_kinds
    application.offers_return = bool(offers_return)
    if manager_name or new:
        application.manager_name = (manager_name or "").strip()
    if manager_email:
        application.manager_email = manager_email
    application.withdrawn_at = None
    application.save()
    Wish.objects.update_or_create(
        application=application,
        offer=offer,
        defaults={"undertaking_version": offer.undertaking_version, "undertaking_accepted_at": now},
    )
    if address_changed and not application.agreed:
        _ask_agreement(application)
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)


@transaction.atomic
def agreement_confirm(*, application, now=None) -> Application:
    """The manager's yes, through the signed link (the view has read it)."""
    now = now or timezone.now()
    application = _locked(application)
    if application.withdrawn_at:
        raise ValidationError(_("Cette candidature a été retirée."), code="withdrawn")
    if application.agreed:
        raise ValidationError(_("L'accord du service est déjà enregistré. Merci."), code="already_agreed")
    application.agreed_at, application.agreed_way = now, AgreementWay.MANAGER
    application.save(update_fields=["agreed_at", "agreed_way"])
    return application


@transaction.atomic
def agreement_record(*, application, by, now=None) -> Application:
    """The coordinator records that the applicant's service agrees (told by phone, on paper…)."""
    now = now or timezone.now()
    application = _locked(application)
    if not rules.can_record_agreement(by, application):
        raise ValidationError(_("Seule la coordination enregistre l'accord d'un service."), code="forbidden")
    if application.withdrawn_at:
        raise ValidationError(_("Cette candidature a été retirée."), code="withdrawn")
    if application.agreed:
        raise ValidationError(_("L'accord du service est déjà enregistré."), code="already_agreed")
    application.agreed_at, application.agreed_way = now, AgreementWay.COORDINATOR
    application.agreement_recorded_by = by
    application.save(update_fields=["agreed_at", "agreed_way", "agreement_recorded_by"])
    return application


@transaction.atomic
def application_withdraw(*, application, by, now=None) -> Application:
    now = now or timezone.now()
    application = _locked(application)
    if not by.is_authenticated or application.visitor_id != by.pk:
        raise ValidationError(_("Seule la personne qui a postulé retire sa candidature."), code="forbidden")
    if application.withdrawn_at:
        raise ValidationError(_("Cette candidature est déjà retirée."), code="withdrawn")
    if Placement.objects.filter(application=application, status=PlacementStatus.CONFIRMED).exists():
        raise ValidationError(
            _("Votre visite est confirmée : demandez à la coordination de l'annuler d'abord."),
            code="confirmed_placement",
        )
    application.withdrawn_at = now
    application.save(update_fields=["withdrawn_at"])
    return application


def days_of(application: Application) -> list[date]:
    return sorted(date.fromisoformat(day) for day in application.available_days)


__all__ = [
    "agreement_confirm",
    "agreement_record",
    "application_withdraw",
    "apply",
    "days_of",
    "visitor_organisations",
]

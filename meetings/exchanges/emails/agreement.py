"""The e-mail asking the applicant's manager to confirm that their service agrees.

A row's references: "application", and "nonce" (the first 12 hex digits of the application's
manager nonce, as an integer: outbox references are integer ids). It is rendered when it leaves,
and not at all once the application is gone, withdrawn or agreed, or once a new manager address
gave a new nonce (the link it would carry is revoked). It names the visitor, their service, the
round and the days, and carries the signed link; no case material, and the link's page records
nothing on GET.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    REQUEST = "exchange_agreement", _("« Vis ma vie » : accord du service demandé")


KINDS = tuple(AgreementKind)


def nonce_ref(nonce: str) -> int:
    """The integer standing for NONCE in an outbox row's references."""
    return int(nonce[:12] or "0", 16)


def render(message, cache):
    from meetings.exchanges import tokens
    from meetings.exchanges.models import Application
    from meetings.exchanges.services.applications import days_of
    from meetings.exchanges.services.offers import day_label
    from outbox.rendering import template_email

    applications = cache.setdefault("exchange_applications", {})
    pk = message.refs.get("application")
    if pk not in applications:
        applications[pk] = (
            Application.objects.select_related("round", "visitor", "organisation").filter(pk=pk).first()
        )
    application = applications[pk]
    if application is None or application.withdrawn_at or application.agreed:
        return None
    if not application.manager_nonce or nonce_ref(application.manager_nonce) != message.refs.get("nonce"):
        return None
    context = {
        "recipient_name": message.recipient_name,
        "visitor_name": application.visitor.get_full_name(),
        "organisation": application.organisation.name,
        "round_title": application.round.title,
        "days": [day_label(day) for day in days_of(application)],
        "url": tokens.link_url(application),
    }
    return template_email("exchange-agreement", context)

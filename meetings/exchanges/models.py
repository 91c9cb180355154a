"""« Vis ma vie »: a day spent in another service, offered by hosts and asked for by visitors
within a round of the network, matched by its coordinator.

A round (ExchangeRound) gathers a network's offers and applications for a period. An offer is a
host service's days (OfferDate: a day or half a day each, `capacity` visitors on each), with what
the visitor will see and do, a contact person and the host's confidentiality undertaking (its text
and version). An application is one visitor's, once per round: motivation, available days,
languages, the kinds of services they would like to discover, the offers they name, whether their
own service would host someone in return, and their service's agreement (a manager who confirms
through a signed link, or the coordinator who records it).

A placement is a confirmed pair (an application at one offer's date): it creates the meeting of
kind « Vis ma vie » inviting the host contact and the visitor. The proposals themselves are never
stored: they are computed from the round each time (matching.py), around what is confirmed.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Network, Organisation, OrganisationKind


class Language(models.TextChoices):
    FRENCH = "fr", _("français")
    DUTCH = "nl", _("néerlandais")
    ENGLISH = "en", _("anglais")
    GERMAN = "de", _("allemand")
    ARABIC = "ar", _("arabe")
    SPANISH = "es", _("espagnol")
    PORTUGUESE = "pt", _("portugais")
    TURKISH = "tr", _("turc")


class DayPart(models.TextChoices):
    DAY = "day", _("journée")
    MORNING = "morning", _("matinée")
    AFTERNOON = "afternoon", _("après-midi")


# When each part of a day runs, in Brussels time.
DAY_PART_HOURS: dict[str, tuple[time, time]] = {
    DayPart.DAY: (time(9, 0), time(16, 30)),
    DayPart.MORNING: (time(9, 0), time(12, 30)),
    DayPart.AFTERNOON: (time(13, 30), time(17, 0)),
}


class AgreementWay(models.TextChoices):
    MANAGER = "manager", _("confirmé par un·e responsable du service")
    COORDINATOR = "coordinator", _("enregistré par la coordination")


class ExchangeRound(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="exchange_rounds")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    # Applications are taken until this day; the visits take place between the two others.
    applications_until = models.DateField(_("candidatures jusqu'au"))
    visits_from = models.DateField(_("visites à partir du"))
    visits_until = models.DateField(_("visites jusqu'au"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("créé par")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session d'échanges")
        verbose_name_plural = _("sessions d'échanges")
        ordering = ["-visits_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visits_until__gte=models.F("visits_from")), name="exchange_round_period"
            )
        ]

    def __str__(self):
        return self.title


class Offer(models.Model):
    round = models.ForeignKey(ExchangeRound, on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exchange_offers",
        verbose_name=_("service d'accueil"),
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exchange_offers_hosted",
        verbose_name=_("personne de contact"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("visiteurs par date"),
        default=1,
        help_text=_("Combien de visiteurs le service accueille à chaque date."),
    )
    languages = models.JSONField(_("langues parlées sur place"), default=list)
    activities = models.TextField(_("ce que le visiteur verra et fera"))
    # The host's conditions: its confidentiality undertaking (a new text is a new version, which
    # visitors accept again) and whether the people cared for are told an observer is present.
    undertaking = models.TextField(_("engagement de confidentialité"))
    undertaking_version = models.PositiveIntegerField(default=1, editable=False)
    people_told = models.BooleanField(
        _("les personnes accompagnées sont prévenues de la présence d'un observateur"), default=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("offre d'accueil")
        verbose_name_plural = _("offres d'accueil")
        ordering = ["round", "organisation__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="exchange_offer_capacity")
        ]

    def __str__(self):
        return str(self.organisation)

    @property
    def kind(self) -> str:
        return self.organisation.kind

    def get_kind_display(self) -> str:
        return OrganisationKind(self.organisation.kind).label if self.organisation.kind else ""


class OfferDate(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="dates")
    day = models.DateField(_("date"))
    part = models.CharField(_("durée"), max_length=10, choices=DayPart.choices, default=DayPart.DAY)

    class Meta:
        verbose_name = _("date d'accueil")
        verbose_name_plural = _("dates d'accueil")
        ordering = ["day", "part"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "day", "part"], name="exchange_offer_date_once")
        ]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} ({self.get_part_display()})"


class Application(models.Model):
    round = models.ForeignKey(ExchangeRound, on_delete=models.CASCADE, related_name="applications")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_applications"
    )
    # The visitor's own service, which keeps responsibility for them that day and agrees.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="exchange_applications",
        verbose_name=_("mon service"),
    )
    motivation = models.TextField(_("motivation"))
    available_days = models.JSONField(_("dates disponibles"), default=list)  # ISO dates
    languages = models.JSONField(_("langues"), default=list)
    wanted_kinds = models.JSONField(_("types de services à découvrir"), default=list)
    offers_return = models.BooleanField(
        _("mon service accueillerait quelqu'un en retour"),
        default=False,
        help_text=_(
            "Pas forcément le même jour : un·e collègue du service visité passe une journée chez nous."
        ),
    )
    wished = models.ManyToManyField(Offer, through="Wish", related_name="applications", blank=True)
    # The service's agreement: asked of a manager by e-mail (a signed link) or recorded by the
    # coordinator. Only agreed applications are matched.
    manager_name = models.CharField(_("responsable du service"), max_length=200, blank=True)
    manager_email = models.EmailField(_("e-mail du ou de la responsable"), blank=True)
    manager_nonce = models.CharField(max_length=32, blank=True, editable=False)
    agreed_at = models.DateTimeField(null=True, blank=True, editable=False)
    agreed_way = models.CharField(max_length=12, choices=AgreementWay.choices, blank=True, editable=False)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["round", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "visitor"], name="exchange_application_once")]

    def __str__(self):
        return f"{self.visitor} ({self.round})"

    @property
    def agreed(self) -> bool:
        return self.agreed_at is not None


class Wish(models.Model):
    """An offer the visitor applied to, with the version of its undertaking they accepted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="wishes")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="wishes")
    undertaking_version = models.PositiveIntegerField(null=True, blank=True)
    undertaking_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "offer"], name="exchange_wish_once")]

    def __str__(self):
        return f"{self.application_id} → {self.offer}"


class PlacementStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmée")
    CANCELLED = "cancelled", _("annulée")


class Placement(models.Model):
    """A confirmed visit: APPLICATION's visitor spends OFFER_DATE at its offer's service."""

    round = models.ForeignKey(ExchangeRound, on_delete=models.CASCADE, related_name="placements")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="placements")
    offer_date = models.ForeignKey(OfferDate, on_delete=models.PROTECT, related_name="placements")
    # Who hosts the visit: the offer's contact when it was confirmed. The offer's contact may
    # change later; the visit stays with the person invited to it (its page, its feedback).
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_visits_hosted"
    )
    status = models.CharField(
        max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.CONFIRMED
    )
    # Why the matching proposed it ("réciproque", "langue commune : français"…), or empty when the
    # coordinator paired them by hand.
    reasons = models.JSONField(default=list, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The host's undertaking as the visitor accepted it, before the day.
    undertaking_version = models.PositiveIntegerField(null=True, blank=True)
    undertaking_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("visite")
        verbose_name_plural = _("visites")
        ordering = ["offer_date__day", "pk"]
        constraints = [
            # One confirmed placement per visitor and round (a cancelled one may be replaced).
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="confirmed"),
                name="exchange_one_placement_per_application",
            )
        ]

    def __str__(self):
        return f"{self.application.visitor} → {self.offer_date.offer}"

    def save(self, *args, **kwargs):
        if self.host_id is None:
            self.host_id = self.offer_date.offer.contact_id
        super().save(*args, **kwargs)

    @property
    def undertaking_accepted(self) -> bool:
        """Before the day: whether the visitor accepted the undertaking as the host words it
        now (a new text is accepted again)."""
        return (
            self.undertaking_accepted_at is not None
            and self.undertaking_version == self.offer_date.offer.undertaking_version
        )

    @property
    def undertaking_given(self) -> bool:
        """Once the day has come: whether the visitor accepted the undertaking before it (only
        possible before the day; a new text before the day clears the acceptance of the visits to
        come, services.offers.offer_update). A text changed afterwards undoes no visit."""
        return self.undertaking_accepted_at is not None


class Side(models.TextChoices):
    VISITOR = "visitor", _("visiteur·se")
    HOST = "host", _("accueil")


class Feedback(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_feedback"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    discovered = models.TextField(_("ce que j'ai découvert"))
    will_change = models.TextField(_("ce que je change dans ma pratique"), blank=True)
    share_excerpt = models.BooleanField(
        _("la coordination peut citer ces lignes, avec mon nom, dans le bilan du réseau"), default=False
    )
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("retour de visite")
        verbose_name_plural = _("retours de visite")
        ordering = ["written_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["placement", "author"], name="exchange_feedback_once")]

    def __str__(self):
        return f"{self.author} ({self.get_side_display()})"

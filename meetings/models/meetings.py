"""Meetings (single or occurrences of a series), their agenda and who is invited."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from meetings.models.shared import MeetingFields


def new_uid() -> str:
    return f"{uuid.uuid4()}@concertation"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SCHEDULED = "scheduled", _("prévue")
    CANCELLED = "cancelled", _("annulée")
    HELD = "held", _("tenue")
    CLOSED = "closed", _("clôturée")


# A meeting that takes place, or took place: what attendance, outcomes, certificates and feeds
# are about (drafts and cancelled meetings are not).
TAKING_PLACE = [MeetingStatus.SCHEDULED, MeetingStatus.HELD, MeetingStatus.CLOSED]


class Meeting(MeetingFields):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="meetings")
    group = models.ForeignKey(
        "meetings.StandingGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="meetings"
    )
    series = models.ForeignKey(
        "meetings.Series", on_delete=models.CASCADE, null=True, blank=True, related_name="occurrences"
    )
    # For an occurrence: the start the rule gave it (UTC), its RECURRENCE-ID even once moved.
    recurrence_id = models.DateTimeField(null=True, blank=True, editable=False)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    status = models.CharField(
        _("statut"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # The calendar identity: an occurrence shares its series' UID and is told apart by RECURRENCE-ID.
    uid = models.CharField(max_length=120, default=new_uid, editable=False, db_index=True)
    reminder_before = models.DurationField(
        _("rappel avant la réunion"),
        null=True,
        blank=True,
        help_text=_("Vide : le délai habituel pour ce type."),
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    preparation_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    close_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Self check-in: the code and link are derived from this random value, never stored themselves;
    # a new value revokes both.
    checkin_nonce = models.CharField(max_length=32, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    accreditation_reference = models.CharField(
        _("référence d'accréditation"),
        max_length=100,
        blank=True,
        help_text=_("Vide : celle du groupe, s'il en a une."),
    )
    accreditation_points = models.DecimalField(
        _("points d'accréditation"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["group", "start"]),
            # The windows of the feeds and the agenda (what ends from a date on), and "Réunions à
            # clôturer" (what ended in the last days), without reading the whole table.
            models.Index(fields=["end"], name="meeting_end_idx"),
            # The open meetings of a network (agenda, network feeds), within a window.
            models.Index(fields=["network", "kind", "end"], name="meeting_network_kind_end_idx"),
            # A network's meetings month by month (meeting load's network dashboard).
            models.Index(fields=["network", "start"], name="meeting_network_start_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "recurrence_id"],
                condition=models.Q(series__isnull=False),
                name="one_row_per_occurrence",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self):
        # Titles of confidential kinds may name a situation; names shown by generic tools (the
        # admin, its log, error reports) keep to the kind and the date.
        return f"{self.get_kind_display()} #{self.pk} ({self.start:%Y-%m-%d})"

    @property
    def duration(self):
        return self.end - self.start

    @property
    def is_moved(self) -> bool:
        return self.recurrence_id is not None and self.start != self.recurrence_id

    @property
    def reminder_delay(self):
        return self.reminder_before or self.policy.reminder_before

    @property
    def is_editable(self) -> bool:
        return self.status not in {MeetingStatus.CANCELLED, MeetingStatus.CLOSED}

    @property
    def is_cancellable(self) -> bool:
        """Editable and not yet held: once attendance or an outcome is recorded, certificates
        and exports must not lose it."""
        return self.is_editable and self.status != MeetingStatus.HELD


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("point"), max_length=200)
    planned_minutes = models.PositiveSmallIntegerField(_("minutes prévues"), null=True, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("présenté par"),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("ordre du jour")

    def __str__(self):
        return f"Point #{self.pk}"

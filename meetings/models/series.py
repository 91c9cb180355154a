"""A series of meetings following a recurrence rule, materialised as Meeting rows."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from meetings.models.meetings import new_uid  # one UID scheme for series and meetings
from meetings.models.shared import MeetingFields


class Series(MeetingFields):
    """Recurring sessions of a group or of a network.

    The rule is kept in RFC 5545 form (RRULE without DTSTART) so that calendar feeds and e-mail
    invitations can carry it as it is. DTSTART is the first occurrence, expanded in Europe/Brussels
    wall time so that a 19:00 meeting stays at 19:00 across the changes of time.
    """

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="series")
    group = models.ForeignKey(
        "meetings.StandingGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="series"
    )
    dtstart = models.DateTimeField(_("première séance"))
    duration = models.DurationField(_("durée"), default=timedelta(minutes=90))
    rrule = models.CharField(_("règle de récurrence (RFC 5545)"), max_length=300)
    uid = models.CharField(max_length=120, unique=True, default=new_uid, editable=False)
    # Occurrences exist as Meeting rows up to this instant; a periodic task moves it forward.
    materialised_until = models.DateTimeField(null=True, blank=True, editable=False)
    split_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continuations", editable=False
    )

    class Meta:
        verbose_name = _("série")
        verbose_name_plural = _("séries")
        ordering = ["dtstart"]

    def __str__(self):
        return f"{self.get_kind_display()} — série #{self.pk}"  # titles may name a situation

"""What a meeting and a series both are: the fields they share, and which of them a series
passes to its occurrences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.kinds import Kind, policy_for


class MeetingFields(models.Model):
    """The fields Meeting and Series have with the same meaning. Network and group stay in each
    model: their reverse names (`network.meetings`, `group.series`, ...) differ."""

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    purpose = models.TextField(_("objet"), blank=True)
    place = models.CharField(_("lieu (adresse)"), max_length=300, blank=True)
    online_link = models.URLField(_("lien de visioconférence"), blank=True)
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The calendar's SEQUENCE: raised by every change an attendee must see (time, place,
    # cancellation). An occurrence starts at its series' and follows it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def policy(self):
        return policy_for(self.kind)


# Set when a meeting or a series is created and never edited: a series passes them on, as they
# are, to its occurrences and to the series that continues it after a split.
FIXED_FIELDS = ("kind", "network_id", "group_id", "organiser_id")
# What the organiser writes and may change: a series gives them to its occurrences, an edit of
# the series changes them for all that follow, and an occurrence may change them on its own.
DETAIL_FIELDS = ("title", "purpose", "place", "online_link", "capacity")
# The one list of what an occurrence takes from its series (besides its time, UID and SEQUENCE).
SHARED_FIELDS = (*FIXED_FIELDS, *DETAIL_FIELDS)
# Those details that make an occurrence an override in calendars when they differ from its
# series' (ical.differs_from_rule; the feed queries' `_plain` is its SQL twin).
OVERRIDE_FIELDS = ("title", "place", "online_link")

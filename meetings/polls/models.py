"""Date polls: candidate slots (or, for a series, candidate patterns), who is asked, their
answers, and the busy times imported from a person's own calendar until the poll closes.

A poll is OPEN while people answer (until its deadline), CLOSED when answers stop (the deadline
passed or the organiser stopped them), DECIDED once the meeting or the series it was for exists.
A closed poll may be reopened once, before it is decided.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from meetings.kinds import Kind, policy_for
from meetings.models.invitations import new_nonce
from meetings.polls.zones import BRUSSELS_ZONE

MAX_SLOTS = 100


class PollMode(models.TextChoices):
    MEETING = "meeting", _("une réunion")
    SERIES = "series", _("une série de séances")


class PollStatus(models.TextChoices):
    OPEN = "open", _("ouvert")
    CLOSED = "closed", _("clos")
    DECIDED = "decided", _("décidé")


class InviteChoice(models.TextChoices):
    ALL = "all", _("tous les participants")
    AVAILABLE = "available", _("seulement ceux qui sont disponibles")
    NOBODY = "nobody", _("personne pour l'instant")


class Choice(models.TextChoices):
    YES = "yes", _("oui")
    MAYBE = "maybe", _("si nécessaire")
    NO = "no", _("non")


class Poll(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="polls")
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_polls"
    )
    title = models.CharField(_("titre"), max_length=200)
    # The meeting it will create.
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    group = models.ForeignKey(
        "meetings.StandingGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="polls"
    )
    mode = models.CharField(_("pour"), max_length=10, choices=PollMode.choices, default=PollMode.MEETING)
    purpose = models.TextField(_("objet"), blank=True)
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    online_link = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    duration = models.DurationField(_("durée"))
    # A series' number of sessions (COUNT of each candidate pattern's rule).
    session_count = models.PositiveSmallIntegerField(_("nombre de séances"), null=True, blank=True)
    private = models.BooleanField(
        _("sondage privé"),
        default=False,
        help_text=_("Les participants ne voient ni les noms ni les réponses des autres."),
    )
    deadline = models.DateTimeField(_("date limite des réponses"))
    status = models.CharField(_("statut"), max_length=10, choices=PollStatus.choices, default=PollStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reopened_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the organiser was told that everyone had answered (once per opening).
    complete_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What closing decided.
    chosen_slot = models.ForeignKey(
        "polls.PollSlot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invite_choice = models.CharField(max_length=10, choices=InviteChoice.choices, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    series = models.ForeignKey(
        "meetings.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sondage de date")
        verbose_name_plural = _("sondages de date")
        indexes = [models.Index(fields=["status", "deadline"], name="poll_status_deadline_idx")]

    def __str__(self):
        return self.title

    @property
    def policy(self):
        return policy_for(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN

    @property
    def is_series(self) -> bool:
        return self.mode == PollMode.SERIES


class PollSlot(models.Model):
    """A candidate: a start and end, or for a series a pattern (an RRULE with its first date as
    START), stored as proposed, in UTC like every moment; shown in each person's time zone."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    rrule = models.CharField(_("règle"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "start", "rrule"], name="poll_slot_unique"),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M} {self.rrule}".strip()


class PollParticipant(models.Model):
    """Someone asked: a directory member (USER) or an external address. Answers through a
    signed link carrying NONCE (a new nonce revokes the links sent before), or logged in."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="poll_participations",
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("nom"), max_length=200, blank=True)
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    required = models.BooleanField(_("présence indispensable"), default=False)
    time_zone = models.CharField(_("fuseau horaire"), max_length=64, default=BRUSSELS_ZONE)
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When busy times were last read from the person's own calendar (the address is not kept).
    calendar_read_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "email"], name="poll_participant_unique"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email


class PollAnswer(models.Model):
    participant = models.ForeignKey(PollParticipant, on_delete=models.CASCADE, related_name="answers")
    slot = models.ForeignKey(PollSlot, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(_("réponse"), max_length=5, choices=Choice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "slot"], name="poll_answer_unique"),
        ]

    def __str__(self):
        return f"{self.participant_id}: {self.slot_id} {self.choice}"


class BusyInterval(models.Model):
    """A busy time read from a participant's own calendar, on one of the poll's days: only its
    start and end, nothing of what it is; deleted when the poll closes."""

    participant = models.ForeignKey(PollParticipant, on_delete=models.CASCADE, related_name="busy")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"

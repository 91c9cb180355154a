"""Anonymised case vignettes: written for one meeting, shared with its participants for a while,
then forgotten. After retention only a tombstone remains (title, author, dates) with its read log.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.anonymiser import INVISIBLE
from meetings.anonymiser.replacements import looks_like_a_person
from meetings.bounds import shifted
from meetings.models.meetings import Meeting, MeetingStatus


class VignetteStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    SHARED = "shared", _("partagée")
    WITHDRAWN = "withdrawn", _("retirée")
    PURGED = "purged", _("effacée")


def retention_end(meeting: Meeting) -> datetime:
    """When the vignettes of a meeting stop being readable: its group's number of days after it
    ends (VIGNETTE_RETENTION_DAYS for a meeting outside a group)."""
    days = meeting.group.vignette_retention_days if meeting.group_id else settings.VIGNETTE_RETENTION_DAYS
    return shifted(meeting.end, timedelta(days=days))


class Vignette(models.Model):
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="vignettes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vignettes")
    title = models.CharField(
        _("titre"),
        max_length=120,
        help_text=_("Un titre qui n'identifie personne, par exemple « Un refus de soins »"),
    )
    # The case material. Emptied when the vignette is withdrawn or its retention ends.
    text = models.TextField(_("vignette"), blank=True)
    # Names the author wants removed wherever they appear; needed only until sharing.
    names_to_remove = models.TextField(_("noms à retirer"), blank=True)
    # Passages the author chose to keep, with a reason: [{"kind", "text", "reason"}].
    kept = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=VignetteStatus.choices, default=VignetteStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    readable_until = models.DateTimeField(null=True, blank=True)
    # When the text was emptied, by its author (status withdrawn) or at the end of retention.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vignette")
        verbose_name_plural = _("vignettes")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "readable_until"])]

    def __str__(self):
        return f"Vignette #{self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.status == VignetteStatus.SHARED

    @property
    def has_text(self) -> bool:
        return self.status in {VignetteStatus.DRAFT, VignetteStatus.SHARED}

    @property
    def effective_until(self) -> datetime:
        """When its text stops being readable, by anyone, its author included: the date set at
        sharing (a draft: the end of its meeting's retention), brought forward if the meeting
        moved earlier, its group shortened retention, or the meeting was cancelled. The purge
        empties the text afterwards; reading stops at this date whether it has run or not."""
        meeting = self.meeting
        until = retention_end(meeting)
        if self.readable_until is not None:
            until = min(until, self.readable_until)
        if meeting.status == MeetingStatus.CANCELLED:
            until = min(until, meeting.updated_at)
        return until

    def is_readable_at(self, now: datetime) -> bool:
        """Whether its text may still be shown at now (to whom: meetings.vignettes.rules)."""
        return self.has_text and now < self.effective_until


class VignetteRead(models.Model):
    """Every read of a shared vignette: who and when. The author sees this log, after the text is
    purged too (DESIGN.md, privacy rule 6): deleting a reader's account must not erase it."""

    vignette = models.ForeignKey(Vignette, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lecture de vignette")
        verbose_name_plural = _("lectures de vignettes")
        ordering = ["-read_at"]

    def __str__(self):
        return f"{self.vignette} — {self.reader}"


class KeptTerm(models.Model):
    """A word the anonymiser keeps in the vignettes of a network (every network when none): a
    local service, a project, a place of care that looks like a name ("Le Goéland", "Maison
    Kabasele"). The anonymiser's own lists are data in its package; these are added by a
    coordinator or an administrator in the admin (rules.can_manage_kept_term)."""

    term = models.CharField(
        _("mot ou nom à garder"),
        max_length=120,
        help_text=_(
            "Le nom d'un service, d'un projet ou d'un lieu de soins que la vérification d'anonymat "
            "prend pour un nom de personne ou de lieu. Jamais le nom d'une personne."
        ),
    )
    network = models.ForeignKey(
        "accounts.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kept_terms",
        verbose_name=_("réseau"),
        help_text=_("Vide : pour les vignettes de tous les réseaux."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ajouté par"),
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mot à garder")
        verbose_name_plural = _("mots à garder")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["network", "term"], name="vignettes_kept_term_once_per_network"),
        ]

    def __str__(self):
        return self.term

    def clean(self):
        # One line, without the invisible characters that could make it match where it should
        # not; two letters at least, or it would keep every "d'" or "l'".
        self.term = " ".join(INVISIBLE.sub("", self.term or "").split())
        if sum(c.isalpha() for c in self.term) < 2:
            raise ValidationError({"term": _("Écrivez le mot ou le nom à garder (deux lettres au moins).")})
        if looks_like_a_person(self.term):
            # Kept, a person's name would go through every check of the network's vignettes.
            raise ValidationError(
                {
                    "term": _("« %(term)s » est un nom de personne : il ne peut pas être gardé.")
                    % {"term": self.term}
                }
            )

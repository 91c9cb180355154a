"""One access log for the whole application (DESIGN.md, privacy rule 6): who read which
confidential item, and when. It knows nothing of the apps: each read names its subject (the
thing whose owner sees the log, e.g. "situation:12") and the item read within it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessRecord(models.Model):
    # PROTECT: deleting a reader's account must not erase the trace of what they read.
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lecteur")
    )
    # "situation:12": the app's own key for the thing whose log this is.
    subject = models.CharField(_("sujet"), max_length=80)
    # What was read within it: "note", "plan", "map", ... (each app names its own items).
    item = models.CharField(_("élément"), max_length=40)
    item_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The page it was read from (a path, never its query string).
    path = models.CharField(_("page"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("lu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("accès")
        verbose_name_plural = _("journal des accès")
        ordering = ["-read_at", "-pk"]
        indexes = [models.Index(fields=["subject", "-read_at"]), models.Index(fields=["read_at"])]

    def __str__(self):
        return f"{self.item} — {self.read_at:%Y-%m-%d %H:%M}"

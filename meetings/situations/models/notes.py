"""What professionals share about the person, behind the shared-secrecy gate."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    situation = models.ForeignKey("situations.Situation", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("en quoi ce partage aide la personne"), max_length=300)
    text = models.TextField(_("note"), blank=True)
    # Relatives (and members not bound by secrecy) read only notes marked for them.
    for_relatives = models.BooleanField(_("peut être lue par les proches"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return f"Note #{self.pk}"

"""Who came to a meeting, corrections made after it was closed, and certificates of attendance."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("présent·e")
    LATE = "late", _("en retard")
    EXCUSED = "excused", _("excusé·e")
    ABSENT = "absent", _("absent·e")


ATTENDED = {AttendanceStatus.PRESENT, AttendanceStatus.LATE}


class Attendance(models.Model):
    """One person at one meeting: a user (member or invitee) or an external guest's invitation."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    invitation = models.ForeignKey(
        "meetings.Invitation", on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    status = models.CharField(_("présence"), max_length=10, choices=AttendanceStatus.choices)
    late_minutes = models.PositiveSmallIntegerField(_("minutes de retard"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("s'est signalé·e à"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="one_attendance_per_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "invitation"],
                condition=models.Q(invitation__isnull=False),
                name="one_attendance_per_guest",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(invitation__isnull=False),
                name="attendance_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} — {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED


class AttendanceCorrection(models.Model):
    """A coordinator changed attendance after closing: who, when, why, from what to what."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("motif de la correction"))
    previous_status = models.CharField(max_length=10, choices=AttendanceStatus.choices, blank=True)
    new_status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction de présence")
        verbose_name_plural = _("corrections de présence")
        ordering = ["-corrected_at"]

    def __str__(self):
        return f"{self.attendance} ({self.corrected_at:%Y-%m-%d})"


def new_verification_code() -> str:
    # 80 bits, written in groups for reading over the phone: ABCD-EFGH-JKLM-NPQR.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


class Certificate(models.Model):
    """A certificate of attendance as issued: what it states is frozen when it is issued."""

    code = models.CharField(max_length=19, unique=True, default=new_verification_code, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    meetings = models.ManyToManyField("meetings.Meeting", related_name="certificates")
    holder_name = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    session_count = models.PositiveSmallIntegerField()
    total_minutes = models.PositiveIntegerField()
    # Same meetings, same person: the same certificate (and code) is handed out again.
    fingerprint = models.CharField(max_length=64, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attestation de présence")
        verbose_name_plural = _("attestations de présence")
        constraints = [
            models.UniqueConstraint(fields=["user", "fingerprint"], name="one_certificate_per_content")
        ]

    def __str__(self):
        return self.code


class AccreditationReport(models.Model):
    """A session's attendance list was handed in to the accreditation body (INAMI), by the group's
    rapporteur or its facilitation: the session is no longer "to report"."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="accreditation_report"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("transmise le"))

    class Meta:
        verbose_name = _("présences transmises pour l'accréditation")
        verbose_name_plural = _("présences transmises pour l'accréditation")

    def __str__(self):
        return f"{self.meeting} ({self.reported_at:%Y-%m-%d})"

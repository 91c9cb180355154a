"""Who is invited, to a meeting or to a whole series, and what they answered."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    return secrets.token_hex(16)


class PartStat(models.TextChoices):
    """Answers, named as in RFC 5545 so that calendar replies map one to one."""

    NEEDS_ACTION = "NEEDS-ACTION", _("pas encore répondu")
    ACCEPTED = "ACCEPTED", _("vient")
    TENTATIVE = "TENTATIVE", _("peut-être")
    DECLINED = "DECLINED", _("ne vient pas")


class InvitationRole(models.TextChoices):
    FACILITATOR = "facilitator", _("animation")
    PRESENTER = "presenter", _("présente un point")
    PARTICIPANT = "participant", _("participant·e")
    OPTIONAL = "optional", _("facultatif")
    MINUTES_ONLY = "minutes_only", _("reçoit le compte rendu seulement")
    PERSON_CONCERNED = "person_concerned", _("la personne concernée")
    RELATIVE = "relative", _("un proche")
    NOT_BOUND_BY_SECRECY = "not_bound", _("professionnel·le non tenu·e au secret")

    @classmethod
    def ical_role(cls, role: str) -> str:
        return {
            cls.FACILITATOR: "CHAIR",
            cls.OPTIONAL: "OPT-PARTICIPANT",
            cls.MINUTES_ONLY: "NON-PARTICIPANT",
        }.get(role, "REQ-PARTICIPANT")


# The person concerned and their relatives: no certificate, no attendance export line.
PERSON_ROLES = {InvitationRole.PERSON_CONCERNED, InvitationRole.RELATIVE}
# Roles that only make sense around a person (clinical concertation); none of them reads the
# concertation's clinical minutes (shared professional secrecy).
AROUND_A_PERSON_ROLES = {*PERSON_ROLES, InvitationRole.NOT_BOUND_BY_SECRECY}


class InviteeFields(models.Model):
    """Who: a user of the directory, or an external guest known by an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("nom"), max_length=200, blank=True)
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    role = models.CharField(
        _("rôle"), max_length=20, choices=InvitationRole.choices, default=InvitationRole.PARTICIPANT
    )
    partstat = models.CharField(
        _("réponse"), max_length=16, choices=PartStat.choices, default=PartStat.NEEDS_ACTION
    )
    comment = models.TextField(_("commentaire"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Mixed into the signed answer links; a new nonce revokes every link already sent.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    # The iCalendar SEQUENCE is this person's, not only the meeting's or series': the highest one
    # e-mailed to them (recorded as the e-mail is rendered; empty before the first), so that a
    # calendar answer is judged against what they were sent, not against changes made for others.
    sent_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # How far above the meeting's or series' SEQUENCE their e-mailed calendars are: 0, unless
    # they were removed (the CANCEL went above what they had) and then invited again.
    sequence_offset = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def emailed_sequence(self, sequence: int) -> int:
        """The SEQUENCE of an e-mail to this person about an event whose own is SEQUENCE: above
        the CANCEL they got when removed, and moving up with every change of the event."""
        return sequence + self.sequence_offset

    def oldest_answerable(self, sequence: int) -> int:
        """The oldest SEQUENCE a calendar answer from this person may answer, SEQUENCE being the
        event's own: the one last e-mailed to them. Rows from before it was recorded fall back
        on what the event carries now."""
        if self.sent_sequence is not None:
            return self.sent_sequence
        return self.emailed_sequence(sequence)

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.email
        return self.name or self.email

    @property
    def expects_answer(self) -> bool:
        return self.role != InvitationRole.MINUTES_ONLY


class Invitation(InviteeFields):
    """A person asked to one meeting (or to one occurrence, through a series invitation)."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="invitations")
    series_invitation = models.ForeignKey(
        "meetings.SeriesInvitation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    brings = models.TextField(_("ce que j'apporte"), blank=True)
    looking_for = models.TextField(_("ce que je cherche"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            # Who facilitates what (rules.meetings_facilitated_by): a person's invitations of one role.
            models.Index(fields=["user", "role"], name="invitation_user_role_idx"),
            # A person's answer to each meeting of a list (the feeds' my_answer, read row by row):
            # one probe, not the intersection of the meeting's invitations with all of theirs.
            models.Index(fields=["meeting", "user"], name="invitation_meeting_user_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="one_invitation_per_address")
        ]

    def __str__(self):
        return f"{self.email} → {self.meeting}"


class SeriesInvitation(InviteeFields):
    """A person asked to every occurrence of a series: one e-mail with the rule, one answer."""

    series = models.ForeignKey("meetings.Series", on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        verbose_name = _("invitation à une série")
        verbose_name_plural = _("invitations à des séries")
        constraints = [
            models.UniqueConstraint(fields=["series", "email"], name="one_series_invitation_per_address")
        ]

    def __str__(self):
        return f"{self.email} → {self.series}"

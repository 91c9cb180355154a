"""The sections of a person's data that accounts gives (accounts.personal_data): the account and
profile, the e-mails the outbox holds for them, and their own reads in the access log (the log
imports no app, so accounts speaks for it)."""

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Q

from accounts.models import Network, Professional, User
from accounts.services import addresses_of, erased_email, erased_name
from audit.queries import reads_by
from outbox import services as outbox
from outbox.models import OutboxMessage


def account(user: User, *, confidential: bool) -> dict:
    profile = Professional.objects.filter(user=user).prefetch_related("organisations").first()
    organisations = list(profile.organisations.all()) if profile else []
    through_work = Network.objects.filter(organisations__in=organisations).distinct().order_by("name")
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "email_addresses": [
            {"email": a.email, "primary": a.primary, "verified": a.verified}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # The kind and dates of each second factor, never its secret.
        "second_factors": [
            {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "professional_profile": _profile(profile),
        "organisations": [{"id": o.pk, "name": o.name, "commune": o.commune} for o in organisations],
        "networks": [{"id": n.pk, "name": n.name} for n in through_work],
        "coordinated_networks": [
            {"id": n.pk, "name": n.name} for n in Network.objects.filter(coordinators=user).order_by("name")
        ],
    }


def _profile(profile: Professional | None) -> dict | None:
    if profile is None:
        return None
    return {
        "profession": profile.profession,
        "profession_label": profile.get_profession_display(),
        "fte": profile.fte,
        "bound_by_secrecy": profile.bound_by_secrecy,
        "languages": profile.languages,
        "inami_number": profile.inami_number,
        "monthly_meeting_budget": profile.monthly_meeting_budget,
    }


def _messages_to(user: User, *, erasing: bool = False):
    """Rows naming their account, or sent to one of their addresses (accounts.services.addresses_of)."""
    addresses = addresses_of(user, erasing=erasing)
    return OutboxMessage.objects.filter(Q(refs__user=user.pk) | Q(recipient_email__in=addresses))


def emails(user: User, *, confidential: bool) -> list:
    """What was sent to them and when; never a body (a reset link is nobody's to keep)."""
    return [
        {
            "kind": m.kind,
            "label": m.kind_label,
            "status": m.status,
            "recipient_email": m.recipient_email,
            "created_at": m.created_at,
            "sent_at": m.sent_at,
        }
        for m in _messages_to(user).order_by("created_at", "pk")
    ]


def erase_emails(user: User, *, now: datetime) -> None:
    rows = _messages_to(user, erasing=True)
    outbox.forget_recipient(rows, email=erased_email(user), name=erased_name(user))


def access_log(user: User, *, confidential: bool) -> list:
    """Their own reads of confidential material. Kept on erasure: the log is evidence, and its
    owners see the reader's tombstone name; it leaves with ACCESS_LOG_RETENTION_DAYS."""
    return [
        {
            "subject": r.subject,
            "item": r.item,
            "item_id": r.item_id,
            "page": r.path,
            "read_at": r.read_at,
        }
        for r in reads_by(user)
    ]

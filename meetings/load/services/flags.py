"""Setting a health flag aside: a coordinator of the network says why, and the flag no longer
shows for that subject (health.network_flags filters it out). Flags are computed, not stored:
the dismissal keeps the flag's code and subject_key, its identity. Dismissing again replaces
the reason; a flag whose subject changes (another pair of series, another year) is another flag."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Network, User
from meetings.load import health, rules
from meetings.load.models import FlagDismissal


def dismiss_flag(*, network: Network, flag: str, subject_key: str, reason: str, by: User) -> FlagDismissal:
    if not rules.can_see_network_load(by, network):
        raise PermissionDenied(_("Seule la coordination du réseau peut écarter un signal."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Dites pourquoi vous écartez ce signal."), code="reason_required")
    if flag not in health.CODES or not subject_key:
        raise ValidationError(_("Ce signal n'existe pas."), code="unknown_flag")
    dismissal = FlagDismissal.objects.filter(network=network, flag=flag, subject_key=subject_key).first()
    dismissal = dismissal or FlagDismissal(network=network, flag=flag, subject_key=subject_key)
    dismissal.reason, dismissal.dismissed_by = reason, by
    dismissal.full_clean()
    dismissal.save()
    return dismissal

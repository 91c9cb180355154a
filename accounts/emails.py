"""The accounts' e-mails, rendered by the outbox (kinds registered in AccountsConfig.ready()).

- ACCOUNT_INVITATION: templates/emails/account-invitation-*, rendered when the row leaves, so the
  link to choose a password is made then (nothing secret waits in the outbox, and the link is
  valid for its full time however late the mail server came back). References: "user", "inviter".
- ALLAUTH: django-allauth's own messages (password reset, e-mail confirmation, notifications),
  rendered by allauth with its templates when queued (accounts.adapters) and sent as stored.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from outbox.models import OutboxMessage
from outbox.rendering import template_email

ACCOUNT_INVITATION = "account_invitation"
ALLAUTH = "allauth"

LABELS = {ACCOUNT_INVITATION: _("invitation à créer son compte"), ALLAUTH: _("message du compte")}


def render_account_invitation(message: OutboxMessage, cache: dict) -> EmailMultiAlternatives | None:
    """A link for the invited person to choose a password (allauth's reset key, valid a few
    days); nothing to send once they have one, or if the account is gone or deactivated."""
    user = User.objects.filter(pk=message.refs.get("user"), is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    inviter = User.objects.filter(pk=message.refs.get("inviter")).first()
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return template_email(
        "account-invitation", {"user": user, "inviter": inviter, "link": settings.SITE_URL + path}
    )

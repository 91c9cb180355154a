import ipaddress

from allauth import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from accounts.emails import ALLAUTH
from accounts.models import User
from outbox import services as outbox


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Closed by default: coordinators invite the people of their network.
        return settings.SIGNUP_OPEN

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key that ACCOUNT_RATE_LIMITS' "login_failed" counts per: the account typed *and*
        the client's address. allauth keys on the account alone, so that anyone anywhere could
        lock a person out, and a hospital's colleagues behind one public address would share one
        person's typos. The per-address ceiling stays in the "ip" rate.

        The typed e-mail is used whether or not an account has it: the lock-out says nothing
        about which addresses exist.
        """
        return (
            f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self._client_network(request)}"
        )

    def _client_network(self, request) -> str:
        # As allauth's own per-address limits: an IPv6 client counts by its /64 network, inside
        # which addresses change on their own (privacy extensions).
        address = self.get_client_ip(request)
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return address
        if parsed.version == 6:
            prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
            return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False).network_address)
        return str(parsed)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """django-allauth's messages (password reset, e-mail confirmation, …) go through the
        outbox like every e-mail: rendered now with allauth's templates, in the language of the
        account they concern (else the page's), and queued in the current transaction.

        They are stored rendered because allauth hands over a context of objects (the request,
        the user, an e-mail confirmation) and secrets made for this moment (a reset key, a
        code kept in the session) that no primitive id could rebuild when the row leaves. The
        outbox empties their bodies once they are sent.
        """
        request = allauth_context.request
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = getattr(user, "language", "") or translation.get_language() or settings.LANGUAGE_CODE
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        outbox.queue_rendered(
            kind=ALLAUTH,
            email=message,
            language=language,
            recipient_name=user.get_full_name() if user else "",
            refs={"user": user.pk} if user else None,
        )

"""A second factor for the people who hold the keys (REQUIRE_MFA_FOR_COORDINATORS)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from accounts import queries, rules

# What a person without their second factor may still open: allauth's pages that set it up
# (with the password asked again, and a pending e-mail confirmation, which setting up requires),
# logging out and the language switch. Views marked @login_not_required stay open too: they are
# public anyway.
SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_email",
        "account_logout",
        "set_language",
    }
)


class RequireSecondFactorMiddleware:
    """With REQUIRE_MFA_FOR_COORDINATORS, a superuser or network coordinator without an active
    TOTP is sent to its setup page from every other page, until it is set up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_MFA_FOR_COORDINATORS or not request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True) or request.path_info.startswith(
            settings.STATIC_URL
        ):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in SETUP_URL_NAMES:
            return None
        if not rules.must_use_second_factor(request.user):
            return None
        if queries.has_second_factor(request.user):
            return None
        messages.warning(
            request,
            _(
                "La double authentification est obligatoire pour les coordinateur·rices de réseau et "
                "les administrateur·rices : configurez-la pour continuer."
            ),
        )
        setup = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(setup)
        return redirect(setup)

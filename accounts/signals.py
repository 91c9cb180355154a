"""Receivers for allauth's signals; each one calls a service."""

from allauth.account.signals import password_reset
from django.dispatch import receiver

from accounts import services


@receiver(password_reset)
def verify_email_on_password_reset(sender, request, user, **kwargs):
    # The reset link reached this address, which proves the person owns it. This is how
    # invited colleagues get a verified address when they choose their password.
    services.mark_email_verified(user=user)

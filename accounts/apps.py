from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes et répertoire")

    def ready(self):
        from accounts import emails, signals  # noqa: F401  (signals connects the receivers)
        from outbox import registry
        from outbox.rendering import render_stored

        registry.register(
            emails.ACCOUNT_INVITATION,
            emails.render_account_invitation,
            label=emails.LABELS[emails.ACCOUNT_INVITATION],
        )
        # Rendered by django-allauth when queued (accounts.adapters), sent as stored.
        registry.register(emails.ALLAUTH, render_stored, label=emails.LABELS[emails.ALLAUTH])

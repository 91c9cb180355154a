from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes et répertoire")
    scale = "accounts.scale.seed"

    def ready(self):
        from accounts import emails, personal_data, personal_sections, signals  # noqa: F401  (receivers)
        from outbox import registry
        from outbox.rendering import render_stored

        registry.register(
            emails.ACCOUNT_INVITATION,
            emails.render_account_invitation,
            label=emails.LABELS[emails.ACCOUNT_INVITATION],
        )
        # Rendered by django-allauth when queued (accounts.adapters), sent as stored.
        registry.register(emails.ALLAUTH, render_stored, label=emails.LABELS[emails.ALLAUTH])

        # A person's data: the account first; the apps above add theirs from their own ready().
        personal_data.register("account", personal_sections.account)
        personal_data.register("emails", personal_sections.emails, erase=personal_sections.erase_emails)
        personal_data.register("access_log", personal_sections.access_log)

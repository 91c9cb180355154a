from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Réunions")

    def ready(self):
        from meetings.feeds.versioning import register_feed_hash

        # SQLite has no hash function of its own for the feeds' versions.
        connection_created.connect(register_feed_hash, dispatch_uid="meetings.feed_hash")

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "meetings.calendar"
    label = "calendar"
    verbose_name = _("Agendas et abonnements")
    scale = "meetings.calendar.scale.seed"

    def ready(self):
        from accounts import personal_data as personal
        from meetings.calendar import personal_data
        from meetings.calendar.feeds.versioning import register_feed_hash

        # SQLite has no hash function of its own for the feeds' versions.
        connection_created.connect(register_feed_hash, dispatch_uid="calendar.feed_hash")
        personal.register("calendar", personal_data.export, erase=personal_data.erase)

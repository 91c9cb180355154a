"""Admin pages for support staff: kinds and dates of meetings, never their confidential content.
Each capability app registers its own models in its admin module."""

from django.contrib import admin

from meetings.models import Meeting, StandingGroup


@admin.register(StandingGroup)
class StandingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network", "max_size", "charter_version"]
    list_filter = ["kind", "network"]
    search_fields = ["name"]
    exclude = ["charter"]
    # Named by the network's coordinator among the members, on the group page.
    readonly_fields = ["rapporteur"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["start", "kind", "group", "network", "status"]
    list_filter = ["kind", "status", "network"]
    date_hierarchy = "start"
    # Titles and purposes of concertations may name a situation: support staff see kinds and dates.
    fields = ["kind", "network", "group", "status", "start", "end", "organiser"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

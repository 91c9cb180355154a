"""Admin pages for support staff: situations appear by their number, status and dates only —
never the pseudonym, a note, the map or the plan (DESIGN.md, privacy rules 1 and 8); nothing is
editable here."""

from django.contrib import admin
from django.db.models import Count

from meetings.situations.models import Situation


@admin.register(Situation)
class SituationAdmin(admin.ModelAdmin):
    list_display = ["pk", "network", "status", "created_at", "closed_at", "member_count"]
    list_filter = ["status", "network"]
    fields = ["network", "status", "origin", "created_at", "closed_at", "purged_at"]
    readonly_fields = fields
    search_fields: list[str] = []  # searching would mean matching pseudonyms

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("network").annotate(member_count=Count("members"))

    @admin.display(description="membres", ordering="member_count")
    def member_count(self, situation):
        return situation.member_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

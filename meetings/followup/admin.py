"""Admin pages for support staff: metadata only, nothing confidential is editable
(DESIGN.md, privacy rule 1)."""

from django.contrib import admin

from meetings.followup.models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Read-only: handing an action to someone else would show them its description."""

    list_display = ["pk", "owner", "due_date", "status", "origin_id"]
    list_filter = ["status"]
    fields = ["owner", "due_date", "status", "created_by", "created_at", "closed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin

from audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read only: the log is evidence, nobody edits or deletes it here."""

    list_display = ["read_at", "reader", "item", "path"]
    list_filter = ["item"]
    readonly_fields = ["reader", "subject", "item", "item_id", "path", "read_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

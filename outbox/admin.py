"""The outbox for support staff: what left, what failed and why. Read-only, and without the
stored bodies of messages still waiting (a password reset's link is nobody else's to read)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind_label", "recipient_email", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient_email"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "recipient_email",
        "recipient_name",
        "language",
        "refs",
        "subject",
        "status",
        "attempts",
        "last_error",
        "send_after",
        "claimed_at",
        "sent_at",
        "message_id",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("type"))
    def kind_label(self, message: OutboxMessage) -> str:
        return message.kind_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

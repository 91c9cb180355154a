"""Admin pages for support staff: metadata only, nothing confidential is editable
(DESIGN.md, privacy rule 1)."""

from django.contrib import admin

from meetings.attendance.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "holder_name", "period_start", "period_end", "session_count", "issued_at"]
    search_fields = ["code", "holder_name"]
    fields = [
        "code",
        "holder_name",
        "period_start",
        "period_end",
        "session_count",
        "total_minutes",
        "issued_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

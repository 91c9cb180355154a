"""Admin pages for support staff. Case material never shows here: vignettes appear with their
metadata only (DESIGN.md, privacy rule 1), and nothing confidential is editable."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from meetings.models import Action, Certificate, Meeting, StandingGroup, Vignette


@admin.register(StandingGroup)
class StandingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network", "max_size", "charter_version"]
    list_filter = ["kind", "network"]
    search_fields = ["name"]
    exclude = ["charter"]


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


@admin.register(Vignette)
class VignetteAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "meeting_id",
        "author",
        "status",
        "created_at",
        "shared_at",
        "readable_until",
        "read_count",
    ]
    list_filter = ["status"]
    fields = [
        "meeting",
        "author",
        "status",
        "created_at",
        "shared_at",
        "readable_until",
        "purged_at",
        "read_count",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(read_count=Count("reads"))

    @admin.display(description=_("lectures de vignettes"), ordering="read_count")
    def read_count(self, vignette: Vignette) -> int:
        return vignette.read_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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

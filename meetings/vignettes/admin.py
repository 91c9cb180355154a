"""Admin pages for support staff. Case material never shows here: vignettes appear with their
metadata only (DESIGN.md, privacy rule 1), and nothing is editable."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from meetings.vignettes.models import Vignette


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

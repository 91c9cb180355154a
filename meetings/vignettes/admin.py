"""Admin pages for support staff. Case material never shows here: vignettes appear with their
metadata only (DESIGN.md, privacy rule 1), and nothing is editable.

The words the anonymiser keeps (KeptTerm) are the one thing edited here: by an administrator for
every network, by a coordinator (with a staff account) for the networks they coordinate
(rules.can_manage_kept_term)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from meetings.vignettes import rules
from meetings.vignettes.models import KeptTerm, Vignette


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


@admin.register(KeptTerm)
class KeptTermAdmin(admin.ModelAdmin):
    list_display = ["term", "network_or_all", "added_by", "created_at"]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["term"]
    fields = ["term", "network"]
    list_select_related = ["network", "added_by"]

    @admin.display(description=_("réseau"), ordering="network__name")
    def network_or_all(self, kept_term: KeptTerm) -> str:
        return str(kept_term.network) if kept_term.network_id else _("tous les réseaux")

    def get_queryset(self, request):
        return rules.kept_terms_managed_by(request.user).select_related("network", "added_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network":
            kwargs["queryset"] = rules.networks_for_kept_terms(request.user)
            # Only an administrator keeps a word in every network.
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not rules.can_manage_kept_term(request.user, obj.network):
            raise PermissionDenied
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return rules.can_manage_kept_terms(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request):
        return rules.can_manage_kept_terms(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)

    @staticmethod
    def _may(request, obj) -> bool:
        if obj is None:
            return rules.can_manage_kept_terms(request.user)
        return rules.can_manage_kept_term(request.user, obj.network)

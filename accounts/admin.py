from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import personal_data, services
from accounts.models import Network, Organisation, Professional, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["export_personal_data", "erase_personal_data"]

    def has_delete_permission(self, request, obj=None):
        # Deleting an account would fail on what others keep of it (actions, vignettes, the
        # access log) or take its attendance with it: a person who leaves is erased instead.
        return False

    @admin.action(description=_("Exporter les données personnelles (JSON)"), permissions=["change"])
    def export_personal_data(self, request, queryset):
        """The administrator's copy for one person: what the admin pages show of them, never
        content the rules reserve to the people taking part (accounts.personal_data)."""
        if queryset.count() != 1:
            self.message_user(request, gettext("Choisissez une seule personne à la fois."), messages.WARNING)
            return None
        person = queryset.get()
        self.log_change(request, person, gettext("Données personnelles exportées."))
        filename = f"donnees-personnelles-{person.pk}-{timezone.localdate():%Y-%m-%d}.json"
        return personal_data.attachment(person, confidential=False, filename=filename)

    @admin.action(description=_("Effacer les données personnelles"), permissions=["change"])
    def erase_personal_data(self, request, queryset):
        """A confirmation page first; then services.erase_person for each selected account."""
        people = list(queryset.order_by("pk"))
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Effacer les données personnelles"),
                "opts": self.model._meta,
                "people": people,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(request, "admin/accounts/user/erase_confirmation.html", context)
        erased = 0
        for person in people:
            try:
                person = services.erase_person(user=person, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.log_change(request, person, gettext("Données personnelles effacées."))
            erased += 1
        if erased:
            self.message_user(
                request, gettext("Données personnelles effacées : %(count)s compte(s).") % {"count": erased}
            )
        return None


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "last_verified"]
    list_filter = ["kind", "networks"]
    search_fields = ["name", "commune", "public_served"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name"]
    filter_horizontal = ["organisations", "coordinators"]


@admin.register(Professional)
class ProfessionalAdmin(admin.ModelAdmin):
    list_display = ["user", "profession", "fte", "bound_by_secrecy"]
    list_filter = ["profession", "bound_by_secrecy"]
    search_fields = ["user__email", "user__last_name"]
    filter_horizontal = ["organisations"]
    list_select_related = ["user"]

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import personal_data, queries, rules, services, todo
from accounts.forms import DirectorySearchForm, InamiNumberForm, InviteProfessionalForm, OrganisationForm
from accounts.models import Organisation


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: the process answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "professional", None)
    context = {
        "profile": profile,
        "organisations": profile.organisations.all() if profile else [],
        "coordinated_networks": rules.coordinated_networks(request.user),
        "search_form": DirectorySearchForm(),
        "todos": todo.todos(request.user, now=timezone.now()),
    }
    return render(request, "home.html", context)


def profile(request: HttpRequest) -> HttpResponse:
    """One's own account: e-mail addresses, password, the second factor (TOTP); and, for a
    professional, their INAMI number (POST saves it)."""
    profile = getattr(request.user, "professional", None)
    inami_form = None
    if profile is not None:
        inami_form = InamiNumberForm(
            request.POST or None, initial={"inami_number": profile.inami_display}, auto_id="inami_%s"
        )
        if request.method == "POST" and inami_form.is_valid():
            services.professional_set_inami_number(
                professional=profile, number=inami_form.cleaned_data["inami_number"]
            )
            messages.success(request, _("Votre numéro INAMI est enregistré."))
            return redirect("profile")
    context = {
        "profile": profile,
        "inami_form": inami_form,
        "second_factor_active": queries.has_second_factor(request.user),
        "second_factor_required": settings.REQUIRE_MFA_FOR_COORDINATORS
        and rules.must_use_second_factor(request.user),
    }
    return render(request, "accounts/profile.html", context)


@never_cache
@require_GET
def personal_data_download(request: HttpRequest) -> HttpResponse:
    """Everything the application holds about the person logged in, as one JSON file: their own
    copy, with what the rules let them read. Nobody else's: the URL names no one."""
    filename = f"mes-donnees-concertation-{timezone.localdate():%Y-%m-%d}.json"
    return personal_data.attachment(request.user, confidential=True, filename=filename)


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "organisations": queries.search_organisations(query),
        "can_invite": rules.can_invite_people(request.user),
    }
    template = "accounts/_directory_results.html" if request.htmx else "accounts/directory.html"
    return render(request, template, context)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        organisation = queries.organisation_with_people(pk)
    except Organisation.DoesNotExist:
        raise Http404 from None
    context = {
        "organisation": organisation,
        "can_edit": rules.can_edit_organisation(request.user, organisation),
    }
    return render(request, "accounts/organisation_detail.html", context)


def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not rules.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in OrganisationForm.Meta.fields}
        services.organisation_update(
            organisation=organisation, data=data, verified=form.cleaned_data["verified"]
        )
        messages.success(request, _("La fiche a été enregistrée."))
        return redirect("accounts:organisation", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


def invite_professional(request: HttpRequest) -> HttpResponse:
    if not rules.can_invite_people(request.user):
        raise PermissionDenied
    networks = rules.networks_open_to_invitations(request.user)
    form = InviteProfessionalForm(request.POST or None, networks=networks, initial={"language": "fr"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.professional_invite(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organisation=data["organisation"],
            profession=data["profession"],
            network=data["network"],
            language=data["language"],
            by=request.user,
        )
        messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": user.email})
        return redirect("accounts:directory")
    return render(request, "accounts/invite.html", {"form": form})

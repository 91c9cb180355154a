"""The notes of a situation: the gate decides who reads them; the form reminds to share only
what is necessary."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from meetings.situations.forms import NoteForm
from meetings.situations.lookups import situation_or_404
from meetings.situations.rules import can_write_note
from meetings.situations.services import notes as note_services
from meetings.situations.services.consent import SHARING_WITHDRAWN


@never_cache
def note_list(request: HttpRequest, pk: int) -> HttpResponse:
    situation, access = situation_or_404(request, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        if not access.sharing_allowed:
            messages.error(request, SHARING_WITHDRAWN)
            return redirect("situations:notes", pk=pk)
        if not can_write_note(request.user, situation):
            raise PermissionDenied
        if form.is_valid():
            try:
                note_services.note_create(situation=situation, author=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Note partagée."))
                return redirect("situations:notes", pk=pk)
    notes = note_services.notes_read(
        situation=situation, reader=request.user, path=request.path
    )  # PermissionDenied: 403
    context = {
        "situation": situation,
        "access": access,
        "notes": notes,
        "form": form if can_write_note(request.user, situation) else None,
    }
    return render(request, "situations/notes.html", context)

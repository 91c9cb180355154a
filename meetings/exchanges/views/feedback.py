"""/exchanges/visits/<pk>/feedback/: each side's feedback after the visit. GET shows the form
(or what they wrote, or why there is none), POST writes it (services/feedback.py).

A visit is seen by its two sides and the round's coordinators (404 for anyone else); only the two
sides write, once the visit took place."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetings.exchanges.feedback_forms import FeedbackForm
from meetings.exchanges.models import Feedback
from meetings.exchanges.services import feedback as services
from meetings.exchanges.views.visits import placement_or_404


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    placement = placement_or_404(request, pk)
    now = timezone.now()
    side = services.side_of(request.user, placement)
    mine = Feedback.objects.filter(placement=placement, author=request.user).first() if side else None
    form, status = None, 200
    refusal = None if mine else services.refusal(placement=placement, author=request.user, now=now)
    if side and mine is None and refusal is None:
        form = FeedbackForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.feedback_write(
                    placement=placement, author=request.user, now=now, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Merci, votre retour est enregistré."))
                return redirect("exchanges:feedback", pk=placement.pk)
        if request.method == "POST":
            status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "placement": placement,
        "offer_date": placement.offer_date,
        "side": side,
        "mine": mine,
        "form": form,
        "refusal": " ".join(refusal.messages) if refusal and side else "",
    }
    return render(request, "exchanges/feedback.html", context, status=status)


urlpatterns = [
    path("exchanges/visits/<int:pk>/feedback/", feedback, name="feedback"),
]

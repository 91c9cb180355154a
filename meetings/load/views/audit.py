"""The yearly review of a series: the question and its answer (GET shows, POST records)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetings.load import review_queries, rules
from meetings.load.review_forms import ReviewAnswerForm
from meetings.load.services import reviews
from meetings.models import Series


def _series_or_404(request: HttpRequest, pk: int) -> Series:
    """The series, to whoever sees it (rules.series_seen_by); others get a 404."""
    if not request.user.is_authenticated:
        raise Http404
    series = (
        Series.objects.filter(Q(pk=pk) & rules.series_seen_by(request.user))
        .select_related("network", "group", "organiser")
        .first()
    )
    if series is None:
        raise Http404
    return series


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "HEAD", "POST"])
def series_review(request: HttpRequest, pk: int) -> HttpResponse:
    series = _series_or_404(request, pk)
    if not rules.can_review_series(request.user, series):
        raise PermissionDenied
    now = timezone.now()
    review = review_queries.current_review(series)
    open_review = review if review is not None and not review.answer else None
    mergeable = (
        list(review_queries.mergeable_series(open_review, request.user, now=now)) if open_review else []
    )
    form = ReviewAnswerForm(request.POST if request.method == "POST" else None, mergeable=mergeable)
    if request.method == "POST":
        if open_review is None:
            messages.error(request, _("Aucune revue de cette série n'attend de réponse."))
            return redirect("load:series_review", pk=series.pk)
        if form.is_valid():
            data = form.cleaned_data
            other = None
            if data.get("merge_with"):
                other = Series.objects.filter(pk=data["merge_with"]).first()
                if other is None:
                    form.add_error("merge_with", _("Cette série n'existe pas."))
            if not form.errors:
                try:
                    reviews.review_answer(
                        review=open_review,
                        by=request.user,
                        answer=data["answer"],
                        reason=data["reason"],
                        merge_with=other,
                        now=now,
                    )
                except ValidationError as error:
                    form.add_error(None, _error_text(error))
                else:
                    messages.success(request, _("Votre réponse est enregistrée."))
                    return redirect("load:series_review", pk=series.pk)
    context = {
        "series": series,
        "review": review,
        "open_review": open_review,
        "form": form,
        "summary": review_queries.year_summary(series, review, now=now),
        "stopped_for_lack_of_answer": bool(open_review and open_review.stopped_at),
    }
    return render(request, "load/series_review.html", context)


urlpatterns = [
    path("load/series/<int:pk>/review/", series_review, name="series_review"),
]

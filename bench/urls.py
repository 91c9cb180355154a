"""The project's URLs plus the load test's floor (see bench/settings.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from concertation.urls import handler500  # noqa: F401 (the product's error pages here too)
from concertation.urls import urlpatterns as project_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    """The base layout and nothing else, for a logged-in person: what every page pays (the
    middleware, the session, the user, the layout's menu) and no page adds. No view of the
    product is that light, hence this one. LoginRequiredMiddleware sends anyone without a
    session to the login page, as it does for every page of the product."""
    return render(request, "base.html")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *project_urlpatterns]

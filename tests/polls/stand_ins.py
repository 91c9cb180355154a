"""Stand-ins for the poll page and the answer page (polls:detail, polls:answer) while they are
not in this branch: the project's URLs with them added, used only when those names do not
resolve. Once the real views are there, the fixture changes nothing."""

import pytest
from django.http import HttpResponse
from django.urls import NoReverseMatch, URLResolver, include, path, reverse

STAND_INS = [("polls/<int:pk>/", "detail"), ("polls/<int:pk>/answer/", "answer")]


def _stand_in(request, pk):
    return HttpResponse(f"poll {pk}")


def _patterns():
    from concertation import urls as project
    from meetings.polls import urls as polls

    names = {getattr(p, "name", None) for p in polls.urlpatterns}
    extra = [path(route, _stand_in, name=name) for route, name in STAND_INS if name not in names]
    kept = [p for p in project.urlpatterns if not (isinstance(p, URLResolver) and p.app_name == "polls")]
    return [*kept, path("", include(([*polls.urlpatterns, *extra], "polls")))]


urlpatterns = []


@pytest.fixture
def poll_urls(settings):
    try:
        reverse("polls:detail", args=[1])
        reverse("polls:answer", args=[1])
    except NoReverseMatch:
        urlpatterns[:] = _patterns()
        settings.ROOT_URLCONF = __name__
    yield

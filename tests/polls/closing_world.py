"""What the closing tests share: answers written directly (as the answering pages will), and a
URL configuration where the answering pages' names exist even before those pages do (a stub
stands in for any of them missing, so that e-mails and pages can link to them)."""

import pytest
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

import concertation.urls as root
from meetings.polls import urls as polls_urls
from meetings.polls.models import PollAnswer

STUB = "answer page stub"


def _stub(request, **kwargs):
    return HttpResponse(STUB)


_known = {getattr(p, "name", None) for p in polls_urls.urlpatterns}
_stubs = [
    path(route, _stub, name=name)
    for route, name in [
        ("polls/<int:pk>/answer/", "answer"),
        ("polls/<int:pk>/a/<str:token>/", "answer_link"),
    ]
    if name not in _known
]

urlpatterns = [p for p in root.urlpatterns if getattr(p, "app_name", None) != "polls"] + [
    path("", include(([*polls_urls.urlpatterns, *_stubs], "polls")))
]


def answering_is_stubbed() -> bool:
    return "answer" not in _known


@pytest.fixture
def poll_urls(settings):
    settings.ROOT_URLCONF = "tests.polls.closing_world"


def answer(participant, choices: dict) -> None:
    """PARTICIPANT answers {slot: "yes" | "maybe" | "no"}."""
    for slot, choice in choices.items():
        PollAnswer.objects.update_or_create(participant=participant, slot=slot, defaults={"choice": choice})
    participant.answered_at = timezone.now()
    participant.save(update_fields=["answered_at"])

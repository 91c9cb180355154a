"""/polls/new/: a new poll, its slots entered one by one, generated, or series patterns."""

from django.urls import path

urlpatterns = [
    # path("polls/new/", poll_new, name="create"),
    # path("polls/new/preview/", slots_preview, name="preview"),   (htmx: the slots a form would make)
]

"""Who is asked: add people (directory, a whole group, external addresses), mark them required,
send a new link, remove; the people picker's search among the poll's network."""

from django.urls import path

urlpatterns = [
    # path("polls/<int:pk>/participants/", participants_add, name="participants_add"),
    # path("polls/<int:pk>/participants/<int:pid>/required/", ..., name="participant_required"),
    # path("polls/<int:pk>/participants/<int:pid>/new-link/", ..., name="participant_link"),
    # path("polls/<int:pk>/participants/<int:pid>/remove/", ..., name="participant_remove"),
    # path("polls/<int:pk>/people/", people_search, name="people"),
]


def manage_context(request, poll) -> dict:
    """What the poll page's "Participants" section (templates/polls/_participants.html) needs,
    for who manages the poll."""
    return {}

"""/polls/: the polls I organise and those I am asked to answer."""

from django.urls import path

urlpatterns = [
    # path("polls/", polls_list, name="list"),
]

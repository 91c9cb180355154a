"""Answering: one phone screen, yes / if need be / no per slot, through a signed link (no account)
or logged in; the person's own busy times as conflicts, from the application and from the address
of their own calendar. GET shows, POST records (privacy rule 7)."""

from django.urls import path

urlpatterns = [
    # path("polls/<int:pk>/answer/", answer_mine, name="answer"),
    # path("polls/<int:pk>/answer/calendar/", calendar_mine, name="calendar"),
    # path("polls/<int:pk>/a/<str:token>/", answer_link, name="answer_link"),
    # path("polls/<int:pk>/a/<str:token>/calendar/", calendar_link, name="calendar_link"),
]

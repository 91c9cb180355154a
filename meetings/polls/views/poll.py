"""A poll's page (results, ranked, for its organiser; what a participant may see), and closing:
decide on a slot (the meeting or series is created and invited), stop answers, reopen once."""

from django.urls import path

urlpatterns = [
    # path("polls/<int:pk>/", poll_detail, name="detail"),
    # path("polls/<int:pk>/close/", poll_close, name="close"),
    # path("polls/<int:pk>/stop/", poll_stop, name="stop"),
    # path("polls/<int:pk>/reopen/", poll_reopen, name="reopen"),
]

from django.urls import path

from meetings.calendar import views as feeds

app_name = "calendar"

urlpatterns = [
    # First: calendar applications ask for their feeds around the clock.
    path("calendar/feed/<str:token>.ics", feeds.feed, name="feed"),
    # A network's public feed, by the signed token of its address (no longer by the network's id).
    path("calendar/network/<str:token>.ics", feeds.network_feed, name="network_feed"),
    path("calendar/", feeds.calendar_page, name="calendar"),
    path("calendar/<int:pk>/revoke/", feeds.calendar_revoke, name="calendar_revoke"),
    path("calendar/network/<int:pk>/public/", feeds.network_public_feed, name="network_public_feed"),
]

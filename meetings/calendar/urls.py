from django.urls import path

from meetings.calendar import views as feeds

app_name = "calendar"

urlpatterns = [
    # First: calendar applications ask for their feeds around the clock.
    path("calendar/feed/<str:token>.ics", feeds.feed, name="feed"),
    path("calendar/network/<int:network_id>.ics", feeds.network_feed, name="network_feed"),
    path("calendar/", feeds.calendar_page, name="calendar"),
    path("calendar/<int:pk>/revoke/", feeds.calendar_revoke, name="calendar_revoke"),
]

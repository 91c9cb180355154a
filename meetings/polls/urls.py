from meetings.polls.views import answer, create, listing, participants, poll

app_name = "polls"

# Each part of the app keeps its own patterns beside its views, all under /polls/.
urlpatterns = [
    *listing.urlpatterns,
    *create.urlpatterns,
    *poll.urlpatterns,
    *participants.urlpatterns,
    *answer.urlpatterns,
]

from meetings.exchanges.views import applications, feedback, home, matching, offers, report, rounds, visits

app_name = "exchanges"

# Each part of the app keeps its own patterns beside its views, all under /exchanges/.
urlpatterns = [
    *home.urlpatterns,
    *rounds.urlpatterns,
    *offers.urlpatterns,
    *applications.urlpatterns,
    *matching.urlpatterns,
    *visits.urlpatterns,
    *feedback.urlpatterns,
    *report.urlpatterns,
]

from meetings.load.views import audit, cost, network, personal

app_name = "load"

# Each part of the app keeps its own patterns beside its views.
urlpatterns = [
    *personal.urlpatterns,
    *network.urlpatterns,
    *cost.urlpatterns,
    *audit.urlpatterns,
]

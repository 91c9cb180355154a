from django.urls import path

from meetings.followup.views import actions, outcomes

app_name = "followup"

urlpatterns = [
    path("meetings/<int:pk>/outcome/", outcomes.outcome_edit, name="outcome"),
    path("meetings/<int:pk>/owners/search/", outcomes.owner_search, name="owner_search"),
    path("meetings/<int:pk>/close/", outcomes.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/feedback/", outcomes.feedback, name="feedback"),
    path("feedback/<str:token>/", outcomes.feedback_link, name="feedback_link"),
    path("actions/", actions.actions, name="actions"),
    path("actions/<int:pk>/", actions.action_update, name="action_update"),
]

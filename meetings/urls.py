from django.urls import path

from meetings.views import agenda, groups, invitations, meetings, series

app_name = "meetings"

urlpatterns = [
    path("agenda/", agenda.agenda, name="agenda"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/new/people/", groups.group_people_search, name="group_people_search"),
    path("groups/<int:pk>/", groups.group_detail, name="group"),
    path("groups/<int:pk>/join/", groups.group_join, name="group_join"),
    path("groups/<int:pk>/charter/accept/", groups.charter_accept, name="charter_accept"),
    path("groups/<int:pk>/charter/edit/", groups.charter_edit, name="charter_edit"),
    path("groups/<int:pk>/rules/", groups.group_rules, name="group_rules"),
    path("groups/<int:pk>/members/add/", groups.group_add_member, name="group_add_member"),
    path("groups/<int:pk>/members/search/", groups.group_member_search, name="group_member_search"),
    path("groups/<int:pk>/rapporteur/", groups.group_rapporteur, name="group_rapporteur"),
    path(
        "groups/<int:pk>/rapporteur/search/", groups.group_rapporteur_search, name="group_rapporteur_search"
    ),
    path("groups/<int:pk>/requests/<int:membership_id>/", groups.group_decide, name="group_decide"),
    path("groups/<int:group_pk>/series/new/", series.series_create, name="group_series_create"),
    path("series/new/", series.series_create, name="series_create"),
    path("series/preview/", series.series_preview, name="series_preview"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/people/", meetings.people_search, name="people_search"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/cancel-series/", meetings.series_cancel, name="series_cancel"),
    path(
        "meetings/<int:pk>/cancel-following/",
        meetings.series_cancel_following,
        name="series_cancel_following",
    ),
    path("meetings/<int:pk>/invitations/", invitations.meeting_invitations, name="invitations"),
    path("meetings/<int:pk>/invitations/search/", invitations.invite_search, name="invite_search"),
    path(
        "meetings/<int:pk>/invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "meetings/<int:pk>/invitations/<int:invitation_id>/remove/",
        invitations.invitation_remove,
        name="invitation_remove",
    ),
    path(
        "meetings/<int:pk>/invitations/<int:invitation_id>/role/",
        invitations.invitation_role,
        name="invitation_role",
    ),
    path("meetings/<int:pk>/answer/", invitations.my_answer, name="my_answer"),
    path("rsvp/<str:scope>/<int:scope_id>/<str:token>/", invitations.answer, name="rsvp"),
]

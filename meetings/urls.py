from django.urls import path

from meetings.views import (
    actions,
    agenda,
    attendance,
    feeds,
    groups,
    invitations,
    meetings,
    outcomes,
    series,
    vignettes,
)
from meetings.views import certificates as certificate_views

app_name = "meetings"

urlpatterns = [
    # First: calendar applications ask for their feeds around the clock.
    path("calendar/feed/<str:token>.ics", feeds.feed, name="feed"),
    path("calendar/network/<int:network_id>.ics", feeds.network_feed, name="network_feed"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/", groups.group_detail, name="group"),
    path("groups/<int:pk>/join/", groups.group_join, name="group_join"),
    path("groups/<int:pk>/charter/accept/", groups.charter_accept, name="charter_accept"),
    path("groups/<int:pk>/charter/edit/", groups.charter_edit, name="charter_edit"),
    path("groups/<int:pk>/rules/", groups.group_rules, name="group_rules"),
    path("groups/<int:pk>/members/add/", groups.group_add_member, name="group_add_member"),
    path("groups/<int:pk>/requests/<int:membership_id>/", groups.group_decide, name="group_decide"),
    path("groups/<int:group_pk>/series/new/", series.series_create, name="group_series_create"),
    path("series/new/", series.series_create, name="series_create"),
    path("series/preview/", series.series_preview, name="series_preview"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/invitations/", invitations.meeting_invitations, name="invitations"),
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
    path("meetings/<int:pk>/attendance/", attendance.roll_call, name="roll_call"),
    path("meetings/<int:pk>/attendance/correct/", attendance.attendance_correct, name="attendance_correct"),
    path("meetings/<int:pk>/checkin/", attendance.check_in, name="check_in"),
    path("meetings/<int:pk>/checkin/display/", attendance.checkin_display, name="checkin_display"),
    path("meetings/<int:pk>/checkin/<str:token>/", attendance.checkin_link, name="checkin_link"),
    path("meetings/<int:pk>/outcome/", outcomes.outcome_edit, name="outcome"),
    path("meetings/<int:pk>/close/", outcomes.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/feedback/", outcomes.feedback, name="feedback"),
    path("feedback/<str:token>/", outcomes.feedback_link, name="feedback_link"),
    path("meetings/<int:pk>/vignettes/new/", vignettes.vignette_create, name="vignette_create"),
    path("vignettes/<int:pk>/", vignettes.vignette_detail, name="vignette"),
    path("vignettes/<int:pk>/edit/", vignettes.vignette_edit, name="vignette_edit"),
    path("vignettes/<int:pk>/check/", vignettes.vignette_check, name="vignette_check"),
    path("vignettes/<int:pk>/share/", vignettes.vignette_share, name="vignette_share"),
    path("vignettes/<int:pk>/withdraw/", vignettes.vignette_withdraw, name="vignette_withdraw"),
    path("actions/", actions.actions, name="actions"),
    path("actions/<int:pk>/", actions.action_update, name="action_update"),
    path("rsvp/<str:scope>/<int:scope_id>/<str:token>/", invitations.answer, name="rsvp"),
    path("certificates/", certificate_views.certificates, name="certificates"),
    path(
        "certificates/meeting/<int:pk>.pdf", certificate_views.certificate_meeting, name="certificate_meeting"
    ),
    path("certificates/period.pdf", certificate_views.certificate_period, name="certificate_period"),
    path("certificates/verify/<str:code>/", certificate_views.certificate_verify, name="certificate_verify"),
    path("meetings/<int:pk>/attendance.csv", certificate_views.attendance_csv, name="attendance_csv"),
    path(
        "groups/<int:pk>/attendance.csv", certificate_views.group_attendance_csv, name="group_attendance_csv"
    ),
    path("attendance.csv", certificate_views.network_attendance_csv, name="network_attendance_csv"),
    path("calendar/", feeds.calendar_page, name="calendar"),
    path("calendar/<int:pk>/revoke/", feeds.calendar_revoke, name="calendar_revoke"),
]

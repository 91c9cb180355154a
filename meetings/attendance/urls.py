from django.urls import path

from meetings.attendance.views import certificates as certificate_views
from meetings.attendance.views import roll_call as attendance

app_name = "attendance"

urlpatterns = [
    path("meetings/<int:pk>/attendance/", attendance.roll_call, name="roll_call"),
    path("meetings/<int:pk>/attendance/correct/", attendance.attendance_correct, name="attendance_correct"),
    path("meetings/<int:pk>/checkin/", attendance.check_in, name="check_in"),
    path("meetings/<int:pk>/checkin/display/", attendance.checkin_display, name="checkin_display"),
    path("meetings/<int:pk>/checkin/<str:token>/", attendance.checkin_link, name="checkin_link"),
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
    path("meetings/<int:pk>/attendance/reported/", certificate_views.report_session, name="report_session"),
]

from django.urls import path

from meetings.situations.views import concertations, consent, fhir, log, network, notes, plan, situations

app_name = "situations"

urlpatterns = [
    path("situations/", situations.situation_list, name="situations"),
    path("situations/new/", situations.situation_create, name="situation_create"),
    path("situations/<int:pk>/", situations.situation_detail, name="situation"),
    path("situations/<int:pk>/status/", situations.situation_status, name="situation_status"),
    path("situations/<int:pk>/handover/", situations.handover, name="handover"),
    path("situations/<int:pk>/consent/", consent.consent_record, name="consent"),
    path("situations/<int:pk>/consent/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
    path(
        "situations/<int:pk>/consent/<int:consent_id>/document/",
        consent.consent_document,
        name="consent_document",
    ),
    path("situations/<int:pk>/network/", network.network_map, name="network"),
    path("situations/<int:pk>/network/add/", network.member_add, name="member_add"),
    path("situations/<int:pk>/network/<int:member_id>/", network.member_edit, name="member_edit"),
    path("situations/<int:pk>/notes/", notes.note_list, name="notes"),
    path("situations/<int:pk>/plan/", plan.plan, name="plan"),
    path("situations/<int:pk>/plan/actions/<int:action_id>/", plan.action_update, name="action_update"),
    path(
        "situations/<int:pk>/concertations/new/",
        concertations.concertation_create,
        name="concertation_create",
    ),
    path(
        "situations/<int:pk>/concertations/<int:concertation_id>/report/", concertations.report, name="report"
    ),
    path(
        "situations/<int:pk>/concertations/<int:concertation_id>/report.pdf",
        concertations.report_pdf,
        name="report_pdf",
    ),
    path(
        "situations/<int:pk>/concertations/<int:concertation_id>/report/confirm/",
        concertations.report_confirm,
        name="report_confirm",
    ),
    path("situations/<int:pk>/log/", log.access_log, name="log"),
    path("situations/<int:pk>/fhir/", fhir.fhir_export, name="fhir"),
]

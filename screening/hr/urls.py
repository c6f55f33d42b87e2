from django.urls import path

from . import onboarding_views, session_views, views, wave_views

app_name = "hr"
urlpatterns = [
    path("", views.hr_job_list, name="job_list"),
    path("jobs/<slug:slug>/", views.hr_job_applications, name="job_applications"),
    path("jobs/<slug:slug>/import/", views.hr_job_import, name="job_import"),
    path("jobs/<slug:slug>/bulk/", views.hr_job_bulk, name="job_bulk"),
    path("jobs/<slug:slug>/analytics/", views.hr_job_analytics, name="job_analytics"),
    path("jobs/<slug:slug>/fairness/", views.hr_job_fairness, name="job_fairness"),
    path("jobs/<slug:slug>/assessment/", views.hr_job_assessment, name="job_assessment"),
    path("jobs/<slug:slug>/reject-recommended/", views.hr_job_reject_recommended, name="job_reject_recommended"),
    path("jobs/<slug:slug>/export.csv", views.hr_job_export, {"fmt": "csv"}, name="job_export_csv"),
    path("jobs/<slug:slug>/export.xlsx", views.hr_job_export, {"fmt": "xlsx"}, name="job_export_xlsx"),
    path("jobs/<slug:slug>/sessions/", session_views.hr_job_sessions, name="job_sessions"),
    path("jobs/<slug:slug>/sessions/add/", session_views.hr_job_session_add, name="job_session_add"),
    path("jobs/<slug:slug>/sessions/add-day/", session_views.hr_job_session_day, name="job_session_day"),
    path("jobs/<slug:slug>/sessions/invite/", session_views.hr_job_invite, name="job_invite"),
    path("jobs/<slug:slug>/sessions/reminder/", session_views.hr_job_reminder_wording, name="job_reminder_wording"),
    path("jobs/<slug:slug>/sessions/analytics/", wave_views.hr_job_wave_analytics, name="job_wave_analytics"),
    path("jobs/<slug:slug>/sessions/analytics/plan/", wave_views.hr_job_wave_plan, name="job_wave_plan"),
    path("sessions/<int:pk>/", session_views.hr_session_detail, name="session_detail"),
    path("sessions/<int:pk>/attendance/", session_views.hr_session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/scorecard/", session_views.hr_session_scorecard, name="session_scorecard"),
    path("sessions/<int:pk>/move/", session_views.hr_session_move, name="session_move"),
    path("sessions/<int:pk>/edit/", session_views.hr_session_edit, name="session_edit"),
    path("sessions/<int:pk>/call-off/", session_views.hr_session_call_off, name="session_call_off"),
    path("sessions/<int:pk>/cancel-booking/", session_views.hr_session_cancel_booking, name="session_cancel_booking"),
    path("applications/<int:pk>/", views.hr_application_detail, name="application_detail"),
    path("applications/<int:pk>/rescore/", views.hr_application_rescore, name="application_rescore"),
    path("applications/<int:pk>/resume/", views.hr_application_resume, name="application_resume"),
    path("applications/<int:pk>/decide/", views.hr_application_decide, name="application_decide"),
    path("applications/<int:pk>/notes/", views.hr_application_note, name="application_note"),
    path("applications/<int:pk>/review-answer/", views.hr_application_review_answer, name="application_review_answer"),
    path("reviews/", views.hr_review_queue, name="review_queue"),
    path(
        "applications/<int:pk>/undo-rejection/", views.hr_application_undo_rejection, name="application_undo_rejection"
    ),
    path("onboarding/", onboarding_views.hr_onboarding_list, name="onboarding_list"),
    path("onboarding/<int:pk>/", onboarding_views.hr_onboarding_detail, name="onboarding_detail"),
    path("onboarding/<int:pk>/tasks/<int:task_pk>/", onboarding_views.hr_onboarding_tick, name="onboarding_tick"),
    path("onboarding/<int:pk>/assign/", onboarding_views.hr_onboarding_assign, name="onboarding_assign"),
    path("onboarding/<int:pk>/grant/", onboarding_views.hr_onboarding_grant, name="onboarding_grant"),
    path("onboarding/<int:pk>/assessments/<int:assessment_pk>/", onboarding_views.hr_assessment, name="assessment"),
    path("jobs/<slug:slug>/assessments/import/", onboarding_views.hr_job_assessment_import, name="assessment_import"),
    path("jobs/<slug:slug>/quality/", onboarding_views.hr_job_quality, name="job_quality"),
]

from django.urls import path

from . import views

app_name = "hr"
urlpatterns = [
    path("", views.hr_job_list, name="job_list"),
    path("jobs/<slug:slug>/", views.hr_job_applications, name="job_applications"),
    path("jobs/<slug:slug>/import/", views.hr_job_import, name="job_import"),
    path("jobs/<slug:slug>/bulk/", views.hr_job_bulk, name="job_bulk"),
    path("jobs/<slug:slug>/analytics/", views.hr_job_analytics, name="job_analytics"),
    path("jobs/<slug:slug>/reject-recommended/", views.hr_job_reject_recommended, name="job_reject_recommended"),
    path("jobs/<slug:slug>/export.csv", views.hr_job_export, {"fmt": "csv"}, name="job_export_csv"),
    path("jobs/<slug:slug>/export.xlsx", views.hr_job_export, {"fmt": "xlsx"}, name="job_export_xlsx"),
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
]

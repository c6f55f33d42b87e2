from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from screening import chat_views, typing_views, views
from screening.health import healthz

hr_patterns = [
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
    path(
        "applications/<int:pk>/undo-rejection/", views.hr_application_undo_rejection, name="application_undo_rejection"
    ),
]

urlpatterns = [
    path("", views.careers, name="careers"),
    path("jobs/<slug:slug>/", views.job_detail, name="job_detail"),
    path("jobs/<slug:slug>/apply/", views.job_apply, name="job_apply"),
    path("jobs/<slug:slug>/applied/", views.job_applied, name="job_applied"),
    path("privacy/", views.privacy, name="privacy"),
    path("typing/start/", typing_views.typing_start, name="typing_start"),
    path("typing/finish/", typing_views.typing_finish, name="typing_finish"),
    path("jobs/<slug:slug>/chat/<slug:code>/start/", chat_views.chat_start, name="chat_start"),
    path("chat/next/", chat_views.chat_next, name="chat_next"),
    path("chat/reply/", chat_views.chat_reply, name="chat_reply"),
    path("status/<str:token>/", views.application_status, name="application_status"),
    path("my-application/<int:pk>/", views.application_status_page, name="application_status_page"),
    path("my-application/<int:pk>/withdraw/", views.application_status_withdraw, name="application_status_withdraw"),
    path("my-application/<int:pk>/data.json", views.application_status_data, name="application_status_data"),
    path("my-application/<int:pk>/delete/", views.application_status_delete, name="application_status_delete"),
    path("hr/", include((hr_patterns, "hr"))),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

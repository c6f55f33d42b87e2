from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a file of its own: no inline script, so the site's
    # Content-Security-Policy (script-src 'self') needs no exception
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("jobs/", views.JobList.as_view(), name="jobs"),
    path("jobs/<slug:slug>/", views.JobDetail.as_view(), name="job"),
    path("jobs/<slug:slug>/applications/", views.JobApplications.as_view(), name="job_applications"),
    path("applications/<int:pk>/", views.ApplicationDetail.as_view(), name="application"),
    path("applications/<int:pk>/decisions/", views.ApplicationDecision.as_view(), name="decision"),
    path("checklists/", views.ChecklistList.as_view(), name="checklists"),
    path("checklists/<slug:slug>/", views.ChecklistDetail.as_view(), name="checklist"),
    # anything else under /api/v1/ (an id that is not a number, a path that does not exist): JSON, not a page
    re_path(r"^", views.not_found),
]

"""The admin site, for admins only."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # Admins are superusers. HR reviewers are staff and hold model permissions for the HR workspace
        # (/hr/), where every page is scoped to their jobs by selectors.jobs_visible_to; admin has no such
        # scoping, so it does not let them in at all.
        return super().has_permission(request) and request.user.is_superuser


class PortalAdminConfig(AdminConfig):
    default_site = "screening.admin_site.PortalAdminSite"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    # employee data, kept apart from the candidate tables: its own retention (EMPLOYEE_RETENTION_DAYS)
    name = "screening.onboarding"
    label = "onboarding"
    verbose_name = _("入职与考核")

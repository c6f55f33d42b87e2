from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("招聘筛选")

    def ready(self):
        from . import signals  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WavesConfig(AppConfig):
    name = "screening.waves"
    label = "waves"
    verbose_name = _("面试场次")

    def ready(self):
        from . import signals  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    # no models: the HR workspace reads and writes through the domain app (screening)
    name = "screening.hr"
    label = "hr"
    verbose_name = _("HR 工作台")

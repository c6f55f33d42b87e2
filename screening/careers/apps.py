from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareersConfig(AppConfig):
    # no models: the candidate side reads and writes through the domain app (screening)
    name = "screening.careers"
    label = "careers"
    verbose_name = _("招聘官网")

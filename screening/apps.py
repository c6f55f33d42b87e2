from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("招聘筛选")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401

        # roles exist wherever the schema does (make run, a release step, the tests), after the permissions
        post_migrate.connect(_ensure_roles, sender=self)


def _ensure_roles(sender, **kwargs):
    from .roles import ensure_roles

    ensure_roles()

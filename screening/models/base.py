"""What every table has."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


def in_english() -> bool:
    from django.utils import translation

    return (translation.get_language() or "").startswith("en")


def tr(obj, field: str) -> str:
    """A checklist's or job's text in the reader's language: its English field (`<field>_en`, filled by an admin
    or the seed fixtures) for an English reader when it is not empty, else the Chinese one. Works on a model or
    on a plain dict (a question's option, a scenario message)."""
    get = obj.get if isinstance(obj, dict) else lambda name, default=None: getattr(obj, name, default)
    if in_english():
        english = get(f"{field}_en", "")
        if english:
            return english
    return get(field, "")

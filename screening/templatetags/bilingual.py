"""{{ job|tr:"title" }}: a job's or checklist's text in the reader's language (models.base.tr)."""

from django import template

from ..models import tr as translated

register = template.Library()


@register.filter
def tr(obj, field: str) -> str:
    return translated(obj, field)

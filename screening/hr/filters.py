"""Filters of HR's ranked list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .. import labels, selectors
from ..models import Application, Evaluation


class _YesNo(django_filters.widgets.BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("不限")), ("true", _("是")), ("false", _("否")))


class ApplicationFilter(django_filters.FilterSet):
    """The HR list's filters: every one a plain column or JSON key lookup, so the page stays one query."""

    q = django_filters.CharFilter(method="search", label=_("姓名、手机或邮箱"))
    recommendation = django_filters.ChoiceFilter(
        field_name="evaluation__recommendation", choices=Evaluation.Recommendation.choices, label=_("建议"),
        empty_label=_("全部建议"),
    )  # fmt: skip
    stage = django_filters.ChoiceFilter(choices=Application.Stage.choices, label=_("阶段"), empty_label=_("全部阶段"))
    knockout_failed = django_filters.BooleanFilter(
        field_name="evaluation__knockout_failed", label=_("硬性条件不满足"), widget=_YesNo
    )
    has_unknowns = django_filters.BooleanFilter(method="filter_unknowns", label=_("有未知项"), widget=_YesNo)
    score_min = django_filters.NumberFilter(field_name="evaluation__score", lookup_expr="gte", label=_("最低分"))
    score_max = django_filters.NumberFilter(field_name="evaluation__score", lookup_expr="lte", label=_("最高分"))
    education = django_filters.ChoiceFilter(
        field_name="profile__education", choices=lambda: list(labels.EDUCATION.items()), label=_("学历"),
        empty_label=_("全部学历"),
    )  # fmt: skip
    platform = django_filters.ChoiceFilter(
        method="filter_platform", choices=lambda: list(labels.PLATFORMS.items()), label=_("平台"),
        empty_label=_("全部平台"),
    )  # fmt: skip
    source = django_filters.ChoiceFilter(choices=Application.Source.choices, label=_("来源"), empty_label=_("全部来源"))

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():  # Bootstrap's small controls, like the rest of the bar
            field.widget.attrs["class"] = "form-select form-select-sm"

    def search(self, queryset, name, value):
        return selectors.applications_matching(queryset, value)

    def filter_unknowns(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(evaluation__unknown_count__gt=0) if value else queryset.filter(evaluation__unknown_count=0)
        )

    def filter_platform(self, queryset, name, value):
        return queryset.filter(profile__platforms__contains=[value]) if value else queryset

"""The HR list's filters (screening/hr/filters.py), for the API: the same lookups, plain query parameters."""

import django_filters

from screening import labels, selectors
from screening.models import Application, Evaluation

_YES_NO = (("true", "true"), ("false", "false"))  # anything else is a 400, not silently "any"


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", max_length=100, help_text="name, mobile or e-mail contains")
    recommendation = django_filters.ChoiceFilter(
        field_name="evaluation__recommendation", choices=Evaluation.Recommendation.choices
    )
    stage = django_filters.ChoiceFilter(choices=Application.Stage.choices)
    knockout_failed = django_filters.ChoiceFilter(choices=_YES_NO, method="filter_knockout")
    has_unknowns = django_filters.ChoiceFilter(choices=_YES_NO, method="filter_unknowns")
    score_min = django_filters.NumberFilter(
        field_name="evaluation__score", lookup_expr="gte", min_value=0, max_value=100
    )
    score_max = django_filters.NumberFilter(
        field_name="evaluation__score", lookup_expr="lte", min_value=0, max_value=100
    )
    education = django_filters.ChoiceFilter(
        field_name="profile__education", choices=lambda: list(labels.EDUCATION.items())
    )
    platform = django_filters.ChoiceFilter(method="filter_platform", choices=lambda: list(labels.PLATFORMS.items()))
    source = django_filters.ChoiceFilter(choices=Application.Source.choices)

    class Meta:
        model = Application
        fields = []

    def search(self, queryset, name, value):
        return selectors.applications_matching(queryset, value)

    def filter_knockout(self, queryset, name, value):
        return queryset.filter(evaluation__knockout_failed=value == "true") if value else queryset

    def filter_unknowns(self, queryset, name, value):
        if not value:
            return queryset
        if value == "true":
            return queryset.filter(evaluation__unknown_count__gt=0)
        return queryset.filter(evaluation__unknown_count=0)

    def filter_platform(self, queryset, name, value):
        return queryset.filter(profile__platforms__contains=[value]) if value else queryset

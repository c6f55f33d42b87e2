import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Job


def _locations():
    return [(loc, loc) for loc in Job.objects.filter(status=Job.Status.OPEN).exclude(location="")
            .order_by("location").values_list("location", flat=True).distinct()]  # fmt: skip


class JobFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    location = django_filters.ChoiceFilter(label=_("地点"), empty_label=_("全部地点"))
    employment_type = django_filters.ChoiceFilter(
        choices=Job.EmploymentType.choices, label=_("类型"), empty_label=_("全部类型")
    )

    class Meta:
        model = Job
        fields = ["q", "location", "employment_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["location"].extra["choices"] = _locations()  # the open jobs' places, read per request

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(location__icontains=value)
        )

"""HR's forms for hiring-wave sessions: one session, a day of sessions, the reminder wording."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..waves import selectors as waves
from ..waves.models import ReminderWording, Session
from ..waves.services import wording_validate


def _time_input() -> forms.TimeInput:
    # the browser's time picker reads and writes 24-hour HH:MM, whatever the page's language
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _SessionFields(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Session.Kind.choices)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=5, max_value=600, initial=45)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=500, initial=8)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    online_link = forms.URLField(label=_("线上链接"), required=False, assume_scheme="https")
    interviewers = forms.ModelMultipleChoiceField(
        label=_("面试官"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = waves.job_interviewers(job=job)

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("online_link"):
            raise forms.ValidationError(_("请填写地点或线上链接"))
        return data


class SessionForm(_SessionFields):
    start = forms.TimeField(label=_("开始时间"), widget=_time_input())
    field_order = ["kind", "day", "start", "duration_minutes", "capacity", "place", "online_link", "interviewers"]

    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"]))


class DayForm(_SessionFields):
    first = forms.TimeField(label=_("从"), initial=time(9), widget=_time_input())
    last = forms.TimeField(label=_("到"), initial=time(17), widget=_time_input())
    every_minutes = forms.IntegerField(label=_("每隔（分钟）"), min_value=5, max_value=480, initial=60)
    field_order = ["kind", "day", "first", "last", "every_minutes", "duration_minutes", "capacity", "place"]

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] >= data["last"]:
            raise forms.ValidationError(_("结束时间要晚于开始时间"))
        return data


class WordingForm(forms.ModelForm):
    class Meta:
        model = ReminderWording
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "text": _("可用占位符：{name} 姓名、{job} 职位、{start} 开始时间、{place} 地点。邮件和短信都用这段文字。")
        }

    def clean_text(self):
        return wording_validate(self.cleaned_data["text"])

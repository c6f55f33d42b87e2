"""HR's forms."""

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ReviewRequest


class ImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024
    file = forms.FileField(
        label=_("应聘者名单（CSV 或 XLSX）"),
        help_text=_("第一行是表头，例如 姓名、手机、邮箱、出生日期、学历、工作年限、打字速度；最大 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("只能导入 .csv 或 .xlsx 文件"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB"))
        return upload


class ReviewAnswerForm(forms.Form):
    """HR's answer to a candidate's request for a human review (which request: its id, checked against the
    application the person may see)."""

    review = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("答复候选人"),
        max_length=ReviewRequest.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": ReviewRequest.ANSWER_MAX_LENGTH}),
        help_text=_("候选人会在进度页面看到这段答复，也会收到邮件。请说明复核的结果和理由。"),
    )

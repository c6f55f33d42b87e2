"""HR's forms."""

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _


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

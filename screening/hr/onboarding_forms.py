"""HR's forms after the hire: they validate and hand the onboarding service one result; they never write."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..onboarding.models import Outcome
from ..onboarding.services import AssessmentResult

RATING_CHOICES = [("", "—")] + [(str(i), str(i)) for i in range(1, 6)]


class AssessmentForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("考核结果"), choices=Outcome.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    satisfaction = forms.DecimalField(
        label=_("客户满意度（%）"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=1, required=False
    )
    first_response_seconds = forms.DecimalField(
        label=_("平均首次响应时间（秒）"), min_value=Decimal(0), max_digits=7, decimal_places=1, required=False,
        help_text=_("平台要求 15 秒内（种子文档 004）"),
    )  # fmt: skip
    reply_rate = forms.DecimalField(
        label=_("回复率（%）"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=1, required=False
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)

    def __init__(self, *args, qualities: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.qualities = qualities
        for code, title in qualities.items():
            self.fields[f"rating_{code}"] = forms.TypedChoiceField(
                label=title, choices=RATING_CHOICES, coerce=int, empty_value=None, required=False
            )

    def rating_fields(self):
        return [self[f"rating_{code}"] for code in self.qualities]

    def result(self) -> AssessmentResult:
        data = self.cleaned_data
        return AssessmentResult(
            outcome=data["outcome"],
            ratings={code: data[f"rating_{code}"] for code in self.qualities if data.get(f"rating_{code}")},
            satisfaction=data["satisfaction"],
            first_response_seconds=data["first_response_seconds"],
            reply_rate=data["reply_rate"],
            note=data["note"].strip(),
        )


class AssignForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("导师"), queryset=get_user_model().objects.none(), required=False)
    assessor = forms.ModelChoiceField(label=_("考核人"), queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")
        self.fields["mentor"].queryset = self.fields["assessor"].queryset = staff


class AssessmentImportForm(forms.Form):
    MAX_BYTES = 1024 * 1024
    file = forms.FileField(
        label=_("考核结果（CSV）"),
        help_text=_(
            "表头：application（申请编号）、assessment（考核代码）、outcome（合格/不合格/延长考察）、satisfaction、"
            "first_response_seconds、reply_rate，以及每项素质一列 rating_<代码>（1–5）"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件超过 1 MB"))
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("无法识别文件编码，请另存为 UTF-8 的 CSV"))

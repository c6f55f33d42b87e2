"""The application form, built from what the job's requirements read (and nothing more)."""

import hashlib
import random
from datetime import date
from pathlib import PurePath

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import labels, rules
from .models import Question
from .phone import normalise_mobile
from .rules import vocab

YES_NO = [("yes", _("是")), ("no", _("否"))]


def _choices(mapping: dict, codes) -> list[tuple[str, str]]:
    return [(c, mapping[c]) for c in codes]


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


def _shuffled(code: str, options: list[dict]) -> list[tuple[str, str]]:
    """Options in an order fixed per question but not the authored one (the best answer is often first)."""
    choices = [(o["code"], o["label"]) for o in options]
    random.Random(hashlib.sha1(code.encode()).digest()).shuffle(choices)
    return choices


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("邮箱"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("中国大陆手机号，例如 138 0013 8000"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, requirements: list[rules.Requirement], questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        reads: set[tuple[str, str | None]] = set()
        for req in requirements:
            reads |= rules.schemas.profile_reads(req.condition)
        self.reads = reads
        self.questions = [q for q in questions if ("answers", q.code) in reads]
        sections = [Fieldset(_("基本信息"), "name", "email", "phone")]
        sections.append(Fieldset(_("教育与经历"), *self._add_background(reads)))
        sections.append(Fieldset(_("技能与素质"), *self._add_skills(reads)))
        sections.append(Fieldset(_("声明"), *self._add_declarations(reads)))
        sections.append(Fieldset(_("情景问题"), *self._add_questions()))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[s for s in sections if s.fields])

    # -- fields, one group per section; each added only when a requirement reads it --------
    def _add_background(self, reads) -> list:
        names = []
        if ("date_of_birth", None) in reads:
            self.fields["date_of_birth"] = forms.DateField(
                label=_("出生日期"), widget=forms.DateInput(attrs={"type": "date"}), required=True
            )
            names.append("date_of_birth")
        if ("education", None) in reads:
            self.fields["education"] = forms.ChoiceField(
                label=_("最高学历"), choices=[("", "---------")] + _choices(labels.EDUCATION, vocab.EDUCATION_LEVELS)
            )
            names.append("education")
        if ("major", None) in reads:
            self.fields["major"] = forms.CharField(label=_("所学专业"), max_length=100, required=False)
            names.append("major")
        for field in vocab.EXPERIENCE_FIELDS:
            if ("experience", field) in reads:
                name = f"experience_{field}"
                self.fields[name] = forms.DecimalField(
                    label=_("%(field)s工作经验（年）") % {"field": labels.EXPERIENCE_FIELDS[field]},
                    min_value=0,
                    max_value=60,
                    decimal_places=1,
                    required=True,
                    initial=0,
                )
                names.append(name)
        if ("certificate", "level") in reads:
            self.fields["certificate_level"] = forms.ChoiceField(
                label=_("客户服务职业资格证书"), choices=_choices(labels.CERTIFICATES, vocab.CERTIFICATE_LEVELS)
            )
            names.append("certificate_level")
        if ("certificate", "years_since") in reads:
            self.fields["certificate_years"] = forms.DecimalField(
                label=_("取得该证书已满（年）"), min_value=0, max_value=60, decimal_places=1, required=False
            )
            names.append("certificate_years")
        if ("platforms", None) in reads:
            self.fields["platforms"] = forms.MultipleChoiceField(
                label=_("做过哪些电商平台"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=_choices(labels.PLATFORMS, vocab.PLATFORMS),
            )
            names.append("platforms")
        return names

    def _add_skills(self, reads) -> list:
        names = []
        if ("typing", None) in reads:
            self.fields["typing_cpm"] = forms.IntegerField(
                label=_("中文打字速度（字/分钟）"), min_value=0, max_value=400, required=True
            )
            names.append("typing_cpm")
        for _key, lang in sorted(r for r in reads if r[0] == "languages"):
            name = f"language_{lang}"
            self.fields[name] = forms.ChoiceField(
                label=_("%(language)s水平") % {"language": labels.label(labels.LANGUAGES, lang)},
                choices=_choices(labels.LANGUAGE_LEVELS, vocab.LANGUAGE_LEVELS),
            )
            names.append(name)
        if ("skills", None) in reads:
            self.fields["skills"] = forms.MultipleChoiceField(
                label=_("掌握的技能"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=_choices(labels.SKILLS, vocab.SKILLS),
            )
            names.append("skills")
        for trait in vocab.TRAITS:
            if ("traits", trait) in reads:
                name = f"trait_{trait}"
                self.fields[name] = forms.TypedChoiceField(
                    label=_("%(trait)s（自评 1–5）") % {"trait": labels.TRAITS[trait]},
                    coerce=int,
                    choices=[(i, str(i)) for i in range(vocab.TRAIT_MIN, vocab.TRAIT_MAX + 1)],
                    widget=forms.RadioSelect,
                )
                names.append(InlineRadios(name))
        return names

    def _add_declarations(self, reads) -> list:
        names = []
        for decl in vocab.DECLARATIONS:
            if ("declarations", decl) in reads:
                name = f"declare_{decl}"
                self.fields[name] = forms.ChoiceField(
                    label=labels.DECLARATIONS[decl], choices=YES_NO, widget=forms.RadioSelect
                )
                names.append(InlineRadios(name))
        return names

    def _add_questions(self) -> list[str]:
        names = []
        for q in self.questions:
            name = f"q_{q.code}"
            if q.kind == Question.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=q.prompt, widget=forms.RadioSelect, choices=_shuffled(q.code, q.options)
                )
            else:
                self.fields[name] = forms.CharField(
                    label=q.prompt, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
                )
            names.append(name)
        return names

    # -- validation and normalisation -------------------------------------------------------
    def clean_phone(self) -> str:
        phone = normalise_mobile(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("请填写 11 位中国大陆手机号"))
        return phone

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_date_of_birth(self) -> date:
        dob = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if dob >= today or rules.age_on({"date_of_birth": dob.isoformat()}, today) > 80:
            raise forms.ValidationError(_("请填写真实的出生日期"))
        return dob

    def profile(self) -> dict:
        """The plain DESIGN.md profile from the cleaned data."""
        d = self.cleaned_data
        p: dict = {"applied_on": timezone.localdate().isoformat()}
        if "date_of_birth" in d:
            p["date_of_birth"] = d["date_of_birth"].isoformat()
        if d.get("education"):
            p["education"] = d["education"]
        if d.get("major"):
            p["major"] = d["major"].strip()
        experience = {
            f: float(d[f"experience_{f}"]) for f in vocab.EXPERIENCE_FIELDS if d.get(f"experience_{f}") is not None
        }
        if experience:
            p["experience"] = experience
        if d.get("certificate_level"):
            p["certificate"] = {"level": d["certificate_level"]}
            if d.get("certificate_years") is not None:
                p["certificate"]["years_since"] = float(d["certificate_years"])
        if "platforms" in self.fields:
            p["platforms"] = list(d.get("platforms") or [])
        if d.get("typing_cpm") is not None:
            p["typing"] = {"cpm": d["typing_cpm"], "measured": False}
        languages = {k.removeprefix("language_"): v for k, v in d.items() if k.startswith("language_") and v}
        if languages:
            p["languages"] = languages
        if "skills" in self.fields:
            p["skills"] = list(d.get("skills") or [])
        traits = {k.removeprefix("trait_"): v for k, v in d.items() if k.startswith("trait_") and v}
        if traits:
            p["traits"] = traits
        declarations = {k.removeprefix("declare_"): v == "yes" for k, v in d.items() if k.startswith("declare_") and v}
        if declarations:
            p["declarations"] = declarations
        return p

    def answers(self) -> dict:
        return {
            q.code: self.cleaned_data[f"q_{q.code}"].strip()
            for q in self.questions
            if self.cleaned_data.get(f"q_{q.code}")
        }

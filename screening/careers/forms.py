"""The application form, built from what the job's requirements read (and nothing more)."""

import functools
import hashlib
import random

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import profile_keys, rules
from ..models import ChatScenario, Question, ReviewRequest, VoluntarySelfId, tr
from ..phone import normalise_mobile
from ..profile_keys import Choices, Section
from ..rules import vocab
from ..services import ApplicationDraft
from ..uploads import keep_pending, load_pending, validate_resume
from ..worksamples import buyer_chat as chat
from ..worksamples.typing_test import verify_result

SENSITIVE = vocab.SENSITIVE_DECLARATIONS
CONSENT_LABELS = {
    "health": _("我同意为本次招聘处理我的健康信息（仅用于判断能否胜任岗位）"),
    "criminal_record": _("我同意为本次招聘处理我的犯罪记录信息（仅用于本次背景核查）"),
}


def _radios(field: forms.Field) -> bool:
    """Radio buttons (yes/no, a rating 1–5) sit on one line; checkboxes (a CheckboxSelectMultiple is a
    RadioSelect too) stay a list."""
    return isinstance(field.widget, forms.RadioSelect) and not field.widget.allow_multiple_selected


def _shuffled(code: str, options: list[dict]) -> Choices:
    """Options in an order fixed per question but not the authored one (the best answer is often first)."""
    return _shuffle(code, tuple((o["code"], tr(o, "label")) for o in options))


@functools.lru_cache(maxsize=1024)
def _shuffle(code: str, pairs: tuple) -> Choices:
    choices = list(pairs)
    random.Random(hashlib.sha1(code.encode()).digest()).shuffle(choices)
    return Choices(choices)


# a field the draft kept on the candidate's device leaves out (static/js/apply-form.js): sensitive answers and
# consents, which are given when submitting
NO_DRAFT = {"data-no-draft": ""}


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("邮箱"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("中国大陆手机号，例如 138 0013 8000"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )

    # set by the view when the same person already applied: the next submit updates that application
    confirm_update = forms.BooleanField(required=False, widget=forms.HiddenInput)
    resume_pending = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        requirements: list[rules.Requirement],
        questions: list[Question],
        resume_required=False,
        typing_holder: str | None = None,
        scenarios: dict[str, ChatScenario] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # the browser the typing and chat tests must have been taken in
        self.typing_holder = typing_holder
        reads: set[tuple[str, str | None]] = set()
        for req in requirements:
            reads |= rules.schemas.profile_reads(req.condition)
        self.reads = reads
        # the profile keys the form asks with a field of theirs, in the order it asks them
        self.asked = [key for key in profile_keys.asked(reads) if key.field is not None]
        self.questions = [q for q in questions if ("answers", q.code) in reads]
        self.pending_resume = None  # (file, storage name) kept from an earlier attempt
        # (title, what it holds) per section: the layout is made only when the form is shown (see helper)
        self.sections = [
            (_("基本信息"), ["name", "email", "phone"]),
            (_("教育与经历"), self._add_keys(Section.BACKGROUND)),
            (_("技能与素质"), [*self._add_typing(reads), *self._add_keys(Section.SKILLS)]),
            (_("声明"), self._add_keys(Section.DECLARATIONS)),
            (_("情景问题"), self._add_questions()),
            (_("模拟买家对话"), self._add_chats(reads, scenarios or {}, requirements)),
            (_("简历"), self._add_resume(resume_required)),
            (_("隐私"), self._add_privacy()),
        ]

    @functools.cached_property
    def helper(self) -> FormHelper:
        """crispy's layout, made when the form is rendered: a POST that is accepted never renders it."""
        helper = FormHelper()
        helper.form_tag = False
        fieldsets = [Fieldset(title, *held) for title, held in self.sections if held]
        helper.layout = Layout(*fieldsets, "confirm_update", "resume_pending")
        return helper

    # -- re-applying: what is still valid, from the person's latest application ---------------------------
    # never pre-filled: the timed tests (typing, chats: retaken), consents (asked again), sensitive declarations
    # (health, criminal record), the job's own questions and the résumé file; and nothing of an application older
    # than PREFILL_VALID_DAYS (selectors.applicant_prefill_source gives no profile then)
    ROWS = {
        "work_history": lambda e: {
            "field": e.get("field", ""), "start": e.get("start", ""), "end": e.get("end") or "",
            "now": e.get("end") is None,
        },
        "certificates": lambda e: {"level": e.get("level", ""), "obtained_on": e.get("obtained_on", "")},
    }  # fmt: skip

    def prefill(self, source) -> None:
        """Start an unbound form from `source` (selectors.PrefillSource): the contacts on file and the profile
        fields this job's form asks, except what is never carried over (above)."""
        self.initial.update({"name": source.name, "email": source.email, "phone": source.phone})
        for key in self.asked:
            if key.sensitive:
                continue
            value = profile_keys.value_at(source.profile, key.key)
            if value is None or value in ("", []):
                continue
            if key.key in self.ROWS:
                value = [self.ROWS[key.key](e) for e in value if isinstance(e, dict)]
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            self.initial[key.field_name] = value

    # -- fields: only what a requirement reads --------------------------------------------------
    def _add_keys(self, section: Section) -> list:
        """A field for each profile key the section asks (screening/profile_keys.py)."""
        names = []
        for key in (k for k in self.asked if k.section == section):
            if key.sensitive:
                # sensitive personal information (PIPL art. 28-29): separate, unticked consent; optional
                self.fields[f"consent_{key.sensitive}"] = forms.BooleanField(
                    required=False,
                    label=CONSENT_LABELS[key.sensitive],
                    help_text=_("可选。不同意也可以申请，此项按未知处理。"),
                    widget=forms.CheckboxInput(attrs=NO_DRAFT),
                )
                names.append(f"consent_{key.sensitive}")
            field = self.fields[key.field_name] = key.field(key)
            if key.sensitive:  # never kept in the draft on the device (static/js/apply-form.js)
                field.widget.attrs.update(NO_DRAFT)
            names.append(InlineRadios(key.field_name) if _radios(field) else key.field_name)
        return names

    def _add_typing(self, reads) -> list:
        if ("typing", None) not in reads:
            return []
        # measured by the portal (screening/worksamples/typing_test.py), never self-declared
        self.fields["typing_result"] = forms.CharField(
            required=True,
            widget=forms.HiddenInput,
            error_messages={"required": _("请完成打字测试")},
        )
        return [HTML('{% include "careers/_typing_test.html" %}'), "typing_result"]

    def _add_chats(self, reads, scenarios: dict[str, ChatScenario], requirements: list[rules.Requirement]) -> list:
        """One chat widget per scenario a requirement reads; its signed result travels in a hidden input."""
        self.chat_scenarios = {
            code: scenarios[code] for key, code in sorted(reads) if key == "chat" and code in scenarios
        }
        # the first-response norm each chat is held to (the strictest if several requirements read it)
        self.chat_norms: dict[str, float] = {}
        for requirement in requirements:
            for leaf in rules.chat_conditions(requirement.condition):
                norm = leaf.get("max_seconds", vocab.CHAT_MAX_SECONDS)
                self.chat_norms[leaf["scenario"]] = min(norm, self.chat_norms.get(leaf["scenario"], norm))
        self.chat_sessions: dict[str, chat.ChatSession] = {}
        names = []
        for code in self.chat_scenarios:
            name = f"chat_{code}"
            self.fields[name] = forms.CharField(
                required=True, widget=forms.HiddenInput, error_messages={"required": _("请完成模拟对话测试")}
            )
            # the code is a slug ([a-z0-9_]), safe inside the template text
            names += [HTML('{% include "careers/_chat_test.html" with chat=form.chat_widgets.' + code + " %}"), name]
        return names

    @property
    def takes_tests(self) -> bool:
        """The form carries a typing test or a buyer chat, whose results belong to the browser that took them."""
        return "typing_result" in self.fields or bool(self.chat_scenarios)

    @property
    def chat_widgets(self) -> dict[str, dict]:
        """What each chat widget shows: its scenario, field name and errors (hidden inputs show none)."""
        return {
            code: {
                "scenario": scenario,
                "field": f"chat_{code}",
                "norm": f"{self.chat_norms.get(code, vocab.CHAT_MAX_SECONDS):g}",
                "errors": self.errors.get(f"chat_{code}", []) if self.is_bound else [],
            }
            for code, scenario in self.chat_scenarios.items()
        }

    def _add_resume(self, required: bool) -> list:
        self.fields["resume"] = forms.FileField(
            label=_("上传简历"),
            required=False,  # checked in clean(): a resume kept from an earlier attempt counts
            help_text=_("PDF、DOCX、JPG 或 PNG，最大 5 MB") + ("" if required else str(_("（可选）"))),
            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
        )
        self.resume_required = required
        return ["resume"]

    def _add_privacy(self) -> list:
        self.fields["consent_privacy"] = forms.BooleanField(
            required=True,
            widget=forms.CheckboxInput(attrs=NO_DRAFT),  # consent is given when submitting, never restored
            label=_("我已阅读并同意《应聘者隐私说明》"),
            error_messages={"required": _("请阅读并同意隐私说明后再提交")},
        )
        link = format_html(
            '<p class="small"><a href="{}" target="_blank" rel="noopener">{}</a></p>',
            reverse("privacy"),
            _("阅读隐私说明"),
        )
        return [HTML(link), "consent_privacy"]

    def _add_questions(self) -> list[str]:
        names = []
        for q in self.questions:
            name = f"q_{q.code}"
            if q.kind == Question.Kind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=tr(q, "prompt"), widget=forms.RadioSelect, choices=_shuffled(q.code, q.options)
                )
            else:
                self.fields[name] = forms.CharField(
                    label=tr(q, "prompt"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
                )
            names.append(name)
        return names

    # -- validation and normalisation -------------------------------------------------------
    def clean_typing_result(self) -> dict:
        result = verify_result(self.cleaned_data["typing_result"], holder=self.typing_holder)
        if result is None:
            raise forms.ValidationError(_("打字测试结果无效或已过期，请重新测试"))
        return result

    def _clean_chats(self) -> None:
        for code in self.chat_scenarios:
            value = self.cleaned_data.get(f"chat_{code}")
            if not value:
                continue
            session = chat.verify_result(value, holder=self.typing_holder or "", scenario_code=code)
            if session is None:
                self.add_error(f"chat_{code}", _("模拟对话结果无效、已过期或已经用过，请重新完成对话"))
            else:
                self.chat_sessions[code] = session

    def clean_resume(self):
        upload = self.cleaned_data.get("resume")
        if upload:
            validate_resume(upload)
        return upload

    def clean(self):
        data = super().clean()
        for key in self.asked:
            if key.sensitive and data.get(key.field_name) and not data.get(f"consent_{key.sensitive}"):
                self.add_error(key.field_name, _("回答这个问题前，请先勾选上面的同意；也可以不回答"))
        upload = data.get("resume")
        if not upload and data.get("resume_pending"):
            self.pending_resume = load_pending(data["resume_pending"])
        if self.resume_required and not upload and self.pending_resume is None and "resume" not in self.errors:
            self.add_error("resume", _("这个职位需要上传简历"))
        self._clean_chats()
        return data

    def keep_resume_for_retry(self) -> None:
        """After an error elsewhere: keep a valid new upload so the candidate does not have to pick it again."""
        upload = self.cleaned_data.get("resume") if hasattr(self, "cleaned_data") else None
        if upload and "resume" not in self.errors:
            reference = keep_pending(upload, validate_resume(upload), replaces=self.data.get("resume_pending", ""))
            self.data = self.data.copy()
            self.data["resume_pending"] = reference or ""  # not kept: an earlier file must not stand in for it

    def resume_file(self):
        """The file to store: a new valid upload, or the one kept from an earlier attempt."""
        if self.cleaned_data.get("resume"):
            return self.cleaned_data["resume"]
        return self.pending_resume[0] if self.pending_resume else None

    def consents(self) -> list[str]:
        given = ["privacy"] if self.cleaned_data.get("consent_privacy") else []
        return given + [c for c in SENSITIVE.values() if self.cleaned_data.get(f"consent_{c}")]

    def clean_phone(self) -> str:
        phone = normalise_mobile(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("请填写 11 位中国大陆手机号"))
        return phone

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if len(email) > 254:  # lowercasing can lengthen it ("İ" becomes two characters)
            raise forms.ValidationError(_("邮箱地址太长"))
        return email

    def profile(self) -> dict:
        """The plain DESIGN.md profile from the cleaned data."""
        d = self.cleaned_data
        p: dict = {"applied_on": timezone.localdate().isoformat()}
        for key in self.asked:
            value = d.get(key.field_name)
            if value is None or value == "":
                continue  # left blank: unknown
            if key.sensitive and not d.get(f"consent_{key.sensitive}"):
                continue  # never keep a sensitive answer given without consent
            key.put(p, key.store(value))
        if d.get("typing_result"):
            p["typing"] = d["typing_result"]
        if self.chat_sessions:
            p["chat"] = {code: chat.transcript(session) for code, session in self.chat_sessions.items()}
        return p

    def draft(self, *, language: str) -> ApplicationDraft:
        """The whole submission for the service, in one object (the profile read before the chat runs are
        claimed: claiming empties them)."""
        data = self.cleaned_data
        return ApplicationDraft(
            name=data["name"], email=data["email"], phone=data["phone"],
            profile=self.profile(), answers=self.answers(), consents=tuple(self.consents()),
            resume=self.resume_file(), kept_resume=self.pending_resume[1] if self.pending_resume else None,
            typing_result=self.data["typing_result"] if data.get("typing_result") else None,
            chat_runs=dict(self.chat_sessions), language=language,
        )  # fmt: skip

    def answers(self) -> dict:
        return {
            q.code: self.cleaned_data[f"q_{q.code}"].strip()
            for q in self.questions
            if self.cleaned_data.get(f"q_{q.code}")
        }


class ReviewRequestForm(forms.Form):
    """A candidate's request that a person review their application: an optional message, bounded."""

    message = forms.CharField(
        label=_("想告诉招聘人员的话（可选）"),
        required=False,
        max_length=ReviewRequest.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": ReviewRequest.MESSAGE_MAX_LENGTH}),
        help_text=_("例如您认为哪一项评估不准确、需要补充说明的情况。最多 1000 字。"),
    )


class SelfIdForm(forms.Form):
    """The voluntary statistics question of the confirmation page: one answer and its own consent, unticked."""

    sex = forms.ChoiceField(
        label=_("您的性别"),
        choices=VoluntarySelfId.Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择一项（也可以不回答，直接离开本页）")},
    )
    consent = forms.BooleanField(
        label=_("我同意为统计筛选是否公平而处理我填写的性别；它与申请分开保存，不用于评分，招聘人员看不到"),
        error_messages={"required": _("请勾选同意后再提交；不同意就不必回答")},
    )

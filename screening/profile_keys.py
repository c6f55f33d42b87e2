"""Every key of the applicant profile (DESIGN.md), declared once: its label, how the application form asks it,
how an imported file fills it, how HR's page shows it, what kind of evidence it is and whether it is sensitive.

The application form, the import (tabular.py, services/importing.py), HR's detail page and the rendering of
evidence loop over these declarations, so a new key is one declaration here (plus its code in rules/vocab.py
when the rule engine reads it). The engine stays below: it knows the codes, never this module.

No ORM and no settings read at import, like tabular.py, which takes its columns from here: forms and lazy
translations only. Labels are Chinese msgids (English comes from the catalog); whatever is put together from
them (a form label, a row on HR's page) is put together when asked, in the language active then.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import form_rows, labels, parsers, rules
from .parsers import Parser
from .rules import age_on, vocab


class Evidence(StrEnum):
    """What backs a value (DESIGN.md): the portal measured it, the person claims it, or rates themself."""

    MEASURED = "measured"
    CLAIMED = "claimed"
    SELF_RATED = "self_rated"


class Section(StrEnum):
    """The part of the application form that asks a key."""

    BACKGROUND = "background"
    SKILLS = "skills"
    DECLARATIONS = "declarations"


@dataclass(frozen=True)
class Column:
    """A column of an imported file: a job board's cell read leniently, a JSON value strictly."""

    cell: Parser | None  # None: JSON only
    strict: Parser
    headers: tuple[str, ...] = ()  # what Chinese job boards head it with; the dotted key is a header too
    sub: str = ""  # the part of the key's value it fills ("cpm" of typing); "": the value itself


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True, kw_only=True)
class ProfileKey:
    key: str  # dotted, as the rule engine's profile_reads names it: "education", "experience.technical"
    label: Promise | str
    evidence: Evidence
    sensitive: str | None = None  # its consent category: asked only with that consent, never imported nor shown
    read_as: str = ""  # the key whose reading asks for this one (age stands in for date_of_birth)
    # the application form; no section: not asked, or asked by a widget of its own (the typing test)
    section: Section | None = None
    field_name: str = ""
    field: Callable[["ProfileKey"], forms.Field] | None = None  # built when the form is, in its language
    store: Callable[[Any], Any] = _as_is  # the field's cleaned value (not empty) -> the stored value
    # an imported file
    columns: tuple[Column, ...] = ()
    # HR's detail page; no `show`: never a row of its own
    title: Callable[["ProfileKey"], str] | None = None  # the row's title when it is not the label
    show: Callable[..., str] | None = None  # the stored value in words, in the reader's language
    reads_profile: bool = False  # show(value, profile): a period 至今 lasts until the profile's applied_on
    shows: str = ""  # the key the row shows when more than this one (the certificate's level and years)

    @property
    def read(self) -> tuple[str, str | None]:
        """What a requirement reads to ask for this key, as rules.schemas.profile_reads gives it."""
        head, _dot, sub = (self.read_as or self.key).partition(".")
        return head, sub or None

    def shown(self, profile: dict) -> str | None:
        """HR's row: the stored value in words; None when unknown."""
        value = value_at(profile, self.shows or self.key)
        if self.show is None or value is None or value in ("", {}):
            return None
        return self.show(value, profile) if self.reads_profile else self.show(value)

    def row_title(self) -> str:
        return self.title(self) if self.title else str(self.label)

    def put(self, profile: dict, value: Any) -> None:
        head, _dot, sub = self.key.partition(".")
        if sub:
            profile.setdefault(head, {})[sub] = value
        else:
            profile[head] = value


@dataclass(frozen=True)
class Family:
    """Keys named by a code under one head (languages.en, languages.ja…), declared by a function of the code."""

    head: str
    code: re.Pattern[str]
    make: Callable[[str], ProfileKey]
    with_headers: tuple[str, ...] = ()  # codes whose columns have Chinese headers


# --- pieces the declarations share ----------------------------------------------------------------------------
class Choices(BaseChoiceIterator):
    """A flat list of (code, label) pairs that Django takes as it is: a plain list is normalised again by every
    choice field and widget built from it, half the cost of building the application form on each POST."""

    def __init__(self, pairs):
        self.pairs = tuple(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self):
        return len(self.pairs)

    def __deepcopy__(self, memo):
        return self  # never changed in place: forms copy their fields, they may share this


def _choices(mapping: dict, codes) -> Choices:
    return Choices((c, mapping[c]) for c in codes)


def _plausible_birth_date(born: date) -> None:
    today = timezone.localdate()
    if born >= today or age_on({"date_of_birth": born.isoformat()}, today) > 80:
        raise forms.ValidationError(_("请填写真实的出生日期"))


def _rating_field(key: ProfileKey) -> forms.Field:
    return forms.TypedChoiceField(
        label=_("%(trait)s（自评 1–5）") % {"trait": key.label},
        help_text=_("1 明显不足 · 3 和多数人差不多 · 5 非常突出"),
        coerce=int,
        choices=RATINGS,
        widget=forms.RadioSelect,
    )


YES_NO = Choices([("yes", _("是")), ("no", _("否"))])
RATINGS = Choices((i, str(i)) for i in range(vocab.TRAIT_MIN, vocab.TRAIT_MAX + 1))


def _yes_no_field(key: ProfileKey) -> forms.Field:
    # a sensitive question may be left unanswered (unknown), the others not
    return forms.ChoiceField(label=key.label, choices=YES_NO, widget=forms.RadioSelect, required=not key.sensitive)


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _boolean(value: Any) -> bool:
    return isinstance(value, bool)


def text_column(limit: int, *headers: str) -> Column:
    text = parsers.bounded_text(limit)
    return Column(text, parsers.strict(_string, parsers.A_STRING, text), headers)


_NON_NEGATIVE = parsers.strict(parsers.non_negative, parsers.A_NUMBER_AT_LEAST_0)
_TRUE_OR_FALSE = parsers.strict(_boolean, parsers.TRUE_OR_FALSE)
_WHOLE_YEARS = parsers.strict(
    lambda v: parsers.is_number(v) and float(v).is_integer() and v >= 0, parsers.WHOLE_YEARS, int
)
_RATING = parsers.strict(
    lambda v: parsers.is_number(v) and float(v).is_integer() and vocab.TRAIT_MIN <= v <= vocab.TRAIT_MAX,
    parsers.A_WHOLE_NUMBER_BETWEEN,
    int,
    low=vocab.TRAIT_MIN,
    high=vocab.TRAIT_MAX,
)


def _label_of(mapping: dict) -> Callable[[Any], str]:
    return lambda code: labels.label(mapping, code)


def _listed(mapping: dict) -> Callable[[list], str]:
    return lambda codes: "、".join(labels.label(mapping, c) for c in codes) or str(_("无"))


def _years(years: float) -> str:
    return _("%(n)s 年") % {"n": years}


def _yes_or_no(value: bool) -> str:
    return str(_("是") if value else _("否"))


def _typing(typing: dict) -> str:
    text = _("%(cpm)s 字/分钟") % {"cpm": typing.get("cpm")}
    if typing.get("accuracy") is not None:
        text += _("，准确率 %(accuracy)s") % {"accuracy": f"{typing['accuracy']:.0%}"}
    text += " · " + str(_("本站实测") if typing.get("measured") else _("自报"))
    if typing.get("flags"):
        text += " · " + "、".join(labels.label(labels.TYPING_FLAGS, f) for f in typing["flags"])
    return text


def _certificate(certificate: dict) -> str:
    text = labels.label(labels.CERTIFICATES, certificate.get("level"))
    if certificate.get("years_since") is not None:
        text += _("（已满 %(n)s 年）") % {"n": certificate["years_since"]}
    return text


def _history(history: list, profile: dict) -> str:
    """One line per period: the kind of work, from–to and its years (as experience_at_least counts them)."""
    fields = sub_labels("experience")
    lines = []
    for entry in history:
        years = rules.period_years(entry, profile, timezone.localdate())
        lines.append(
            _("%(field)s：%(start)s – %(end)s（%(years)s 年）")
            % {
                "field": fields.get(entry.get("field"), entry.get("field")),
                "start": entry.get("start"),
                "end": entry.get("end") or _("至今"),
                "years": "?" if years is None else f"{years:g}",
            }
        )
    return "\n".join(lines) or str(_("无"))


def _certificates(certificates: list) -> str:
    """One line per certificate held, with the day it was obtained."""
    lines = [
        _("%(level)s（%(date)s 取得）")
        % {"level": labels.label(labels.CERTIFICATES, c.get("level")), "date": c.get("obtained_on")}
        for c in certificates
    ]
    return "\n".join(lines) or str(labels.CERTIFICATES["none"])


# --- keys declared by a function: one line each below ---------------------------------------------------------
def _experience(field: str, label: Promise, *headers: str) -> ProfileKey:
    """Years of work in a field: rules.vocab.EXPERIENCE_FIELDS, read by experience_at_least. A job board's total
    ("1-3年"), kept with the precision it carries; the application form asks the dated work_history instead, from
    which the engine derives these totals (one question, no totals to keep in step with it)."""
    return ProfileKey(
        key=f"experience.{field}",
        label=label,
        evidence=Evidence.CLAIMED,
        columns=(Column(parsers.years, _NON_NEGATIVE, headers),),
        title=lambda key: _("%(field)s经验") % {"field": key.label},
        show=_years,
    )


def _declaration(code: str, label: Promise, *headers: str) -> ProfileKey:
    """A yes/no statement: rules.vocab.DECLARATIONS, read by `declared`."""
    return ProfileKey(
        key=f"declarations.{code}",
        label=label,
        evidence=Evidence.CLAIMED,
        sensitive=vocab.SENSITIVE_DECLARATIONS.get(code),
        section=Section.DECLARATIONS,
        field_name=f"declare_{code}",
        field=_yes_no_field,
        store=lambda answer: answer == "yes",
        columns=(Column(parsers.declaration(code), _TRUE_OR_FALSE, headers),),
        show=_yes_or_no,
    )


def _trait(code: str, label: Promise, *headers: str) -> ProfileKey:
    """A self-rating 1–5: rules.vocab.TRAITS, read by trait_at_least."""
    return ProfileKey(
        key=f"traits.{code}",
        label=label,
        evidence=Evidence.SELF_RATED,
        section=Section.SKILLS,
        field_name=f"trait_{code}",
        field=_rating_field,
        columns=(Column(parsers.trait_rating, _RATING, headers),),
        show=lambda rating: f"{rating}/5",
    )


def _language(code: str) -> ProfileKey:
    """The level in a language (any ISO 639 code), read by language_at_least."""
    english = code == "en"  # job boards head it 英语 and give exams (CET-4…) for its levels
    return ProfileKey(
        key=f"languages.{code}",
        label=labels.LANGUAGES.get(code, code),
        evidence=Evidence.CLAIMED,
        section=Section.SKILLS,
        field_name=f"language_{code}",
        field=lambda key: forms.ChoiceField(
            label=_("%(language)s水平") % {"language": key.label},
            choices=_choices(labels.LANGUAGE_LEVELS, vocab.LANGUAGE_LEVELS),
        ),
        columns=(
            Column(
                parsers.english_level if english else parsers.language_level,
                parsers.one_of(vocab.LANGUAGE_LEVELS),
                ("英语", "英语水平") if english else (),
            ),
        ),
        show=_label_of(labels.LANGUAGE_LEVELS),
    )


# --- the registry: in the order the form asks (by section) and HR's page shows --------------------------------
KEYS: tuple[ProfileKey | Family, ...] = (
    ProfileKey(
        key="date_of_birth",
        label=_("出生日期"),
        evidence=Evidence.CLAIMED,
        section=Section.BACKGROUND,
        field_name="date_of_birth",
        field=lambda key: forms.DateField(
            label=key.label,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            required=True,
            validators=[_plausible_birth_date],
        ),
        store=date.isoformat,
        columns=(Column(parsers.birth_date, parsers.iso_date, ("出生日期",)),),
        show=str,
    ),
    ProfileKey(
        key="age",  # job boards give an age instead of a date of birth
        label=_("年龄"),
        evidence=Evidence.CLAIMED,
        read_as="date_of_birth",
        columns=(Column(parsers.age, _WHOLE_YEARS, ("年龄",)),),
        show=str,
    ),
    ProfileKey(
        key="education",
        label=_("学历"),
        evidence=Evidence.CLAIMED,
        section=Section.BACKGROUND,
        field_name="education",
        field=lambda key: forms.ChoiceField(
            label=_("最高学历"),
            choices=Choices([("", "---------"), *_choices(labels.EDUCATION, vocab.EDUCATION_LEVELS)]),
        ),
        columns=(Column(parsers.education, parsers.one_of(vocab.EDUCATION_LEVELS), ("学历", "最高学历")),),
        show=_label_of(labels.EDUCATION),
    ),
    ProfileKey(
        key="major",
        label=_("专业"),
        evidence=Evidence.CLAIMED,
        section=Section.BACKGROUND,
        field_name="major",
        field=lambda key: forms.CharField(label=_("所学专业"), max_length=parsers.MAX_MAJOR, required=False),
        store=str.strip,
        columns=(text_column(parsers.MAX_MAJOR, "专业"),),
        show=str,
    ),
    _experience("customer_service", _("客服"), "客服经验", "客服工作年限"),
    _experience("ecommerce", _("电商"), "电商经验"),
    _experience("after_sales", _("售后"), "售后经验"),
    _experience("clerical", _("文职"), "文职经验"),
    _experience("sales", _("销售"), "销售经验"),
    _experience("technical", _("技术"), "技术经验", "技术工作年限"),
    _experience("total", _("全部工作"), "工作年限", "工作经验"),
    ProfileKey(
        key="work_history",  # periods of work by month: experience_at_least reads it before the totals
        label=_("工作经历"),
        evidence=Evidence.CLAIMED,
        section=Section.BACKGROUND,
        field_name="work_history",
        field=lambda key: form_rows.work_history_field(
            label=key.label,
            fields=Choices((f, label) for f, label in sub_labels("experience").items() if f in parsers.WORK_FIELDS),
            help_text=_("按时间填写做过的每一段工作；还在做的勾选“至今”。没有工作经历可以不填。"),
        ),
        columns=(Column(parsers.work_history_cell, parsers.work_history, ("工作经历",)),),
        show=_history,
        reads_profile=True,
    ),
    ProfileKey(
        key="typing",  # the portal's typing test, a widget of the form's own; a job board's figure is self-reported
        label=_("打字"),
        evidence=Evidence.MEASURED,
        columns=(
            Column(parsers.typing_speed, _NON_NEGATIVE, ("打字速度",), sub="cpm"),
            Column(
                parsers.accuracy,
                parsers.strict(lambda v: parsers.is_number(v) and 0 <= v <= 1, parsers.A_NUMBER_0_TO_1),
                sub="accuracy",
            ),
            Column(None, _TRUE_OR_FALSE, sub="measured"),
        ),
        show=_typing,
    ),
    Family("languages", re.compile(r"^[a-z]{2,3}$"), _language, with_headers=("en",)),
    ProfileKey(
        # a job board's highest certificate and how long it has been held; the form asks `certificates` instead
        key="certificate.level",
        label=_("证书"),
        evidence=Evidence.CLAIMED,
        columns=(
            Column(
                parsers.certificate_level,
                parsers.one_of(vocab.CERTIFICATE_LEVELS),
                ("证书", "职业资格", "职业资格证书"),
            ),
        ),
        shows="certificate",
        show=_certificate,
    ),
    ProfileKey(
        key="certificate.years_since",  # shown on the certificate's row
        label=_("取得该证书已满（年）"),
        evidence=Evidence.CLAIMED,
        columns=(Column(parsers.years, _NON_NEGATIVE, ("证书年限", "取证年限")),),
    ),
    ProfileKey(
        key="certificates",  # every certificate held, dated: certificate_at_least reads it before `certificate`
        label=_("持有的证书"),
        evidence=Evidence.CLAIMED,
        section=Section.BACKGROUND,
        field_name="certificates",
        field=lambda key: form_rows.certificates_field(
            label=_("客户服务职业资格证书"),
            levels=_choices(labels.CERTIFICATES, parsers.CERTIFICATE_HELD),
            help_text=_("持有的每一本证书都填上，写明取得日期；没有证书可以不填。"),
        ),
        columns=(Column(parsers.certificates_cell, parsers.certificate_list, ("证书记录",)),),
        show=_certificates,
    ),
    ProfileKey(
        key="platforms",
        label=_("电商平台"),
        evidence=Evidence.CLAIMED,
        section=Section.BACKGROUND,
        field_name="platforms",
        field=lambda key: forms.MultipleChoiceField(
            label=_("做过哪些电商平台"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=_choices(labels.PLATFORMS, vocab.PLATFORMS),
        ),
        store=list,  # none ticked: none, not unknown
        columns=(Column(parsers.platform_list, parsers.code_list(vocab.PLATFORMS), ("平台", "电商平台")),),
        show=_listed(labels.PLATFORMS),
    ),
    ProfileKey(
        key="skills",
        label=_("技能"),
        evidence=Evidence.CLAIMED,
        section=Section.SKILLS,
        field_name="skills",
        field=lambda key: forms.MultipleChoiceField(
            label=_("掌握的技能"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=_choices(labels.SKILLS, vocab.SKILLS),
        ),
        store=list,
        columns=(Column(parsers.skill_list, parsers.code_list(vocab.SKILLS), ("技能",)),),
        show=_listed(labels.SKILLS),
    ),
    _declaration("no_criminal_record", _("无犯罪记录"), "无犯罪记录"),
    _declaration("good_health", _("身体健康"), "身体健康"),
    _declaration("accepts_shifts", _("接受轮班"), "接受轮班"),
    _declaration("accepts_peak_overtime", _("接受大促期间加班"), "接受加班", "接受大促加班", "接受大促期间加班"),
    _trait("patience", _("耐心"), "耐心"),
    _trait("carefulness", _("细心"), "细心"),
    _trait("responsibility", _("责任心"), "责任心"),
    _trait("stress_tolerance", _("抗压能力"), "抗压能力"),
    _trait("teamwork", _("团队合作"), "团队合作"),
    _trait("learning", _("学习能力"), "学习能力"),
    _trait("adaptability", _("适应能力"), "适应能力"),
    _trait("communication", _("沟通能力"), "沟通能力"),
    _trait("service_mindset", _("服务意识"), "服务意识"),
    _trait("initiative", _("主动性"), "主动性"),
)


# --- looking keys up ------------------------------------------------------------------------------------------
def _expand(codes: Callable[[str], Iterable[str]]) -> Iterator[ProfileKey]:
    """Every key in declaration order, a family's for the codes `codes(head)` names (sorted)."""
    for entry in KEYS:
        if isinstance(entry, Family):
            yield from (_member(entry.head, c) for c in sorted(set(codes(entry.head))) if entry.code.match(c))
        else:
            yield entry


def asked(reads: set[tuple[str, str | None]]) -> list[ProfileKey]:
    """The keys that what requirements read (rules.schemas.profile_reads) asks for, in declaration order."""
    return [key for key in _expand(lambda head: (sub for h, sub in reads if h == head and sub)) if key.read in reads]


def held(profile: dict) -> list[ProfileKey]:
    """Every key declared, a family's for the codes the profile holds."""
    return list(_expand(lambda head: profile.get(head) if isinstance(profile.get(head), dict) else ()))


def value_at(profile: dict, key: str) -> Any:
    head, _dot, sub = key.partition(".")
    value = profile.get(head)
    return (value.get(sub) if isinstance(value, dict) else None) if sub else value


def sub_labels(head: str) -> dict[str, Promise | str]:
    """{code: label} of the keys under a head, e.g. the experience fields."""
    prefix = f"{head}."
    return {e.key.removeprefix(prefix): e.label for e in KEYS if isinstance(e, ProfileKey) and e.key.startswith(prefix)}


_FAMILIES = {e.head: e for e in KEYS if isinstance(e, Family)}


@cache
def _member(head: str, code: str) -> ProfileKey:
    return _FAMILIES[head].make(code)


def _columns(key: ProfileKey) -> Iterator[tuple[str, ProfileKey, Column]]:
    for column in key.columns:
        yield (f"{key.key}.{column.sub}" if column.sub else key.key), key, column


_DECLARED = [e for e in KEYS if isinstance(e, ProfileKey)]
_DECLARED += [_member(f.head, code) for f in _FAMILIES.values() for code in f.with_headers]
_BY_COLUMN = {path: (key, column) for declared in _DECLARED for path, key, column in _columns(declared)}

# what a job board's Chinese header fills: {header, casefolded: dotted key}
HEADERS = {h.casefold(): path for path, (_key, column) in _BY_COLUMN.items() for h in column.headers}
# keys whose values are objects of keys in a JSON profile
GROUPS = frozenset(path.partition(".")[0] for path in _BY_COLUMN if "." in path) | set(_FAMILIES)


def column(path: str) -> tuple[ProfileKey, Column] | None:
    """The key an imported column fills (a dotted key, "typing.cpm") and how to read it; None: not imported."""
    if path in _BY_COLUMN:
        return _BY_COLUMN[path]
    head, _dot, code = path.partition(".")
    if head in _FAMILIES and _FAMILIES[head].code.match(code):
        key = _member(head, code)
        return key, key.columns[0]
    return None

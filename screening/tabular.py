"""Rows from job-board exports (.csv, .xlsx) and profile files (.json) as plain DESIGN.md profiles.

Pure: no ORM and no Django settings, so the HR import, the `screen` command and tests share it.
Every cell is read leniently (the forms Chinese job boards export: "25岁", "1-3年", "CET-4",
"淘宝、京东") but stored strictly as vocabulary codes. An empty cell is *unknown*: its key is
left out, never stored as None or "no". Columns we do not use are listed in `dropped` and never
stored (personal data we have no reason to keep).

Messages are Chinese msgids translated when they are built (gettext, not at import), so each is in
the language active at that moment: Chinese by default, English when the user asks for it.
"""

import csv
import io
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .phone import normalise_mobile
from .rules import vocab


class TabularError(ValueError):
    """The file as a whole cannot be read (wrong type, undecodable, no header row)."""


@dataclass
class ParsedRow:
    number: int  # as a person sees it: spreadsheet row (header = 1) or JSON index + 1
    identity: dict[str, str] = field(default_factory=dict)
    profile: dict = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


# --- messages ------------------------------------------------------------------------------
# What kind of value a message is about, interpolated into it: lazy, translated when the message is
# built. A context, because some of these words are also msgids elsewhere with another meaning
# (技能 "Skills" and 评分 "Scoring" are model names). The context is a literal: makemessages skips a variable.
KIND_AGE = pgettext_lazy("kind of value in an applicant file", "年龄")
KIND_EDUCATION = pgettext_lazy("kind of value in an applicant file", "学历")
KIND_CERTIFICATE_LEVEL = pgettext_lazy("kind of value in an applicant file", "证书等级")
KIND_ENGLISH_LEVEL = pgettext_lazy("kind of value in an applicant file", "英语水平")
KIND_LANGUAGE_LEVEL = pgettext_lazy("kind of value in an applicant file", "语言水平")
KIND_PLATFORM = pgettext_lazy("kind of value in an applicant file", "平台")
KIND_SKILL = pgettext_lazy("kind of value in an applicant file", "技能")
# Translators: the answer to a yes/no column (是 or 否)
KIND_YES_NO = pgettext_lazy("kind of value in an applicant file", "是/否回答")
KIND_YEARS = pgettext_lazy("kind of value in an applicant file", "年限")
KIND_TYPING_SPEED = pgettext_lazy("kind of value in an applicant file", "打字速度")
KIND_RATING = pgettext_lazy("kind of value in an applicant file", "评分")
KIND_ACCURACY = pgettext_lazy("kind of value in an applicant file", "准确率")
KIND_DATE = pgettext_lazy("kind of value in an applicant file", "日期")


def _unrecognised(what: Promise | str, value: Any) -> ValueError:
    # Translators: what is a "kind of value in an applicant file" (学历, 年龄…); value is the cell, quoted
    return ValueError(_("无法识别的%(what)s：%(value)s") % {"what": str(what), "value": repr(value)})


def _outside(what: Promise | str, value: Any, low: float, high: float) -> ValueError:
    return ValueError(
        # Translators: what is a "kind of value in an applicant file"; value is the cell, quoted
        _("%(what)s %(value)s 不在 %(low)s–%(high)s 范围内")
        % {"what": str(what), "value": repr(value), "low": f"{low:g}", "high": f"{high:g}"}
    )


# --- cell values ---------------------------------------------------------------------------
# A parser takes a non-empty cell and returns the stored value, or raises ValueError whose
# message names the value ("无法识别的学历：'研究生院'").
Parser = Callable[[Any], Any]

# Placeholders job boards put in empty cells; they mean "not filled in", i.e. unknown.
_EMPTY = {"", "-", "--", "—", "n/a"}  # not "none": that is a vocabulary code


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().casefold() in _EMPTY)


def _text(value: Any) -> str:
    # XLSX gives whole numbers as floats (13800138000.0, 25.0): show them as people typed them
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _lookup(table: dict[str, str], what: Promise) -> Parser:
    def parse(value: Any) -> str:
        text = _text(value)
        code = table.get(text.casefold()) or table.get(re.sub(r"\s+", "", text).casefold())
        if code is None:
            raise _unrecognised(what, text)
        return code

    return parse


def _codes(codes: tuple[str, ...], **aliases: str) -> dict[str, str]:
    """Codes themselves plus aliases, keyed casefolded."""
    table = {c.casefold(): c for c in codes}
    table.update({k.casefold(): v for k, v in aliases.items()})
    return table


_EDUCATION = _codes(
    vocab.EDUCATION_LEVELS,
    无="none",
    小学="none",
    初中及以下="junior_middle",
    初中="junior_middle",
    高中="senior_high",
    中专="secondary_vocational",
    中技="secondary_vocational",
    技校="secondary_vocational",
    职高="secondary_vocational",
    **{"中专/中技": "secondary_vocational", "中专/技校": "secondary_vocational"},
    大专="junior_college",
    专科="junior_college",
    高职="junior_college",
    本科="bachelor",
    学士="bachelor",
    硕士="master",
    研究生="master",
    **{"mba/emba": "master", "mba": "master", "emba": "master"},
    博士="doctorate",
)

_CERTIFICATE = _codes(
    vocab.CERTIFICATE_LEVELS,
    无="none",
    无证书="none",
    暂无="none",
    客户服务代表="representative",
    高级客户服务代表="senior_representative",
    助理客户服务管理师="assistant_manager",
    客户服务管理师="manager",
    高级客户服务管理师="senior_manager",
    # the seed documents name the upper three levels 经理 instead of 管理师
    助理客户服务经理="assistant_manager",
    客户服务经理="manager",
    高级客户服务经理="senior_manager",
)

_PLATFORM = _codes(
    vocab.PLATFORMS,
    淘宝="taobao",
    天猫="tmall",
    京东="jd",
    拼多多="pdd",
    唯品会="vip",
    抖音="douyin",
    抖店="douyin",
    快手="kuaishou",
    小红书="xiaohongshu",
    亚马逊="amazon",
    虾皮="shopee",
    其他="other",
    其它="other",
    其他平台="other",
)

_SKILL = _codes(
    vocab.SKILLS,
    办公软件="office_software",
    office="office_software",
    excel="excel",
    **{"excel 表格": "excel", "excel表格": "excel"},
    表格="excel",
    crm="crm_tools",
    客服系统="crm_tools",
    **{"客服/crm 系统": "crm_tools", "客服/crm系统": "crm_tools", "crm系统": "crm_tools"},
    数据分析="data_analysis",
    销售="sales",
    销售技巧="sales",
)

# English exams name CEFR levels only roughly (DESIGN.md: CET-4 ≈ b1, CET-6 ≈ b2, TEM-8 ≈ c1).
_ENGLISH = _codes(
    vocab.LANGUAGE_LEVELS,
    无="none",
    不会="none",
    cet4="b1",
    四级="b1",
    英语四级="b1",
    大学英语四级="b1",
    cet6="b2",
    六级="b2",
    英语六级="b2",
    大学英语六级="b2",
    tem4="b2",
    专四="b2",
    专业四级="b2",
    英语专业四级="b2",
    tem8="c1",
    专八="c1",
    专业八级="c1",
    英语专业八级="c1",
)
_LANGUAGE = _codes(vocab.LANGUAGE_LEVELS, 无="none", 不会="none")


def _english(value: Any) -> str:
    # "CET-4", "cet 4", "CET_4" are the same exam
    code = _ENGLISH.get(re.sub(r"[\s\-_]", "", _text(value)).casefold())
    if code is None:
        raise _unrecognised(KIND_ENGLISH_LEVEL, _text(value))
    return code


_LIST_SPLIT = re.compile(r"[、,，;；]")
_WORD_SPLIT = re.compile(r"[/\s]+")


def _listing(table: dict[str, str], what: Promise) -> Parser:
    def parse(value: Any) -> list[str]:
        found: list[str] = []
        for part in filter(None, (p.strip() for p in _LIST_SPLIT.split(_text(value)))):
            # a whole part may be one label containing "/" or a space ("Excel 表格", "客服/CRM 系统")
            words = [part] if part.casefold() in table else _WORD_SPLIT.split(part)
            for word in filter(None, words):
                code = table.get(word.casefold())
                if code is None:
                    raise _unrecognised(what, word)
                if code not in found:
                    found.append(code)
        return found

    return parse


_YES = {"是", "有", "y", "yes", "true", "1", "√"}
_NO = {"否", "无", "n", "no", "false", "0", "×"}


def _declaration(code: str) -> Parser:
    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value).casefold()
        if code == "no_criminal_record" and text in ("有", "无"):
            # "无" under 无犯罪记录 could mean "no record" (holds) or "no" (does not): refuse to guess
            raise ValueError(
                _("回答 %(value)s 用于“无犯罪记录”含义不明确：请填写“是”或“否”") % {"value": repr(_text(value))}
            )
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise _unrecognised(KIND_YES_NO, _text(value))

    return parse


_NUMBER = r"(\d+(?:\.\d+)?)"
_YEARS = re.compile(rf"^{_NUMBER}(?:\s*[-~～至到—–]\s*{_NUMBER})?\s*(年|个月|月)?\s*(以上|及以上|以下|以内)?$")
_NO_EXPERIENCE = {"应届生", "应届", "应届毕业生", "无经验", "无", "没有"}


MAX_YEARS = 60  # as the application form allows


def _is_number(value: Any) -> bool:
    """An int or float, not a bool (True is an int in Python)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _years(value: Any) -> int | float:
    if _is_number(value):
        years = float(value)
    else:
        text = _text(value)
        if text in _NO_EXPERIENCE:
            return 0
        if text == "半年":
            return 0.5
        m = _YEARS.match(text)
        if m is None:
            raise _unrecognised(KIND_YEARS, text)
        lower, _upper, unit, bound = m.groups()
        if bound in ("以下", "以内"):
            return 0  # "1年以下": the lower bound of what is known
        # a range ("1-3年") counts from its lower bound: what the person surely has
        years = float(lower) / 12 if unit in ("个月", "月") else float(lower)
    if not 0 <= years <= MAX_YEARS:
        raise _outside(KIND_YEARS, _text(value), 0, MAX_YEARS)
    return _num(round(years, 2))


def _bounded_number(pattern: re.Pattern, what: Promise, lo: float, hi: float) -> Parser:
    def parse(value: Any) -> int | float:
        if _is_number(value):
            number = float(value)
        else:
            m = pattern.match(_text(value))
            if m is None:
                raise _unrecognised(what, _text(value))
            number = float(m.group(1))
        if not lo <= number <= hi:
            raise _outside(what, _text(value), lo, hi)
        return _num(number)

    return parse


_cpm = _bounded_number(re.compile(rf"^{_NUMBER}\s*(?:字/分钟|字/分|字每分钟|字)?$"), KIND_TYPING_SPEED, 0, 400)


def _whole(parse: Parser, what: Promise) -> Parser:
    def whole(value: Any) -> int:
        number = parse(value)
        if not float(number).is_integer():
            raise ValueError(_("%(what)s %(value)s 不是整数") % {"what": str(what), "value": repr(_text(value))})
        return int(number)

    return whole


_age = _whole(_bounded_number(re.compile(rf"^{_NUMBER}\s*(?:岁|周岁)?$"), KIND_AGE, 14, 80), KIND_AGE)
_trait = _whole(
    _bounded_number(re.compile(rf"^{_NUMBER}\s*分?$"), KIND_RATING, vocab.TRAIT_MIN, vocab.TRAIT_MAX), KIND_RATING
)


def _accuracy(value: Any) -> float:
    text = _text(value)
    percent = text.endswith("%")
    try:
        number = float(text.removesuffix("%"))
    except ValueError:
        raise _unrecognised(KIND_ACCURACY, text) from None
    number = number / 100 if percent else number
    if not 0 <= number <= 1:
        raise ValueError(_("准确率 %(value)s 不在 0–1（或 0%%–100%%）范围内") % {"value": repr(text)})
    return number


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    # date-time exports of a date column
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)


def _date(value: Any) -> str:
    if isinstance(value, datetime):  # XLSX date cells; check before date, its base class
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise _unrecognised(KIND_DATE, text)


def _birth_date(value: Any) -> str:
    born = _date(value)
    if not "1900-01-01" <= born < timezone.localdate().isoformat():
        raise ValueError(_("出生日期 %(value)s 不合理") % {"value": repr(born)})
    return born


# As long as the application form allows (and what the database columns hold); PostgreSQL stores no NUL.
MAX_NAME = 100
MAX_MAJOR = 100
MAX_ANSWER = 2000


def _bounded_text(limit: int) -> Parser:
    def parse(value: Any) -> str:
        text = _text(value)
        if "\x00" in text:
            raise ValueError(_("含有不允许的空字符（NUL）"))
        if len(text) > limit:
            raise ValueError(_("超过 %(limit)s 个字符") % {"limit": limit})
        return text

    return parse


def _phone(value: Any) -> str:
    phone = normalise_mobile(_text(value))
    if phone is None:
        raise ValueError(_("不是有效的中国大陆手机号：%(value)s") % {"value": repr(_text(value))})
    return phone


def _email(value: Any) -> str:
    email = _text(value).lower()  # may lengthen it: "İ".lower() is two characters
    try:
        validate_email(email)
        valid = len(email) <= 254  # what Applicant.email holds; validate_email allows up to 320
    except ValidationError:
        valid = False
    if not valid:
        raise ValueError(_("不是有效的电子邮箱：%(value)s") % {"value": repr(_text(value))})
    return email


# --- columns -------------------------------------------------------------------------------
IDENTITY = ("name", "email", "phone")

_KEY_PARSERS: dict[str, Parser] = {
    "name": _bounded_text(MAX_NAME),
    "email": _email,
    "phone": _phone,
    "date_of_birth": _birth_date,
    "applied_on": _date,
    "age": _age,
    "education": _lookup(_EDUCATION, KIND_EDUCATION),
    "major": _bounded_text(MAX_MAJOR),
    "typing.cpm": _cpm,
    "typing.accuracy": _accuracy,
    "languages.en": _english,
    "certificate.level": _lookup(_CERTIFICATE, KIND_CERTIFICATE_LEVEL),
    "certificate.years_since": _years,
    "platforms": _listing(_PLATFORM, KIND_PLATFORM),
    "skills": _listing(_SKILL, KIND_SKILL),
    **{f"experience.{f}": _years for f in vocab.EXPERIENCE_FIELDS},
    **{f"declarations.{d}": _declaration(d) for d in vocab.DECLARATIONS},
    **{f"traits.{t}": _trait for t in vocab.TRAITS},
}

_CHINESE_HEADERS: dict[str, str] = {
    "姓名": "name",
    "邮箱": "email",
    "电子邮箱": "email",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
    "出生日期": "date_of_birth",
    "年龄": "age",
    "学历": "education",
    "最高学历": "education",
    "专业": "major",
    "工作年限": "experience.total",
    "工作经验": "experience.total",
    "客服经验": "experience.customer_service",
    "客服工作年限": "experience.customer_service",
    "电商经验": "experience.ecommerce",
    "售后经验": "experience.after_sales",
    "文职经验": "experience.clerical",
    "销售经验": "experience.sales",
    "打字速度": "typing.cpm",
    "英语": "languages.en",
    "英语水平": "languages.en",
    "证书": "certificate.level",
    "职业资格": "certificate.level",
    "职业资格证书": "certificate.level",
    "证书年限": "certificate.years_since",
    "取证年限": "certificate.years_since",
    "平台": "platforms",
    "电商平台": "platforms",
    "技能": "skills",
    "无犯罪记录": "declarations.no_criminal_record",
    "身体健康": "declarations.good_health",
    "接受轮班": "declarations.accepts_shifts",
    "接受加班": "declarations.accepts_peak_overtime",
    "接受大促加班": "declarations.accepts_peak_overtime",
    "接受大促期间加班": "declarations.accepts_peak_overtime",
    # the trait labels of screening/labels.py (kept here as literals: labels.py is translated)
    "耐心": "traits.patience",
    "细心": "traits.carefulness",
    "责任心": "traits.responsibility",
    "抗压能力": "traits.stress_tolerance",
    "团队合作": "traits.teamwork",
    "学习能力": "traits.learning",
    "适应能力": "traits.adaptability",
    "沟通能力": "traits.communication",
    "服务意识": "traits.service_mindset",
    "主动性": "traits.initiative",
}

# Never stored, whatever else happens: personal data that screening must not use.
ALWAYS_DROPPED = frozenset(
    h.casefold()
    for h in ("性别", "民族", "婚姻状况", "照片", "头像", "photo", "籍贯", "身高", "体重", "政治面貌")
    + ("gender", "sex", "ethnicity", "marital_status", "avatar", "hometown", "height", "weight")
)

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")  # question codes, as in rules/schemas.py
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _column(header: str) -> tuple[str, Parser] | None:
    """(dotted profile key, parser) for a header, or None when the column is not used."""
    key = header.strip().casefold()
    if key in ALWAYS_DROPPED:
        return None
    key = _CHINESE_HEADERS.get(key, key)
    if key in _KEY_PARSERS:
        return key, _KEY_PARSERS[key]
    prefix, _dot, rest = key.partition(".")
    if prefix == "answers" and _CODE.match(rest):
        return key, _bounded_text(MAX_ANSWER)
    if prefix == "languages" and _LANGUAGE_CODE.match(rest):
        return key, _lookup(_LANGUAGE, KIND_LANGUAGE_LEVEL)  # exam names (CET…) are English only
    return None


def _put(row: ParsedRow, key: str, value: Any) -> None:
    if key in IDENTITY:
        row.identity[key] = value
        return
    head, _dot, rest = key.partition(".")
    if head == "answers":
        row.answers[rest] = value
    elif rest:
        row.profile.setdefault(head, {})[rest] = value
    else:
        row.profile[head] = value


def _stored(row: ParsedRow, key: str) -> Any:
    if key in IDENTITY:
        return row.identity.get(key)
    head, _dot, rest = key.partition(".")
    if head == "answers":
        return row.answers.get(rest)
    if rest:
        return row.profile.get(head, {}).get(rest)
    return row.profile.get(head)


def parse_record(record: dict[str, object], number: int) -> ParsedRow:
    """One spreadsheet row ({header: cell}) as a profile; bad cells become errors, their keys left out."""
    row = ParsedRow(number=number)
    source: dict[str, str] = {}  # key -> header that set it, to name both sides of a conflict
    for header, cell in record.items():
        column = _column(str(header))
        if column is None:
            row.dropped.append(str(header))
            continue
        if _is_empty(cell):
            continue  # unknown, not "no"
        key, parse = column
        try:
            value = parse(cell)
        except ValueError as exc:
            row.errors.append((str(header), str(exc)))
            continue
        earlier = _stored(row, key)
        if earlier is not None and earlier != value:
            row.errors.append(
                (
                    str(header),
                    _("%(value)s 与列 %(column)s 的值冲突") % {"value": repr(_text(cell)), "column": repr(source[key])},
                )
            )
            continue
        _put(row, key, value)
        source[key] = str(header)
    typing = row.profile.get("typing")
    if typing and "cpm" in typing:
        # a job board's figure is self-reported: the portal did not measure it (as the web form records)
        typing["measured"] = False
    return row


# --- JSON: already in the vocabulary, so checked strictly ----------------------------------
# What a JSON value should have been, interpolated into "应为%(expected)s，实际为 %(value)s" (lazy, as above).
A_STRING = pgettext_lazy("what a value in a JSON profile should be", "文本")
WHOLE_YEARS = pgettext_lazy("what a value in a JSON profile should be", "整数岁数")
A_NUMBER_AT_LEAST_0 = pgettext_lazy("what a value in a JSON profile should be", "不小于 0 的数")
A_NUMBER_0_TO_1 = pgettext_lazy("what a value in a JSON profile should be", "介于 0 和 1 之间的数")
A_WHOLE_NUMBER_BETWEEN = pgettext_lazy(
    "what a value in a JSON profile should be", "介于 %(low)s 和 %(high)s 之间的整数"
)
TRUE_OR_FALSE = pgettext_lazy("what a value in a JSON profile should be", "布尔值 true 或 false")
ONE_OF = pgettext_lazy("what a value in a JSON profile should be", "以下代码之一（%(codes)s）")
AN_ISO_DATE = pgettext_lazy("what a value in a JSON profile should be", "日期（ISO 格式 YYYY-MM-DD）")
A_LIST = pgettext_lazy("what a value in a JSON profile should be", "列表")
AN_OBJECT = pgettext_lazy("what a value in a JSON profile should be", "对象")
A_PROFILE_OBJECT = pgettext_lazy("what a value in a JSON profile should be", "个人资料对象")


def _expected(expected: Promise | str, got: str, **params: Any) -> str:
    """The message for a JSON value that is not what it should be; params fill the expected phrase."""
    what = str(expected) % params if params else str(expected)
    # Translators: expected is "what a value in a JSON profile should be"; value is the value given
    return _("应为%(expected)s，实际为 %(value)s") % {"expected": what, "value": got}


def _strict(check: Callable[[Any], bool], expected: Promise, then: Parser | None = None, **params: Any) -> Parser:
    def parse(value: Any) -> Any:
        if not check(value):
            raise ValueError(_expected(expected, repr(value), **params))
        return then(value) if then else value

    return parse


def _iso_date(value: Any) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError(_expected(AN_ISO_DATE, repr(value))) from None


def _code_list(codes: tuple[str, ...]) -> Parser:
    def parse(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValueError(_expected(A_LIST, repr(value)))
        bad = [v for v in value if v not in codes]
        if bad:
            raise ValueError(
                _("未知的代码 %(codes)s；应为以下代码中的若干个：%(allowed)s")
                % {"codes": repr(bad), "allowed": ", ".join(codes)}
            )
        return list(dict.fromkeys(value))

    return parse


def _one_of(codes: tuple[str, ...]) -> Parser:
    return _strict(lambda v: v in codes, ONE_OF, codes=", ".join(codes))


def _non_negative(v: Any) -> bool:
    return _is_number(v) and math.isfinite(v) and v >= 0  # json reads Infinity and NaN; jsonb stores neither


_JSON_PARSERS: dict[str, Parser] = {
    "name": _strict(lambda v: isinstance(v, str), A_STRING, _bounded_text(MAX_NAME)),
    "email": _strict(lambda v: isinstance(v, str), A_STRING, _email),
    "phone": _strict(lambda v: isinstance(v, str), A_STRING, _phone),
    "date_of_birth": _iso_date,
    "applied_on": _iso_date,
    "age": _strict(lambda v: _is_number(v) and float(v).is_integer() and v >= 0, WHOLE_YEARS, int),
    "education": _one_of(vocab.EDUCATION_LEVELS),
    "major": _strict(lambda v: isinstance(v, str), A_STRING, _bounded_text(MAX_MAJOR)),
    "typing.cpm": _strict(_non_negative, A_NUMBER_AT_LEAST_0),
    "typing.accuracy": _strict(lambda v: _is_number(v) and 0 <= v <= 1, A_NUMBER_0_TO_1),
    "typing.measured": _strict(lambda v: isinstance(v, bool), TRUE_OR_FALSE),
    "certificate.level": _one_of(vocab.CERTIFICATE_LEVELS),
    "certificate.years_since": _strict(_non_negative, A_NUMBER_AT_LEAST_0),
    "platforms": _code_list(vocab.PLATFORMS),
    "skills": _code_list(vocab.SKILLS),
    **{f"experience.{f}": _strict(_non_negative, A_NUMBER_AT_LEAST_0) for f in vocab.EXPERIENCE_FIELDS},
    **{f"declarations.{d}": _strict(lambda v: isinstance(v, bool), TRUE_OR_FALSE) for d in vocab.DECLARATIONS},
    **{
        f"traits.{t}": _strict(
            lambda v: _is_number(v) and float(v).is_integer() and vocab.TRAIT_MIN <= v <= vocab.TRAIT_MAX,
            A_WHOLE_NUMBER_BETWEEN,
            int,
            low=vocab.TRAIT_MIN,
            high=vocab.TRAIT_MAX,
        )
        for t in vocab.TRAITS
    },
}
_NESTED = ("experience", "typing", "languages", "certificate", "declarations", "traits", "answers")


def _json_parser(key: str) -> Parser | None:
    if key in _JSON_PARSERS:
        return _JSON_PARSERS[key]
    prefix, _dot, rest = key.partition(".")
    if prefix == "languages" and _LANGUAGE_CODE.match(rest):
        return _one_of(vocab.LANGUAGE_LEVELS)
    if prefix == "answers" and _CODE.match(rest):
        return _strict(lambda v: isinstance(v, str), A_STRING, _bounded_text(MAX_ANSWER))
    return None


def _flatten(obj: dict, row: ParsedRow) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        if key in _NESTED and isinstance(value, dict):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        elif key in _NESTED and value is not None:
            row.errors.append((key, _expected(AN_OBJECT, repr(value))))
        else:
            flat[key] = value
    return flat


def parse_profile(obj: Any, number: int) -> ParsedRow:
    """One JSON profile object (DESIGN.md keys, nested) checked strictly; errors name the key path."""
    row = ParsedRow(number=number)
    if not isinstance(obj, dict):
        row.errors.append(("", _expected(A_PROFILE_OBJECT, type(obj).__name__)))
        return row
    for key, value in _flatten(obj, row).items():
        parse = _json_parser(key)
        if parse is None:
            row.dropped.append(key)
        elif value is None or (isinstance(value, str) and not value.strip()):
            continue  # unknown
        else:
            try:
                _put(row, key, parse(value))
            except ValueError as exc:
                row.errors.append((key, str(exc)))
    return row


# --- files ---------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # with or without BOM (Excel adds one)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")  # what Chinese job boards and Excel on Chinese Windows export
    except UnicodeDecodeError:
        raise TabularError(_("文件既不是 UTF-8 也不是 GB18030 编码的文本")) from None


# Bounds on what one file may hold, so that a small file cannot take the server's memory or time: a job
# board's list has a few dozen columns (256 was the old .xls limit) and an HR import a few hundred or
# thousand people (more is several files).
MAX_COLUMNS = 256
MAX_ROWS = 10_000


def _header_width(cells: Sequence[Any]) -> int:
    """How many columns the header names: up to its last cell with a name."""
    return max((i for i, c in enumerate(cells, start=1) if c is not None and _text(c)), default=0)


def _blank(cells: Sequence[Any]) -> bool:
    # all None first, at C speed: a workbook's missing rows come as rows of None, up to a million of them
    return cells.count(None) == len(cells) or all(_is_empty(c) for c in cells)


def _records(rows: Iterable[Sequence[Any]]) -> list[ParsedRow]:
    """Header row + data rows → ParsedRows numbered as spreadsheet rows; blank rows are skipped."""
    rows = iter(rows)
    first = next(rows, None)
    if not first or all(_is_empty(c) for c in first):
        raise TabularError(_("没有表头行：第一行必须是各列的列名"))
    headers = [_text(h) if h is not None else "" for h in first[: _header_width(first)]]
    if len(headers) > MAX_COLUMNS:
        raise TabularError(_("表头超过 %(limit)s 列") % {"limit": MAX_COLUMNS})
    seen: dict[str, str] = {}
    for h in filter(None, headers):
        key = h.casefold()
        if key in seen:
            raise TabularError(_("列名重复：%(column)s") % {"column": repr(h)})
        seen[key] = h
    parsed = []
    for number, cells in enumerate(rows, start=2):
        if _blank(cells):
            continue
        if len(parsed) == MAX_ROWS:
            raise TabularError(_("文件超过 %(limit)s 行数据：请分成几个文件导入") % {"limit": MAX_ROWS})
        record = {h: c for h, c in zip(headers, cells, strict=False) if h}
        row = parse_record(record, number)
        # cells beyond the named columns are data without a meaning: never stored
        extra = [
            i for i, c in enumerate(cells, start=1) if not _is_empty(c) and (i > len(headers) or not headers[i - 1])
        ]
        row.dropped.extend(_("（未命名的第 %(number)s 列）") % {"number": i} for i in extra)
        parsed.append(row)
    return parsed


def _read_csv(path: Path) -> list[ParsedRow]:
    text = _decode(path.read_bytes())
    try:
        return _records(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # e.g. a cell longer than csv.field_size_limit()
        raise TabularError(_("CSV 文件无法读取：%(error)s") % {"error": exc}) from exc


def _read_xlsx(path: Path) -> list[ParsedRow]:
    from openpyxl import load_workbook  # only needed for spreadsheets

    try:
        # data_only: a formula cell gives the value Excel last computed, not the formula
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The file's own <dimension> may claim the whole sheet (A1:XFD1048576), and read-only openpyxl
            # pads every row to it: rows are read as the cells they hold instead, no wider than the header.
            sheet.reset_dimensions()
            # min_row=1: number rows as Excel shows them even when the used range starts lower
            header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            width = min(_header_width(header), MAX_COLUMNS + 1)  # wider is refused by _records
            data = sheet.iter_rows(min_row=2, max_col=max(width, 1), values_only=True)
            return _records(itertools.chain([header[:width]], data))
        finally:
            workbook.close()  # read-only mode keeps the file open until closed
    except (OSError, TabularError):
        raise  # the file itself could not be read (read_rows says so), or its rows are not a list of people
    except Exception as exc:
        # A damaged workbook fails in openpyxl's zip and XML layers, while loading or while reading rows, with
        # whatever they raise (fuzzing saw ParseError, BadZipFile, zlib.error and KeyError): all mean unreadable.
        raise TabularError(_("不是可读取的 .xlsx 工作簿：%(error)s") % {"error": exc}) from exc


def _read_json(path: Path) -> list[ParsedRow]:
    try:
        data = json.loads(_decode(path.read_bytes()))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, numbers of 4300+ digits, deep nesting
        raise TabularError(_("JSON 格式无效：%(error)s") % {"error": exc}) from exc
    items = data if isinstance(data, list) else [data]
    return [parse_profile(obj, i) for i, obj in enumerate(items, start=1)]


_READERS = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json}


def read_rows(path: Path) -> list[ParsedRow]:
    """Every data row of a .csv, .xlsx or .json file; raises TabularError when the file cannot be read."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise TabularError(
            _("不支持的文件类型 %(type)s：请使用 .csv、.xlsx 或 .json") % {"type": repr(path.suffix or path.name)}
        )
    try:
        return reader(path)
    except OSError as exc:
        raise TabularError(
            _("无法读取 %(file)s：%(error)s") % {"file": path.name, "error": exc.strerror or exc}
        ) from exc

"""One value of an imported file: lenient parsers for a job board's cells, strict checks for JSON profiles.

Pure: no ORM and no Django settings. A parser takes a value that is not empty and returns what is stored (a
vocabulary code, a number, an ISO date), or raises ValueError whose message names the value ("无法识别的学历：
'研究生院'"). Messages are Chinese msgids translated when they are built (gettext, not at import).
Which key a column fills is decided in screening/tabular.py.
"""

import calendar
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .phone import normalise_mobile
from .rules import vocab

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


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().casefold() in _EMPTY)


def text_of(value: Any) -> str:
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
        text = text_of(value)
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


def english_level(value: Any) -> str:
    # "CET-4", "cet 4", "CET_4" are the same exam
    code = _ENGLISH.get(re.sub(r"[\s\-_]", "", text_of(value)).casefold())
    if code is None:
        raise _unrecognised(KIND_ENGLISH_LEVEL, text_of(value))
    return code


_LIST_SPLIT = re.compile(r"[、,，;；]")
_WORD_SPLIT = re.compile(r"[/\s]+")


def _listing(table: dict[str, str], what: Promise) -> Parser:
    def parse(value: Any) -> list[str]:
        found: list[str] = []
        for part in filter(None, (p.strip() for p in _LIST_SPLIT.split(text_of(value)))):
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


education = _lookup(_EDUCATION, KIND_EDUCATION)
certificate_level = _lookup(_CERTIFICATE, KIND_CERTIFICATE_LEVEL)
language_level = _lookup(_LANGUAGE, KIND_LANGUAGE_LEVEL)  # exam names (CET…) are English only
platform_list = _listing(_PLATFORM, KIND_PLATFORM)
skill_list = _listing(_SKILL, KIND_SKILL)

_YES = {"是", "有", "y", "yes", "true", "1", "√"}
_NO = {"否", "无", "n", "no", "false", "0", "×"}


def declaration(code: str) -> Parser:
    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = text_of(value).casefold()
        if code == "no_criminal_record" and text in ("有", "无"):
            # "无" under 无犯罪记录 could mean "no record" (holds) or "no" (does not): refuse to guess
            raise ValueError(
                _("回答 %(value)s 用于“无犯罪记录”含义不明确：请填写“是”或“否”") % {"value": repr(text_of(value))}
            )
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise _unrecognised(KIND_YES_NO, text_of(value))

    return parse


_NUMBER = r"(\d+(?:\.\d+)?)"
_YEARS = re.compile(rf"^{_NUMBER}(?:\s*[-~～至到—–]\s*{_NUMBER})?\s*(年|个月|月)?\s*(以上|及以上|以下|以内)?$")
_NO_EXPERIENCE = {"应届生", "应届", "应届毕业生", "无经验", "无", "没有"}


MAX_YEARS = 60  # as the application form allows


def is_number(value: Any) -> bool:
    """An int or float, not a bool (True is an int in Python)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def years(value: Any) -> int | float:
    if is_number(value):
        years = float(value)
    else:
        text = text_of(value)
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
        raise _outside(KIND_YEARS, text_of(value), 0, MAX_YEARS)
    return _num(round(years, 2))


def _bounded_number(pattern: re.Pattern, what: Promise, lo: float, hi: float) -> Parser:
    def parse(value: Any) -> int | float:
        if is_number(value):
            number = float(value)
        else:
            m = pattern.match(text_of(value))
            if m is None:
                raise _unrecognised(what, text_of(value))
            number = float(m.group(1))
        if not lo <= number <= hi:
            raise _outside(what, text_of(value), lo, hi)
        return _num(number)

    return parse


typing_speed = _bounded_number(re.compile(rf"^{_NUMBER}\s*(?:字/分钟|字/分|字每分钟|字)?$"), KIND_TYPING_SPEED, 0, 400)


def _whole(parse: Parser, what: Promise) -> Parser:
    def whole(value: Any) -> int:
        number = parse(value)
        if not float(number).is_integer():
            raise ValueError(_("%(what)s %(value)s 不是整数") % {"what": str(what), "value": repr(text_of(value))})
        return int(number)

    return whole


age = _whole(_bounded_number(re.compile(rf"^{_NUMBER}\s*(?:岁|周岁)?$"), KIND_AGE, 14, 80), KIND_AGE)
trait_rating = _whole(
    _bounded_number(re.compile(rf"^{_NUMBER}\s*分?$"), KIND_RATING, vocab.TRAIT_MIN, vocab.TRAIT_MAX), KIND_RATING
)


def accuracy(value: Any) -> float:
    text = text_of(value)
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


def date_of(value: Any) -> str:
    if isinstance(value, datetime):  # XLSX date cells; check before date, its base class
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = text_of(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise _unrecognised(KIND_DATE, text)


def birth_date(value: Any) -> str:
    born = date_of(value)
    if not "1900-01-01" <= born < timezone.localdate().isoformat():
        raise ValueError(_("出生日期 %(value)s 不合理") % {"value": repr(born)})
    return born


# As long as the application form allows (and what the database columns hold); PostgreSQL stores no NUL.
MAX_NAME = 100
MAX_MAJOR = 100
MAX_ANSWER = 2000


def bounded_text(limit: int) -> Parser:
    def parse(value: Any) -> str:
        text = text_of(value)
        if "\x00" in text:
            raise ValueError(_("含有不允许的空字符（NUL）"))
        if len(text) > limit:
            raise ValueError(_("超过 %(limit)s 个字符") % {"limit": limit})
        return text

    return parse


def phone(value: Any) -> str:
    mobile = normalise_mobile(text_of(value))
    if mobile is None:
        raise ValueError(_("不是有效的中国大陆手机号：%(value)s") % {"value": repr(text_of(value))})
    return mobile


def email(value: Any) -> str:
    address = text_of(value).lower()  # may lengthen it: "İ".lower() is two characters
    try:
        validate_email(address)
        valid = len(address) <= 254  # what Applicant.email holds; validate_email allows up to 320
    except ValidationError:
        valid = False
    if not valid:
        raise ValueError(_("不是有效的电子邮箱：%(value)s") % {"value": repr(text_of(value))})
    return address


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


def expected_message(expected: Promise | str, got: str, **params: Any) -> str:
    """The message for a JSON value that is not what it should be; params fill the expected phrase."""
    what = str(expected) % params if params else str(expected)
    # Translators: expected is "what a value in a JSON profile should be"; value is the value given
    return _("应为%(expected)s，实际为 %(value)s") % {"expected": what, "value": got}


def strict(check: Callable[[Any], bool], expected: Promise, then: Parser | None = None, **params: Any) -> Parser:
    def parse(value: Any) -> Any:
        if not check(value):
            raise ValueError(expected_message(expected, repr(value), **params))
        return then(value) if then else value

    return parse


def iso_date(value: Any) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError(expected_message(AN_ISO_DATE, repr(value))) from None


def code_list(codes: tuple[str, ...]) -> Parser:
    def parse(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValueError(expected_message(A_LIST, repr(value)))
        bad = [v for v in value if v not in codes]
        if bad:
            raise ValueError(
                _("未知的代码 %(codes)s；应为以下代码中的若干个：%(allowed)s")
                % {"codes": repr(bad), "allowed": ", ".join(codes)}
            )
        return list(dict.fromkeys(value))

    return parse


def one_of(codes: tuple[str, ...]) -> Parser:
    return strict(lambda v: v in codes, ONE_OF, codes=", ".join(codes))


def non_negative(v: Any) -> bool:
    return is_number(v) and math.isfinite(v) and v >= 0  # json reads Infinity and NaN; jsonb stores neither


# --- dated lists: the periods of work and the certificates a person holds ------------------
# One reading for the three ways they arrive: a JSON profile (strict), a job board's cell (lenient, Chinese) and
# the application form's rows. Each way turns its input into entries ({field, start, end} / {level,
# obtained_on}); the checks below are the same for all three, and say which entry ("第 2 段经历").
MAX_ENTRIES = 30  # periods of work, or certificates, of one person: more is not a person's record
MAX_LIST_CELL = 2000  # characters in one 工作经历 / 证书记录 cell

KIND_MONTH = pgettext_lazy("kind of value in an applicant file", "月份")
KIND_WORK_FIELD = pgettext_lazy("kind of value in an applicant file", "工作类型")
A_MONTH = pgettext_lazy("what a value in a JSON profile should be", "月份（YYYY-MM）")
A_MONTH_OR_NULL = pgettext_lazy("what a value in a JSON profile should be", "月份（YYYY-MM）或 null（至今）")

WORK_FIELDS = tuple(f for f in vocab.EXPERIENCE_FIELDS if f != "total")  # the union of all work is the total
CERTIFICATE_HELD = tuple(c for c in vocab.CERTIFICATE_LEVELS if c != "none")  # "none" is not a certificate

_WORK_FIELD = _codes(
    WORK_FIELDS,
    客服="customer_service",
    客户服务="customer_service",
    电商="ecommerce",
    电子商务="ecommerce",
    售后="after_sales",
    售后服务="after_sales",
    文职="clerical",
    文员="clerical",
    行政="clerical",
    销售="sales",
    技术="technical",
)
_HELD = {text: code for text, code in _CERTIFICATE.items() if code != "none"}
_NONE_HELD = {"无", "没有", "暂无", "无证书", "无经验", "无工作经验", "应届生", "应届", "应届毕业生"}


PERIOD = pgettext_lazy("the n-th entry of a list: 第 n 段经历", "段经历")
CERTIFICATE = pgettext_lazy("the n-th entry of a list: 第 n 本证书", "本证书")


def entry_problem(what: Promise | str, n: int, problem: str) -> str:
    # Translators: what is "段经历" or "本证书" (the n-th period of work, the n-th certificate)
    return _("第 %(n)s %(what)s：%(problem)s") % {"n": n, "what": str(what), "problem": problem}


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:]) - 1


_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")


def month_of(value: Any) -> str:
    """A month as "YYYY-MM" from what people write: 2019-03, 2019-3, 2019.03, 2019/3, 2019年3月."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    text = text_of(value)
    m = _MONTH_TEXT.match(text)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise _unrecognised(KIND_MONTH, text)
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def _strict_month(value: Any) -> str:
    if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value) and 1 <= int(value[5:]) <= 12):
        raise ValueError(expected_message(A_MONTH, repr(value)))
    return value


def _strict_month_or_null(value: Any) -> str:
    try:
        return _strict_month(value)
    except ValueError:
        raise ValueError(expected_message(A_MONTH_OR_NULL, repr(value))) from None


def _today() -> date:
    return timezone.localdate()


class EntryErrors(ValueError):
    """Every problem of a list of entries, each naming its entry ("第 2 段经历：…"), in entry order."""

    def __init__(self, messages: list[str], numbers: set[int]):
        super().__init__("；".join(messages))
        self.messages, self.numbers = messages, numbers  # numbers: of the entries that are wrong


Problems = list[tuple[int, str]]  # (entry number from 1, what is wrong with it)


def read_entries(
    parts: list, read: Callable[[Any], dict], what: Promise, check: Callable[[list], Problems]
) -> list[dict]:
    """Each part (a JSON object, a cell's entry, a form's row) read by `read`, then all checked together by
    `check`; raises EntryErrors naming every entry that is wrong."""
    if len(parts) > MAX_ENTRIES:
        raise ValueError(_("最多 %(limit)s 条，实际 %(count)s 条") % {"limit": MAX_ENTRIES, "count": len(parts)})
    entries: list[dict | None] = []
    found: Problems = []
    for n, part in enumerate(parts, start=1):
        try:
            entries.append(read(part))
        except ValueError as exc:
            entries.append(None)  # reported; the others are still checked
            found.append((n, str(exc)))
    found += check(entries)
    if found:
        found.sort(key=lambda p: p[0])
        raise EntryErrors([entry_problem(what, n, message) for n, message in found], {n for n, _m in found})
    return entries


def history_problems(entries: list[dict | None]) -> Problems:
    """What is wrong with the periods of a work history (an unreadable one is None, already reported)."""
    today = _today()
    now, earliest = today.year * 12 + today.month - 1, (today.year - MAX_YEARS) * 12 + today.month - 1
    problems, seen = [], {}
    for n, entry in enumerate(entries, start=1):
        if entry is None:
            continue
        start, end = entry["start"], entry["end"]
        if _month_index(start) > now:
            problems.append((n, _("开始月份 %(month)s 在将来") % {"month": start}))
        elif _month_index(start) < earliest:
            problems.append((n, _("开始月份 %(month)s 早于 %(years)s 年前") % {"month": start, "years": MAX_YEARS}))
        if end is not None and end < start:
            problems.append((n, _("结束月份 %(end)s 早于开始月份 %(start)s") % {"end": end, "start": start}))
        elif end is not None and _month_index(end) > now:
            problems.append((n, _("结束月份 %(month)s 在将来；仍在做的工作请选“至今”") % {"month": end}))
        same = (entry["field"], start, end)
        if same in seen:
            problems.append((n, _("与第 %(other)s 段重复") % {"other": seen[same]}))
        seen.setdefault(same, n)
    return problems


def certificate_problems(entries: list[dict | None]) -> Problems:
    """What is wrong with a list of certificates (an unreadable one is None, already reported)."""
    today = _today()
    earliest = today.replace(year=today.year - MAX_YEARS, day=1).isoformat()
    problems, seen = [], {}
    for n, entry in enumerate(entries, start=1):
        if entry is None:
            continue
        obtained = entry["obtained_on"]
        if obtained > today.isoformat():
            problems.append((n, _("取得日期 %(date)s 在将来") % {"date": obtained}))
        elif obtained < earliest:
            problems.append((n, _("取得日期 %(date)s 早于 %(years)s 年前") % {"date": obtained, "years": MAX_YEARS}))
        same = (entry["level"], obtained)
        if same in seen:
            problems.append((n, _("与第 %(other)s 本重复") % {"other": seen[same]}))
        seen.setdefault(same, n)
    return problems


def sorted_history(entries: list[dict]) -> list[dict]:
    """Oldest first; a period still running (end null) after one that ended the same month it started."""
    return sorted(entries, key=lambda e: (e["start"], e["end"] or "9999-99", e["field"]))


def sorted_certificates(entries: list[dict]) -> list[dict]:
    return sorted(entries, key=lambda e: (e["obtained_on"], vocab.CERTIFICATE_RANK[e["level"]]))


# JSON: a list of objects with these keys
def _json_entry(keys: dict[str, Parser], required: tuple[str, ...]) -> Callable[[Any], dict]:
    def read(item: Any) -> dict:
        if not isinstance(item, dict):
            raise ValueError(expected_message(AN_OBJECT, repr(item)))
        problems = []
        unknown = [str(k) for k in item if k not in keys]
        if unknown:
            problems.append(
                _("未知的键 %(keys)s；可用的键：%(allowed)s") % {"keys": repr(unknown), "allowed": ", ".join(keys)}
            )
        missing = [k for k in required if k not in item]
        if missing:
            problems.append(_("缺少键 %(keys)s") % {"keys": ", ".join(missing)})
        entry = {}
        for key, parse in keys.items():
            if key in item or key not in required:
                try:
                    entry[key] = parse(item.get(key))
                except ValueError as exc:
                    problems.append(f"{key}: {exc}")  # the key, as the file names it
        if problems:
            raise ValueError("；".join(problems))
        return entry

    return read


def _json_list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValueError(expected_message(A_LIST, repr(value)))
    return value


_JSON_PERIOD = _json_entry(
    {
        "field": one_of(WORK_FIELDS),
        "start": _strict_month,
        "end": lambda v: None if v is None else _strict_month_or_null(v),  # absent: null
    },
    required=("field", "start"),
)
_JSON_CERTIFICATE = _json_entry({"level": one_of(CERTIFICATE_HELD), "obtained_on": iso_date}, ("level", "obtained_on"))


def work_history(value: Any) -> list[dict]:
    """A JSON `work_history`: [{field, start, end}], months as "YYYY-MM", end null (or absent) = until applied_on."""
    return sorted_history(read_entries(_json_list(value), _JSON_PERIOD, PERIOD, history_problems))


def certificate_list(value: Any) -> list[dict]:
    """A JSON `certificates`: [{level, obtained_on}], every certificate held, obtained_on an ISO date."""
    return sorted_certificates(read_entries(_json_list(value), _JSON_CERTIFICATE, CERTIFICATE, certificate_problems))


# A job board's cell: "2019-03~2021-06 售后；2021-07~至今 电商",
# "客户服务代表 2018-05-01；助理客户服务管理师 2021-09"
_ENTRIES = re.compile(r"[；;，,、\n]+")
_MONTH = r"\d{4}\s*[-./年]\s*\d{1,2}\s*月?"
_PERIOD = re.compile(
    rf"^(?P<before>[^\d]*?)\s*(?P<start>{_MONTH})\s*(?:~|～|〜|-|－|—|–|至|到)\s*"
    rf"(?:(?P<end>{_MONTH})|(?P<now>至今|现在|目前|今))\s*(?P<after>[^\d]*)$"
)
_DAY = re.compile(r"\d{4}\s*[-./年]\s*\d{1,2}\s*(?:[-./月]\s*\d{1,2}\s*日?|月)?")


def _cell_entries(value: Any) -> list[str]:
    """The entries of a list cell; none when it says the person has none ("无")."""
    text = text_of(value)
    if len(text) > MAX_LIST_CELL:
        raise ValueError(_("超过 %(limit)s 个字符") % {"limit": MAX_LIST_CELL})
    if text in _NONE_HELD:
        return []
    return [p.strip() for p in _ENTRIES.split(text) if p.strip()]


def _cell_period(part: str) -> dict:
    m = _PERIOD.match(part)
    if m is None:
        raise ValueError(
            _("无法识别 %(value)s：应为“开始月份~结束月份 工作类型”，如“2019-03~2021-06 售后”或“2021-07~至今 电商”")
            % {"value": repr(part)}
        )
    label = (m["before"] + m["after"]).strip()
    if not label:
        raise ValueError(_("%(value)s 缺少工作类型（客服、电商、售后、文职、销售或技术）") % {"value": repr(part)})
    return {
        "field": _lookup(_WORK_FIELD, KIND_WORK_FIELD)(label),
        "start": month_of(m["start"]),
        "end": None if m["now"] else month_of(m["end"]),
    }


def work_history_cell(value: Any) -> list[dict]:
    return sorted_history(read_entries(_cell_entries(value), _cell_period, PERIOD, history_problems))


def obtained_date(value: Any) -> str:
    """The day a certificate was obtained, leniently. A month alone ("2021-09") is read as its last day (today
    if that is still to come): a certificate is never counted as held longer than the person says."""
    if isinstance(value, datetime | date):
        return date_of(value)
    text = re.sub(r"\s+", "", text_of(value))
    if not _MONTH_TEXT.match(text):
        return date_of(text)
    month = month_of(text)
    year, number = int(month[:4]), int(month[5:])
    last = date(year, number, calendar.monthrange(year, number)[1])
    return min(last, _today()).isoformat()


def _cell_certificate(part: str) -> dict:
    m = _DAY.search(part)
    if m is None:
        raise ValueError(
            _("无法识别 %(value)s：应为“证书等级 取得日期”，如“客户服务代表 2018-05-01”") % {"value": repr(part)}
        )
    label = (part[: m.start()] + part[m.end() :]).strip()
    level = _HELD.get(label.casefold()) or _HELD.get(label.removesuffix("证书").removesuffix("证").casefold())
    if level is None:
        raise _unrecognised(KIND_CERTIFICATE_LEVEL, label)
    return {"level": level, "obtained_on": obtained_date(m.group(0))}


def certificates_cell(value: Any) -> list[dict]:
    return sorted_certificates(read_entries(_cell_entries(value), _cell_certificate, CERTIFICATE, certificate_problems))

"""Prohibited screening terms (issue 16 item 5): a checklist may not screen on sex, marital status, childbearing,
ethnicity, hukou or native place, or carrying hepatitis B or another infectious disease (《就业促进法》art. 3, 27,
29–31; 《妇女权益保障法》art. 43; the 2010 notice of the Ministry of Human Resources and Social Security, the Ministry
of Education and the Ministry of Health on hepatitis B testing in recruitment).

No condition kind reads such a key (screening/rules/schemas.py), but free text can say it: a requirement's title
or description, major_matches keywords, text_answer keyword groups, a question's prompt or options ("限女性",
"已婚已育", "汉族", "本地户口", "乙肝"). This finds those words, in simplified or traditional Chinese, full- or
half-width, and in English; admin refuses to save them. Pure: text in, findings out.

Neutral phrasing that states no condition ("性别不限", "男女不限", "regardless of gender") is allowed: it is taken
out before the search.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .text import fold

CATEGORIES = {
    "sex": _("性别"),
    "marital_status": _("婚姻状况"),
    "childbearing": _("生育状况"),
    "ethnicity": _("民族"),
    "hukou": _("户籍或籍贯"),
    "infectious_disease": _("乙肝等传染病病原携带"),
}

# 男/女 as a person, not a product line (女装, 男鞋, 女士包, 女性用品 are what a shop sells)
_MALE_FEMALE = r"(?:男|女)(?:性|生|士)?(?!装|鞋|包|款|式|童|表|衣|裤|用品|性用品|士用品)"
# (category, pattern) over folded text: simplified, half-width, lower case
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("sex", rf"限{_MALE_FEMALE}"),
    ("sex", rf"(?:仅|只)(?:限|招|要|收|录)?{_MALE_FEMALE}"),
    ("sex", rf"招(?:聘|收)?{_MALE_FEMALE}"),
    ("sex", rf"(?:要求|需|须|需要|必须)(?:是)?{_MALE_FEMALE}"),
    ("sex", rf"{_MALE_FEMALE}(?:优先|为主|为佳|即可)"),
    ("sex", r"性别"),
    ("sex", r"\b(?:fe)?males? only\b|\bonly (?:fe)?males?\b|\b(?:wo)?men only\b|\bonly (?:wo)?men\b"),
    ("sex", r"\b(?:fe)?males? preferred\b|\b(?:wo)?men preferred\b|\bmust be (?:a )?(?:fe)?male\b"),
    ("sex", r"\bgender\b|\bsex\s*[:=]"),
    ("marital_status", r"已婚|未婚|婚否|婚姻|婚育|离异|离婚|单身"),
    ("marital_status", r"\b(?:un)?married\b|marital"),
    ("childbearing", r"已育|未育|生育|怀孕|孕期|孕妇|备孕|(?:二|三)(?:胎|孩)|哺乳"),
    ("childbearing", r"pregnan\w*|childbearing|\b(?:has|have|having|no) (?:kids|children)\b|\bchildless\b"),
    ("ethnicity", r"民族|(?:汉|回|藏|满|蒙古|维吾尔|维|壮|苗|彝|土家|朝鲜|哈萨克)族"),
    ("ethnicity", r"ethnic\w*|\bhan chinese\b|\buyghurs?\b|\btibetans?\b"),
    ("hukou", r"户口|户籍|籍贯|原籍|生源地|(?:本地|外地|当地|本市|本省|外省)人"),
    ("hukou", r"hukou|household registration|native place|\blocals? only\b|\blocal residents? only\b"),
    ("infectious_disease", r"乙肝|乙型肝炎|肝炎|两对半|大三阳|小三阳|携带者|病原携带|传染病|艾滋"),
    ("infectious_disease", r"\bhbv\b|hbsag|hepatitis|\bhiv\b|(?:infectious|contagious|communicable) diseases?"),
)
_COMPILED = tuple((category, re.compile(pattern)) for category, pattern in _PATTERNS)

# saying there is no such condition is fine: taken out before the search
_NEUTRAL = re.compile(
    r"(?:性别|男女|婚否|婚姻状况|婚育|民族|户籍|户口|籍贯)(?:不限|均可|皆可)"
    r"|不限(?:性别|男女|婚否|婚姻状况|婚育|民族|户籍|户口|籍贯)"
    r"|生育保险"  # one of the five social insurances an employer pays: a benefit, not a condition
    r"|regardless of (?:gender|sex|marital status|ethnicity)|\b(?:any|all) genders?\b|gender[- ]neutral"
)


@dataclass(frozen=True)
class Finding:
    category: str  # a key of CATEGORIES
    term: str  # the words found, folded (simplified, lower case)
    where: str = ""  # inside a JSON value: its path ("keywords[1]"); "" for plain text


def text_findings(text: str) -> list[Finding]:
    """Every prohibited term in the text, in the order they appear, each (category, term) once; a match inside a
    longer one of the same category ("招女生" in "只招女生") is not another finding."""
    folded = _NEUTRAL.sub(" ", fold(text))
    found = sorted(
        (match.start(), -match.end(), category, match.group())
        for category, pattern in _COMPILED
        for match in pattern.finditer(folded)
    )
    seen, reached, findings = set(), {}, []
    for start, minus_end, category, term in found:
        if start < reached.get(category, 0) or (category, term) in seen:
            continue
        reached[category] = -minus_end
        seen.add((category, term))
        findings.append(Finding(category, term))
    return findings


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "kind":  # a code of the engine, never free text
                yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def findings(value: Any) -> list[Finding]:
    """Prohibited terms in a text, or in every string of a JSON value (a condition, a question's options)."""
    return [Finding(f.category, f.term, where) for where, text in _strings(value) for f in text_findings(text)]

"""Evaluate one condition against a plain profile dict.

Pure: no ORM, no I/O, no clock (the caller passes `today`). A missing profile key is
*unknown*, never *no*. Evidence is a list of message codes with parameters; screening/evidence.py
renders them in the reader's language.
"""

import calendar
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

from . import vocab
from .text import fold

MET, PARTIAL, NOT_MET, UNKNOWN = "met", "partial", "not_met", "unknown"

Profile = Mapping[str, Any]


@dataclass(slots=True)
class Result:
    status: str
    fraction: float  # credit earned now, 0–1 (unknown earns 0)
    best: float  # credit if every unknown below turned out met
    evidence: list[dict[str, Any]] = field(default_factory=list)
    children: list["Result"] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "fraction": round(self.fraction, 4),
            "best": round(self.best, 4),
            "evidence": self.evidence,
        }
        if self.children:
            out["children"] = [c.as_dict() for c in self.children]
        return out


def _ev(code: str, **params: Any) -> list[dict[str, Any]]:
    return [{"code": code, "params": params}]


def _unknown(code: str, **params: Any) -> Result:
    return Result(UNKNOWN, 0.0, 1.0, _ev(code, **params))


def _graded(actual: float, threshold: float, partial: bool, ok: str, below: str, **params: Any) -> Result:
    """met at or above the threshold ("以上" includes the number); partial credit = value / threshold."""
    if actual >= threshold:
        return Result(MET, 1.0, 1.0, _ev(ok, **params))
    if partial and threshold > 0 and actual > 0:
        frac = min(actual / threshold, 1.0)
        return Result(PARTIAL, frac, frac, _ev(below, **params))
    return Result(NOT_MET, 0.0, 0.0, _ev(below, **params))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


@lru_cache(maxsize=8192)
def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _applied(profile: Profile, today: date) -> date:
    """The date age and tenure are computed at: `applied_on`, else today."""
    applied = profile.get("applied_on")
    return (_iso_date(applied) if isinstance(applied, str) else None) or today


def age_on(profile: Profile, today: date) -> int | None:
    """Whole years at `applied_on` (or today): from date_of_birth, else the `age` key."""
    at = _applied(profile, today)
    dob = profile.get("date_of_birth")
    born = _iso_date(dob) if isinstance(dob, str) else None
    if born is not None:
        return at.year - born.year - ((at.month, at.day) < (born.month, born.day))
    age = _number(profile.get("age"))
    return int(age) if age is not None else None


# -- dated work and certificates ---------------------------------------------------------------
# Time on a line of months: "2021-03" starts at 2021×12+2; a date sits inside its month by its day, so a
# period that ends "2022-02" ends where March 2022 begins and one still running ends at applied_on.


@lru_cache(maxsize=8192)
def _position(day: date) -> float:
    return day.year * 12 + day.month - 1 + (day.day - 1) / calendar.monthrange(day.year, day.month)[1]


@lru_cache(maxsize=8192)
def _month(value: str) -> int | None:
    """Where a "YYYY-MM" month starts on the month line; None if it is not one."""
    if len(value) != 7 or value[4] != "-" or not (value[:4] + value[5:]).isdigit():
        return None
    month = int(value[5:])
    return int(value[:4]) * 12 + month - 1 if 1 <= month <= 12 else None


_WORK_FIELDS = frozenset(vocab.EXPERIENCE_FIELDS) - {"total"}


def _work_periods(p: Profile, today: date) -> list[tuple[str, float, float]] | None:
    """work_history as (field, start, end) on the month line, cut at applied_on; None when the profile has none
    or it is malformed (then the job-board totals in `experience` are all there is)."""
    history = p.get("work_history")
    if not isinstance(history, list):
        return None
    until = _position(_applied(p, today))
    periods = []
    for entry in history:
        period = _period(entry, until)
        if period is None:
            return None
        periods.append(period)
    return periods


def _period(entry: Any, until: float) -> tuple[str, float, float] | None:
    if not isinstance(entry, Mapping) or entry.get("field") not in _WORK_FIELDS:
        return None
    start, end = entry.get("start"), entry.get("end")
    first = _month(start) if isinstance(start, str) else None
    last = _month(end) if isinstance(end, str) else None
    if first is None or (end is not None and (last is None or last < first)):
        return None
    return entry["field"], float(first), until if last is None else min(last + 1.0, until)


def period_years(entry: Any, profile: Profile, today: date) -> float | None:
    """The years one work_history entry covers, cut at applied_on (or today) and shown in completed tenths, as
    experience_at_least counts them; None for an entry it cannot read."""
    period = _period(entry, _position(_applied(profile, today)))
    return None if period is None else _shown_years(max(period[2] - period[1], 0.0) / 12)


def _union_years(periods: list[tuple[str, float, float]], fields: frozenset[str] | None, since: float | None) -> float:
    """Years covered by the periods in `fields` (None: any), from `since` on; overlaps count once."""
    spans = sorted(
        (max(start, since) if since is not None else start, end)
        for f, start, end in periods
        if fields is None or f in fields
    )
    months, reach = 0.0, -math.inf
    for start, end in spans:
        begin = max(start, reach)
        if end > begin:
            months += end - begin
            reach = end
    return months / 12


def _certificates(p: Profile) -> list[tuple[str, date]] | None:
    """`certificates` as (level, obtained_on); None when the profile has none or it is malformed."""
    held = p.get("certificates")
    if not isinstance(held, list):
        return None
    out = []
    for entry in held:
        level = entry.get("level") if isinstance(entry, Mapping) else None
        obtained = entry.get("obtained_on") if isinstance(entry, Mapping) else None
        day = _iso_date(obtained) if isinstance(obtained, str) else None
        if level not in vocab.CERTIFICATE_RANK or day is None:
            return None
        if level != "none":
            out.append((level, day))
    return out


def _years_between(start: date, end: date) -> float:
    """Completed months from start to end, in years (held 2024-11-23 → 2026-11-23 is 2.0, a day less is not)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0) / 12


def _shown_years(years: float) -> float:
    """Years as evidence shows them: completed tenths, so a shown figure never rounds up past a threshold."""
    return math.floor(years * 10 + 1e-9) / 10


def _education(c: dict, p: Profile, today: date, partial: bool) -> Result:
    value = p.get("education")
    if value not in vocab.EDUCATION_RANK:
        return _unknown("education.unknown", required=c["level"])
    ok = vocab.EDUCATION_RANK[value] >= vocab.EDUCATION_RANK[c["level"]]
    code = "education.ok" if ok else "education.below"
    return Result(MET if ok else NOT_MET, float(ok), float(ok), _ev(code, value=value, required=c["level"]))


def _age(c: dict, p: Profile, today: date, partial: bool) -> Result:
    age = age_on(p, today)
    lo, hi = c.get("min"), c.get("max")
    if age is None:
        return _unknown("age.unknown", min=lo, max=hi)
    if lo is not None and age < lo:
        return Result(NOT_MET, 0.0, 0.0, _ev("age.too_young", age=age, min=lo, max=hi))
    if hi is not None and age > hi:
        return Result(NOT_MET, 0.0, 0.0, _ev("age.too_old", age=age, min=lo, max=hi))
    return Result(MET, 1.0, 1.0, _ev("age.ok", age=age, min=lo, max=hi))


def _experience(c: dict, p: Profile, today: date, partial: bool) -> Result:
    """Years in a field, or in the union of `fields`. From work_history when the profile has one (overlapping
    periods counted once); else from the job-board totals in `experience`, which give a union only as a range:
    at least the largest field, at most their sum (and `total`)."""
    fields = c["fields"] if "fields" in c else [c["field"]]
    shown = c.get("field", fields)
    required = c["years"]
    periods = _work_periods(p, today)
    if "after" in c:
        return _experience_after(c, p, periods, shown, partial)
    if periods is not None:
        years = _union_years(periods, None if "total" in fields else frozenset(fields), None)
        return _graded(
            years, required, partial, "experience.ok", "experience.below",
            field=shown, years=_shown_years(years), required=required,
        )  # fmt: skip
    exp = p.get("experience")
    exp = exp if isinstance(exp, Mapping) else {}
    total = _number(exp.get("total"))
    if "total" in fields and total is not None:  # the union of everything is the total
        low = high = total
    else:
        known = [v for v in (_number(exp.get(f)) for f in fields) if v is not None]
        if not known:
            return _unknown("experience.unknown", field=shown, required=required)
        low = max(known)
        high = sum(known) if len(known) == len(fields) else math.inf
        if total is not None:
            high = min(high, total)
        high = max(high, low)  # totals that contradict each other: the larger field stands
    if low == high:
        return _graded(
            low, required, partial, "experience.ok", "experience.below", field=shown, years=low, required=required
        )
    if math.isinf(high):
        evidence = _ev("experience.at_least", field=shown, low=low, required=required)
    else:
        evidence = _ev("experience.range", field=shown, low=low, high=high, required=required)
    if low >= required:
        return Result(MET, 1.0, 1.0, evidence)
    earned = min(low / required, 1.0) if partial and required > 0 else 0.0
    if high < required:  # short even if the fields never overlapped
        best = min(high / required, 1.0) if partial and required > 0 else 0.0
        return Result(PARTIAL if earned > 0 else NOT_MET, earned, best, evidence)
    return Result(UNKNOWN, earned, 1.0, evidence)  # the overlap decides; what is certain is earned


def _experience_after(
    c: dict, p: Profile, periods: list[tuple[str, float, float]] | None, shown: Any, partial: bool
) -> Result:
    """Only work after a date counts: a given date, or the day the person obtained a certificate of exactly the
    given level ("获得客户服务代表证书后从事相关工作2年以上")."""
    after, required = c["after"], c["years"]
    fields = c["fields"] if "fields" in c else [c["field"]]
    params: dict[str, Any] = {"field": shown, "required": required}
    if "certificate" in after:
        params["certificate"] = after["certificate"]
        certificates = _certificates(p)
        if certificates is None:
            return _unknown("experience.after_certificate_unknown", **params)
        obtained = [day for level, day in certificates if level == after["certificate"]]
        if not obtained:
            return Result(NOT_MET, 0.0, 0.0, _ev("experience.after_no_certificate", **params))
        since = min(obtained)
    else:
        since = _iso_date(after["date"])
    params["since"] = since.isoformat()
    if periods is None:  # totals cannot say what came after a date
        return _unknown("experience.after_unknown", **params)
    years = _union_years(periods, None if "total" in fields else frozenset(fields), _position(since))
    return _graded(
        years, required, partial, "experience.after_ok", "experience.after_below", years=_shown_years(years), **params
    )


def _typing(c: dict, p: Profile, today: date, partial: bool) -> Result:
    typing = p.get("typing")
    cpm = _number(typing.get("cpm")) if isinstance(typing, Mapping) else None
    if cpm is None:
        return _unknown("typing.unknown", required=c["cpm"])
    if c.get("measured_only") and typing.get("measured") is not True:
        return _unknown("typing.not_measured", cpm=cpm, required=c["cpm"])
    result = _graded(cpm, c["cpm"], partial, "typing.ok", "typing.below", cpm=cpm, required=c["cpm"])
    flags = typing.get("flags")
    if flags:  # the portal's measurement looked implausible: say so next to the figure, for a person to judge
        result.evidence = result.evidence + _ev("typing.flagged", flags=list(flags))
    if "accuracy" in c:
        accuracy = _number(typing.get("accuracy"))
        if accuracy is None:
            acc = _unknown("typing.accuracy_unknown", required=c["accuracy"])
        else:
            acc = _graded(
                accuracy,
                c["accuracy"],
                partial,
                "typing.accuracy_ok",
                "typing.accuracy_below",
                accuracy=accuracy,
                required=c["accuracy"],
            )
        return _all_of([result, acc], flatten=True)
    return result


def _language(c: dict, p: Profile, today: date, partial: bool) -> Result:
    langs = p.get("languages")
    value = langs.get(c["language"]) if isinstance(langs, Mapping) else None
    if value not in vocab.LANGUAGE_RANK:
        return _unknown("language.unknown", language=c["language"], required=c["level"])
    ok = vocab.LANGUAGE_RANK[value] >= vocab.LANGUAGE_RANK[c["level"]]
    code = "language.ok" if ok else "language.below"
    return Result(
        MET if ok else NOT_MET,
        float(ok),
        float(ok),
        _ev(code, language=c["language"], value=value, required=c["level"]),
    )


def _certificate(c: dict, p: Profile, today: date, partial: bool) -> Result:
    """A certificate at or above the level, from `certificates` (every one held, dated: `years_since` counts from
    the obtained_on of one at or above the level, never a lower one's), else the job-board `certificate`."""
    certificates = _certificates(p)
    if certificates is None:
        return _legacy_certificate(c, p)
    rank = vocab.CERTIFICATE_RANK[c["level"]]
    enough = [(day, level) for level, day in certificates if vocab.CERTIFICATE_RANK[level] >= rank]
    if not enough:
        highest = max((level for level, _day in certificates), key=vocab.CERTIFICATE_RANK.__getitem__, default="none")
        return Result(NOT_MET, 0.0, 0.0, _ev("certificate.below", value=highest, required=c["level"]))
    if "years_since" not in c:
        highest = max((level for _day, level in enough), key=vocab.CERTIFICATE_RANK.__getitem__)
        return Result(MET, 1.0, 1.0, _ev("certificate.ok", value=highest, required=c["level"]))
    obtained, level = min(enough)  # held longest
    held = _years_between(obtained, _applied(p, today))
    return _held_long_enough(c, level, held, shown=_shown_years(held))


def _held_long_enough(c: dict, level: str, held: float, *, shown: float) -> Result:
    ok = held >= c["years_since"]
    code = "certificate.held_ok" if ok else "certificate.held_short"
    return Result(
        MET if ok else NOT_MET,
        float(ok),
        float(ok),
        _ev(code, value=level, required=c["level"], years=shown, required_years=c["years_since"]),
    )


def _legacy_certificate(c: dict, p: Profile) -> Result:
    cert = p.get("certificate")
    level = cert.get("level") if isinstance(cert, Mapping) else None
    if level not in vocab.CERTIFICATE_RANK:
        return _unknown("certificate.unknown", required=c["level"])
    if vocab.CERTIFICATE_RANK[level] < vocab.CERTIFICATE_RANK[c["level"]]:
        return Result(NOT_MET, 0.0, 0.0, _ev("certificate.below", value=level, required=c["level"]))
    if "years_since" not in c:
        return Result(MET, 1.0, 1.0, _ev("certificate.ok", value=level, required=c["level"]))
    held = _number(cert.get("years_since"))
    if held is None:
        return _unknown("certificate.years_unknown", value=level, required=c["level"], required_years=c["years_since"])
    return _held_long_enough(c, level, held, shown=held)


def _declared(c: dict, p: Profile, today: date, partial: bool) -> Result:
    decl = p.get("declarations")
    value = decl.get(c["declaration"]) if isinstance(decl, Mapping) else None
    if not isinstance(value, bool):
        return _unknown("declared.unknown", declaration=c["declaration"])
    code = "declared.yes" if value else "declared.no"
    return Result(MET if value else NOT_MET, float(value), float(value), _ev(code, declaration=c["declaration"]))


def _listed(key: str, wanted: list[str], p: Profile, prefix: str, **params: Any) -> Result:
    have = p.get(key)
    if not isinstance(have, list):
        return _unknown(f"{prefix}.unknown", **params)
    matched = [x for x in wanted if x in have]
    code = f"{prefix}.yes" if matched else f"{prefix}.no"
    return Result(
        MET if matched else NOT_MET, float(bool(matched)), float(bool(matched)), _ev(code, matched=matched, **params)
    )


def _platforms(c: dict, p: Profile, today: date, partial: bool) -> Result:
    return _listed("platforms", c["platforms"], p, "platforms", required=c["platforms"])


def _skill(c: dict, p: Profile, today: date, partial: bool) -> Result:
    return _listed("skills", [c["skill"]], p, "skill", skill=c["skill"])


def _major(c: dict, p: Profile, today: date, partial: bool) -> Result:
    major = p.get("major")
    if not isinstance(major, str) or not major.strip():
        return _unknown("major.unknown", keywords=c["keywords"])
    folded = fold(major)
    matched = [k for k in c["keywords"] if fold(k) in folded]
    code = "major.yes" if matched else "major.no"
    return Result(
        MET if matched else NOT_MET,
        float(bool(matched)),
        float(bool(matched)),
        _ev(code, major=major, matched=matched, keywords=c["keywords"]),
    )


def _trait(c: dict, p: Profile, today: date, partial: bool) -> Result:
    traits = p.get("traits")
    rating = _number(traits.get(c["trait"])) if isinstance(traits, Mapping) else None
    if rating is None:
        return _unknown("trait.unknown", trait=c["trait"], required=c["rating"])
    return _graded(
        rating, c["rating"], partial, "trait.ok", "trait.below", trait=c["trait"], value=rating, required=c["rating"]
    )


def _answer(p: Profile, question: str) -> Any:
    answers = p.get("answers")
    return answers.get(question) if isinstance(answers, Mapping) else None


def _choice(c: dict, p: Profile, today: date, partial: bool) -> Result:
    option = _answer(p, c["question"])
    if not isinstance(option, str) or not option:
        return _unknown("choice.unknown", question=c["question"])
    points = c["points"].get(option)
    if points is None:
        return Result(NOT_MET, 0.0, 0.0, _ev("choice.invalid", question=c["question"], option=option))
    best = max(c["points"].values())
    frac = points / best if best else 0.0
    status = MET if frac >= 1 else PARTIAL if frac > 0 else NOT_MET
    return Result(
        status, frac, frac, _ev("choice.answer", question=c["question"], option=option, points=points, best=best)
    )


def _text(c: dict, p: Profile, today: date, partial: bool) -> Result:
    answer = _answer(p, c["question"])
    if not isinstance(answer, str) or not answer.strip():
        return _unknown("text.unknown", question=c["question"])
    matched = keyword_hits(answer, c["groups"])
    required = c.get("min_groups", len(c["groups"]))
    return _graded(
        len(matched),
        required,
        partial,
        "text.ok",
        "text.below",
        question=c["question"],
        matched=matched,
        count=len(matched),
        required=required,
    )


def courtesy_used(reply: str) -> list[str]:
    """The courtesy expressions in a reply (folded: 請/您/謝謝 count as 请/您/谢谢)."""
    text = fold(reply)
    for word in vocab.NOT_COURTESY:
        text = text.replace(word, "")
    return [w for w in vocab.COURTESY if w in text]


def keyword_hits(text: str, groups: list[list[str]]) -> list[str]:
    """For each keyword group the text matches, the first alternative found."""
    folded = fold(text)
    hits = []
    for group in groups:
        hit = next((k for k in group if fold(k) in folded), None)
        if hit is not None:
            hits.append(hit)
    return hits


def reply_is_fast(reply: str, seconds: float | None, *, measured: bool, max_seconds: float) -> bool:
    """A reply within the norm: there is one, and the server measured its time (for the score and HR's view)."""
    return measured and bool(reply.strip()) and seconds is not None and seconds <= max_seconds


class ChatTurn(NamedTuple):
    buyer: str
    replies: tuple[tuple[str, float | None], ...]  # (text, seconds since the buyer's message was delivered)

    @property
    def first(self) -> tuple[str, float | None]:
        """The first response, whose time is the turn's response time (a quick 亲，在的 counts)."""
        return self.replies[0] if self.replies else ("", None)

    @property
    def text(self) -> str:
        """Everything said in answer to the message: what courtesy and key points are judged on."""
        return "\n".join(text for text, _seconds in self.replies)


def chat_turns(transcript: Any) -> list[ChatTurn] | None:
    """A transcript's turns in either format: {"buyer", "replies": [{"text", "seconds"}, …]} (each reply timed
    from the buyer message's delivery), or the older {"buyer", "reply", "seconds"} (one reply). Blank replies are
    no replies. None when it is not a transcript with turns."""
    turns = transcript.get("turns") if isinstance(transcript, Mapping) else None
    if not isinstance(turns, list) or not turns:
        return None
    out = []
    for turn in turns:
        if not isinstance(turn, Mapping):
            return None
        raw = turn.get("replies")
        if isinstance(raw, list):
            pairs = [(r.get("text"), r.get("seconds")) for r in raw if isinstance(r, Mapping)]
        else:
            pairs = [(turn.get("reply"), turn.get("seconds"))]
        replies = tuple((text, _number(sec)) for text, sec in pairs if isinstance(text, str) and text.strip())
        buyer = turn.get("buyer")
        out.append(ChatTurn(buyer if isinstance(buyer, str) else "", replies))
    return out


@lru_cache(maxsize=256)
def _share(value: float | str) -> Fraction:
    """A share as written: "2/3" exactly, 0.67 as the decimal 67/100 (so 2 of 3 meets "2/3" but not 0.67)."""
    return Fraction(value) if isinstance(value, str) else Fraction(str(value))


def _share_fraction(have: Fraction, required: Fraction) -> float:
    return 1.0 if required <= 0 else float(min(have / required, 1))


def _chat(c: dict, p: Profile, today: date, partial: bool) -> Result:
    """Fast first responses, courteous answers, and the scenario's points covered. A buyer message's response time
    is its first reply's, and counts only when measured by the server (``measured``); `measure` says how the norm
    is met: the share of messages answered within it ("share", the default) or the mean first-response time
    ("average"). Courtesy and points are judged on all replies to a message; an unanswered message is neither
    fast nor courteous."""
    chats = p.get("chat")
    transcript = chats.get(c["scenario"]) if isinstance(chats, Mapping) else None
    turns = chat_turns(transcript)
    if turns is None:
        return _unknown("chat.unknown", scenario=c["scenario"])
    measured = transcript.get("measured") is True
    max_seconds = c.get("max_seconds", vocab.CHAT_MAX_SECONDS)
    need_fast, need_courtesy = c.get("min_fast_share", 0.8), c.get("min_courtesy_share", 0.8)
    groups = c.get("groups", [])
    need_groups = c.get("min_groups", len(groups))
    total = len(turns)
    if c.get("measure", "share") == "average":
        times = [t.first[1] for t in turns if t.first[1] is not None] if measured else []
        average = sum(times) / len(times) if times else None
        # every message needs an answer; past the norm, credit falls as the mean grows
        speed = 0.0 if average is None else 1.0 if average <= max_seconds else max_seconds / average
        fast_part = speed * len(times) / total
        fast_evidence = _ev(
            "chat.first_average_ok" if fast_part >= 1 else "chat.first_average_below",
            average=None if average is None else round(average, 1),
            answered=len(times), total=total, max_seconds=max_seconds,
        )  # fmt: skip
    else:
        fast = sum(reply_is_fast(*t.first, measured=measured, max_seconds=max_seconds) for t in turns)
        fast_part = _share_fraction(Fraction(fast, total), _share(need_fast))
        fast_evidence = _ev(
            "chat.first_fast_ok" if fast_part >= 1 else "chat.first_fast_below",
            fast=fast, total=total, max_seconds=max_seconds, required=need_fast,
        )  # fmt: skip
    courteous = sum(1 for t in turns if courtesy_used(t.text))
    matched = keyword_hits("\n".join(t.text for t in turns), groups)
    parts = [fast_part, _share_fraction(Fraction(courteous, total), _share(need_courtesy))]
    if groups:  # a scenario without key points is scored on the other two parts only
        parts.append(1.0 if need_groups <= 0 else min(len(matched) / need_groups, 1.0))
    flags = transcript.get("flags")
    evidence = [
        *(_ev("chat.not_measured") if not measured else []),
        *(_ev("chat.flagged", flags=[str(f) for f in flags]) if isinstance(flags, list) and flags else []),
        *fast_evidence,
        *_ev(
            "chat.courtesy_ok" if parts[1] >= 1 else "chat.courtesy_below",
            courteous=courteous, total=total, required=need_courtesy,
        ),
        *(_ev(
            "chat.points_ok" if parts[-1] >= 1 else "chat.points_below",
            count=len(matched), required=need_groups, matched=matched,
        ) if groups else []),
    ]  # fmt: skip
    if all(part >= 1 for part in parts):
        return Result(MET, 1.0, 1.0, evidence)
    fraction = sum(parts) / len(parts)
    if partial and fraction > 0:
        return Result(PARTIAL, fraction, fraction, evidence)
    return Result(NOT_MET, 0.0, 0.0, evidence)


def _all_of(children: list[Result], flatten: bool = False) -> Result:
    statuses = {r.status for r in children}
    # a failed child decides all_of whatever the unknowns say
    status = (
        NOT_MET if NOT_MET in statuses else UNKNOWN if UNKNOWN in statuses else PARTIAL if PARTIAL in statuses else MET
    )
    fraction = 0.0 if status == UNKNOWN else min(r.fraction for r in children)
    best = min(r.best for r in children)
    if flatten:
        return Result(status, fraction, best, [e for r in children for e in r.evidence])
    met = sum(r.status == MET for r in children)
    return Result(status, fraction, best, _ev("all_of", met=met, total=len(children)), children)


def _any_of(children: list[Result]) -> Result:
    statuses = {r.status for r in children}
    # an unknown child matters only while no child is met already
    status = MET if MET in statuses else UNKNOWN if UNKNOWN in statuses else PARTIAL if PARTIAL in statuses else NOT_MET
    fraction = max(r.fraction for r in children)
    best = max(r.best for r in children)
    met = sum(r.status == MET for r in children)
    return Result(status, fraction, best, _ev("any_of", met=met, total=len(children)), children)


_LEAVES: dict[str, Callable[[dict, Profile, date, bool], Result]] = {
    "education_at_least": _education,
    "age_between": _age,
    "experience_at_least": _experience,
    "typing_at_least": _typing,
    "language_at_least": _language,
    "certificate_at_least": _certificate,
    "declared": _declared,
    "platforms_any": _platforms,
    "major_matches": _major,
    "trait_at_least": _trait,
    "skill_has": _skill,
    "choice_answer": _choice,
    "text_answer": _text,
    "chat_response": _chat,
}


def evaluate(condition: dict[str, Any], profile: Profile, *, today: date, partial: bool = False) -> Result:
    """Evaluate a condition that passed schemas.condition_errors()."""
    kind = condition["kind"]
    if kind == "all_of":
        return _all_of([evaluate(c, profile, today=today, partial=partial) for c in condition["conditions"]])
    if kind == "any_of":
        return _any_of([evaluate(c, profile, today=today, partial=partial) for c in condition["conditions"]])
    return _LEAVES[kind](condition, profile, today, partial)

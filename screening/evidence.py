"""Evidence message codes → text in the reader's language, at display time."""

from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import labels, profile_keys

Questions = dict[str, tuple[str, dict[str, str]]]

MESSAGES = {
    "education.ok": gettext_lazy("学历 %(value)s ≥ 要求 %(required)s"),
    "education.below": gettext_lazy("学历 %(value)s 低于要求 %(required)s"),
    "education.unknown": gettext_lazy("学历未填写（要求 %(required)s）"),
    "age.ok": gettext_lazy("年龄 %(age)s 岁，符合要求（%(range)s）"),
    "age.too_young": gettext_lazy("年龄 %(age)s 岁，低于要求 %(range)s"),
    "age.too_old": gettext_lazy("年龄 %(age)s 岁，高于要求 %(range)s"),
    "age.unknown": gettext_lazy("出生日期未填写（要求 %(range)s）"),
    "experience.ok": gettext_lazy("%(field)s经验 %(years)s 年 ≥ 要求 %(required)s 年"),
    "experience.below": gettext_lazy("%(field)s经验 %(years)s 年，低于要求 %(required)s 年"),
    "experience.unknown": gettext_lazy("%(field)s经验未填写（要求 %(required)s 年）"),
    # several fields' job-board totals bound their union only: they may overlap
    "experience.range": gettext_lazy(
        "%(field)s经验合计在 %(low)s–%(high)s 年之间（各项可能重叠；要求 %(required)s 年）"
    ),
    "experience.at_least": gettext_lazy("%(field)s经验合计至少 %(low)s 年，其余未填写（要求 %(required)s 年）"),
    # only work after a date counts; %(after)s is "取得…证书（日期）后" or "日期之后", composed in render()
    "experience.after_ok": gettext_lazy("%(after)s%(field)s经验 %(years)s 年 ≥ 要求 %(required)s 年"),
    "experience.after_below": gettext_lazy("%(after)s%(field)s经验 %(years)s 年，低于要求 %(required)s 年"),
    "experience.after_unknown": gettext_lazy(
        "没有按时间填写的工作经历，无法计算%(after)s的%(field)s经验（要求 %(required)s 年）"
    ),
    "experience.after_no_certificate": gettext_lazy(
        "未持有%(certificate)s证书（要求取得后从事%(field)s工作 %(required)s 年）"
    ),
    "experience.after_certificate_unknown": gettext_lazy(
        "证书及取得日期未填写，无法计算取得%(certificate)s证书后的%(field)s经验（要求 %(required)s 年）"
    ),
    "typing.ok": gettext_lazy("打字 %(cpm)s 字/分 ≥ 要求 %(required)s 字/分"),
    "typing.below": gettext_lazy("打字 %(cpm)s 字/分，低于要求 %(required)s 字/分"),
    "typing.unknown": gettext_lazy("打字速度未知（要求 %(required)s 字/分）"),
    "typing.not_measured": gettext_lazy("自报打字 %(cpm)s 字/分，未经测试，不计入（要求实测 %(required)s 字/分）"),
    "typing.flagged": gettext_lazy("测试结果可疑：%(flags)s，请人工核实"),
    "typing.accuracy_ok": gettext_lazy("打字准确率 %(accuracy)s ≥ 要求 %(required)s"),
    "typing.accuracy_below": gettext_lazy("打字准确率 %(accuracy)s，低于要求 %(required)s"),
    "typing.accuracy_unknown": gettext_lazy("打字准确率未知（要求 %(required)s）"),
    "language.ok": gettext_lazy("%(language)s %(value)s ≥ 要求 %(required)s"),
    "language.below": gettext_lazy("%(language)s %(value)s，低于要求 %(required)s"),
    "language.unknown": gettext_lazy("%(language)s水平未填写（要求 %(required)s）"),
    "certificate.ok": gettext_lazy("证书 %(value)s ≥ 要求 %(required)s"),
    "certificate.below": gettext_lazy("证书 %(value)s，低于要求 %(required)s"),
    "certificate.unknown": gettext_lazy("证书情况未填写（要求 %(required)s）"),
    "certificate.years_unknown": gettext_lazy("证书 %(value)s，取得年限未填写（要求满 %(required_years)s 年）"),
    "certificate.held_ok": gettext_lazy("证书 %(value)s 已取得 %(years)s 年 ≥ 要求 %(required_years)s 年"),
    "certificate.held_short": gettext_lazy("证书 %(value)s 仅取得 %(years)s 年，要求满 %(required_years)s 年"),
    "declared.yes": gettext_lazy("本人声明：%(declaration)s"),
    "declared.no": gettext_lazy("本人声明不符合：%(declaration)s"),
    "declared.unknown": gettext_lazy("未声明：%(declaration)s"),
    "platforms.yes": gettext_lazy("熟悉平台：%(matched)s"),
    "platforms.no": gettext_lazy("不熟悉要求的平台（%(required)s）"),
    "platforms.unknown": gettext_lazy("平台经验未填写（要求 %(required)s 之一）"),
    "major.yes": gettext_lazy("专业“%(major)s”符合（%(matched)s）"),
    "major.no": gettext_lazy("专业“%(major)s”不在 %(keywords)s 之列"),
    "major.unknown": gettext_lazy("专业未填写（要求 %(keywords)s 之一）"),
    "trait.ok": gettext_lazy("%(trait)s自评 %(value)s/5 ≥ 要求 %(required)s"),
    "trait.below": gettext_lazy("%(trait)s自评 %(value)s/5，低于要求 %(required)s"),
    "trait.unknown": gettext_lazy("%(trait)s未自评（要求 %(required)s/5）"),
    "skill.yes": gettext_lazy("具备技能：%(skill)s"),
    "skill.no": gettext_lazy("不具备技能：%(skill)s"),
    "skill.unknown": gettext_lazy("技能未填写（要求 %(skill)s）"),
    "choice.answer": gettext_lazy("“%(question)s”选择“%(option)s”，得 %(points)s / %(best)s"),
    "choice.invalid": gettext_lazy("“%(question)s”的回答“%(option)s”不是有效选项"),
    "choice.unknown": gettext_lazy("“%(question)s”未回答"),
    "text.ok": gettext_lazy("回答命中 %(count)s 组要点（要求 %(required)s）：%(matched)s"),
    "text.below": gettext_lazy("回答只命中 %(count)s 组要点（要求 %(required)s）：%(matched)s"),
    "text.unknown": gettext_lazy("“%(question)s”未回答"),
    # a buyer message's response time is its first reply's (a quick 亲，在的 counts)
    "chat.first_fast_ok": gettext_lazy(
        "%(fast)s / %(total)s 条买家消息在 %(max_seconds)s 秒内得到首次回复（要求 %(required)s）"
    ),
    "chat.first_fast_below": gettext_lazy(
        "只有 %(fast)s / %(total)s 条买家消息在 %(max_seconds)s 秒内得到首次回复（要求 %(required)s）"
    ),
    "chat.first_average_ok": gettext_lazy("平均首次响应 %(average)s 秒 ≤ 要求 %(max_seconds)s 秒"),
    "chat.first_average_below": gettext_lazy(
        "平均首次响应 %(average)s 秒（%(answered)s / %(total)s 条消息有回复），"
        "要求每条都回复且平均不超过 %(max_seconds)s 秒"
    ),
    # evaluations stored before first responses were timed on their own (one reply per message)
    "chat.fast_ok": gettext_lazy("%(fast)s / %(total)s 条回复在 %(max_seconds)s 秒内（要求 %(required)s）"),
    "chat.fast_below": gettext_lazy("只有 %(fast)s / %(total)s 条回复在 %(max_seconds)s 秒内（要求 %(required)s）"),
    "chat.courtesy_ok": gettext_lazy("%(courteous)s / %(total)s 条回复使用礼貌用语（要求 %(required)s）"),
    "chat.courtesy_below": gettext_lazy("只有 %(courteous)s / %(total)s 条回复使用礼貌用语（要求 %(required)s）"),
    "chat.points_ok": gettext_lazy("对话命中 %(count)s 组要点（要求 %(required)s）：%(matched)s"),
    "chat.points_below": gettext_lazy("对话只命中 %(count)s 组要点（要求 %(required)s）：%(matched)s"),
    "chat.unknown": gettext_lazy("未完成模拟买家对话"),
    "chat.not_measured": gettext_lazy("回复时间不是由本系统测得的，不算及时"),
    "chat.flagged": gettext_lazy("对话结果可疑：%(flags)s，请人工核实"),
    "all_of": gettext_lazy("须全部满足：%(met)s / %(total)s 项满足"),
    "any_of": gettext_lazy("满足其一即可：%(met)s / %(total)s 项满足"),
}

# Parameters whose values are vocabulary codes, by message family.
_VOCAB_PARAMS = {
    "education": {"value": labels.EDUCATION, "required": labels.EDUCATION},
    "experience": {"field": profile_keys.sub_labels("experience"), "certificate": labels.CERTIFICATES},
    "language": {"language": labels.LANGUAGES, "value": labels.LANGUAGE_LEVELS, "required": labels.LANGUAGE_LEVELS},
    "certificate": {"value": labels.CERTIFICATES, "required": labels.CERTIFICATES},
    "declared": {"declaration": profile_keys.sub_labels("declarations")},
    "platforms": {"matched": labels.PLATFORMS, "required": labels.PLATFORMS},
    "trait": {"trait": profile_keys.sub_labels("traits")},
    "skill": {"skill": labels.SKILLS},
    "typing": {"flags": labels.TYPING_FLAGS},
    "chat": {"flags": labels.CHAT_FLAGS},
}


# shares and accuracies shown as percentages
_PERCENT_CODES = {
    "typing.accuracy_ok", "typing.accuracy_below", "typing.accuracy_unknown",
    "chat.fast_ok", "chat.fast_below", "chat.courtesy_ok", "chat.courtesy_below",
    "chat.first_fast_ok", "chat.first_fast_below",
}  # fmt: skip


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True) if isinstance(value, float) else str(value)


def _format(value: Any, vocab: dict | None) -> str:
    if value is None:
        return "—"
    sep = _("、")
    if isinstance(value, list):
        return sep.join(_format(v, vocab) for v in value) if value else _("无")
    if vocab is not None:
        return labels.label(vocab, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return str(value)


def _age_range(params: dict) -> str:
    lo, hi = params.get("min"), params.get("max")
    if lo is not None and hi is not None:
        return _("%(min)s–%(max)s 岁") % {"min": lo, "max": hi}
    if lo is not None:
        return _("%(min)s 岁及以上") % {"min": lo}
    return _("%(max)s 岁及以下") % {"max": hi}


def render(item: dict[str, Any], questions: Questions | None = None) -> str:
    """One evidence item as text; `questions` maps question codes to (prompt, {option: label})."""
    code, params = item.get("code", ""), dict(item.get("params") or {})
    template = MESSAGES.get(code)
    if template is None:
        return code
    family = code.split(".")[0]
    vocab = _VOCAB_PARAMS.get(family, {})
    text_params = {k: _format(v, vocab.get(k)) for k, v in params.items()}
    if questions and params.get("question") in questions:
        prompt, options = questions[params["question"]]
        text_params["question"] = Truncator(prompt).chars(40)
        if "option" in params:
            text_params["option"] = options.get(params["option"], params["option"])
    if family == "age":
        text_params["range"] = _age_range(params)
    if family == "experience" and "since" in params:
        when = {"date": params["since"], "certificate": text_params.get("certificate", "")}
        text_params["after"] = (
            _("取得%(certificate)s证书（%(date)s）后") % when if "certificate" in params else _("%(date)s之后") % when
        )
    if family == "experience" and "field" in text_params and translation.get_language().startswith("en"):
        # "customer service" inside an English sentence; its first word is capitalised below
        text_params["field"] = text_params["field"].lower()
    if code in _PERCENT_CODES:
        # a share written as a fraction ("2/3") is shown as written: 67 % would hide that 0.67 is more
        text_params.update(
            {k: f"{params[k]:.0%}" for k in ("accuracy", "required") if isinstance(params.get(k), (int, float))}
        )
    return capfirst(str(template) % text_params)


def render_all(evidence: list[dict[str, Any]], questions: Questions | None = None) -> list[str]:
    return [render(e, questions) for e in evidence]

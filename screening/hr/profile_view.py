"""A stored profile in words, for HR's detail page: labels in the reader's language."""

from django.utils.translation import gettext as _

from .. import labels, rules
from ..rules import vocab
from ..rules.vocab import SENSITIVE_DECLARATIONS as SENSITIVE


def profile_rows(profile: dict) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if "date_of_birth" in profile:
        rows.append((_("出生日期"), profile["date_of_birth"]))
    if "age" in profile:
        rows.append((_("年龄"), str(profile["age"])))
    if "education" in profile:
        rows.append((_("学历"), labels.label(labels.EDUCATION, profile["education"])))
    if profile.get("major"):
        rows.append((_("专业"), profile["major"]))
    for field, years in (profile.get("experience") or {}).items():
        rows.append(
            (
                _("%(field)s经验") % {"field": labels.label(labels.EXPERIENCE_FIELDS, field)},
                _("%(n)s 年") % {"n": years},
            )
        )
    typing = profile.get("typing")
    if typing:
        text = _("%(cpm)s 字/分钟") % {"cpm": typing.get("cpm")}
        if typing.get("accuracy") is not None:
            text += _("，准确率 %(accuracy)s") % {"accuracy": f"{typing['accuracy']:.0%}"}
        text += " · " + (_("本站实测") if typing.get("measured") else _("自报"))
        if typing.get("flags"):
            text += " · " + "、".join(labels.label(labels.TYPING_FLAGS, f) for f in typing["flags"])
        rows.append((_("打字"), text))
    for lang, level in (profile.get("languages") or {}).items():
        rows.append((labels.label(labels.LANGUAGES, lang), labels.label(labels.LANGUAGE_LEVELS, level)))
    cert = profile.get("certificate")
    if cert:
        text = labels.label(labels.CERTIFICATES, cert.get("level"))
        if cert.get("years_since") is not None:
            text += _("（已满 %(n)s 年）") % {"n": cert["years_since"]}
        rows.append((_("证书"), text))
    for key, mapping in (("platforms", labels.PLATFORMS), ("skills", labels.SKILLS)):
        if key in profile:
            title = _("电商平台") if key == "platforms" else _("技能")
            rows.append((title, "、".join(labels.label(mapping, v) for v in profile[key]) or _("无")))
    for decl, value in (profile.get("declarations") or {}).items():
        if decl in SENSITIVE:
            continue  # health and criminal record: only the requirement's status is shown, never the answer
        rows.append((labels.label(labels.DECLARATIONS, decl), _("是") if value else _("否")))
    for trait, rating in (profile.get("traits") or {}).items():
        rows.append((labels.label(labels.TRAITS, trait), f"{rating}/5"))
    return rows


def answer_rows(answers: dict, questions: dict) -> list[tuple[str, str]]:
    """(question prompt, the chosen option's label or the free text)."""
    rows = []
    for code, answer in answers.items():
        prompt, options = questions.get(code, (code, {}))
        rows.append((prompt, options.get(answer, answer)))
    return rows


def _norm(condition: dict) -> float:
    return condition.get("max_seconds", vocab.CHAT_MAX_SECONDS)


def chat_transcripts(profile: dict, requirements: list[rules.Requirement]) -> list[dict]:
    """Each chat test taken: every buyer message and reply, its server-measured time against the norm,
    and the courtesy expressions and points each reply hit (the condition's keyword groups)."""
    conditions: dict[str, dict] = {}
    for requirement in requirements:
        for leaf in rules.chat_conditions(requirement.condition):  # the strictest norm, as the form states
            held = conditions.setdefault(leaf["scenario"], leaf)
            if _norm(leaf) < _norm(held):
                conditions[leaf["scenario"]] = leaf
    transcripts = []
    for code, chat in (profile.get("chat") or {}).items():
        if not isinstance(chat, dict) or not isinstance(chat.get("turns"), list):
            continue
        condition = conditions.get(code, {})
        norm = _norm(condition)
        groups = condition.get("groups", [])
        turns = []
        for turn in chat["turns"]:
            reply = turn.get("reply") or ""
            seconds = turn.get("seconds")
            turns.append(
                {
                    "buyer": turn.get("buyer", ""),
                    "reply": reply,
                    "seconds": seconds,
                    "fast": rules.reply_is_fast(
                        reply, seconds, measured=chat.get("measured") is True, max_seconds=norm
                    ),
                    "courtesy": rules.courtesy_used(reply),
                    "points": rules.keyword_hits(reply, groups),
                }
            )
        transcripts.append(
            {
                "code": code,
                "title": chat.get("title") or code,
                "norm": norm,
                "measured": chat.get("measured") is True,
                "flags": [labels.label(labels.CHAT_FLAGS, f) for f in chat.get("flags") or []],
                "turns": turns,
                "points": rules.keyword_hits("\n".join(t["reply"] for t in turns), groups),
                "groups": len(groups),
            }
        )
    return transcripts

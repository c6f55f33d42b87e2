"""A stored profile in words, for HR's detail page: labels in the reader's language."""

from .. import labels, profile_keys, rules
from ..rules import vocab


def profile_rows(profile: dict) -> list[tuple[str, str]]:
    """(title, value in words) for each profile key the profile holds, in the registry's order."""
    rows = []
    for key in profile_keys.held(profile):
        if key.show is None or key.sensitive:
            continue  # shown on another key's row; or health and criminal record: only the requirement's status
        value = profile_keys.value_at(profile, key.shows or key.key)
        if value is not None and value not in ("", {}):  # else unknown
            rows.append((key.row_title(), key.show(value)))
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

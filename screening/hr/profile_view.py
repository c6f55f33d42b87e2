"""A stored profile in words, for HR's detail page: labels in the reader's language."""

from .. import labels, profile_keys, rules
from ..rules import vocab


def profile_rows(profile: dict) -> list[tuple[str, str]]:
    """(title, value in words) for each profile key the profile holds, in the registry's order."""
    rows = []
    for key in profile_keys.held(profile):
        if key.show is None or key.sensitive:
            continue  # shown on another key's row; or health and criminal record: only the requirement's status
        shown = key.shown(profile)
        if shown is not None:  # else unknown
            rows.append((key.row_title(), shown))
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


def _replies(turn: dict) -> list[dict]:
    """A turn's replies, oldest first, as {"text", "seconds"}. A transcript stored before a buyer message
    could get several replies holds its one reply as "reply" and "seconds"."""
    replies = turn.get("replies")
    if not isinstance(replies, list):
        replies = [{"text": turn.get("reply"), "seconds": turn.get("seconds")}]
    shown = []
    for reply in replies:
        text = reply.get("text") if isinstance(reply, dict) else None
        if isinstance(text, str) and text.strip():
            seconds = reply.get("seconds")
            number = isinstance(seconds, int | float) and not isinstance(seconds, bool)
            shown.append({"text": text, "seconds": seconds if number else None})
    return shown


def chat_transcripts(profile: dict, requirements: list[rules.Requirement]) -> list[dict]:
    """Each chat test taken: every buyer message and its replies with their server-measured times, the first
    reply's time against the norm (the response time platforms measure), and the courtesy expressions and
    points (the condition's keyword groups) over all replies to the message."""
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
        measured = chat.get("measured") is True
        turns = []
        for turn in chat["turns"]:
            if not isinstance(turn, dict):
                continue
            replies = _replies(turn)
            text = "\n".join(r["text"] for r in replies)
            first = replies[0] if replies else {"text": "", "seconds": None}
            turns.append(
                {
                    "buyer": turn.get("buyer", ""),
                    "replies": replies,
                    "text": text,
                    "seconds": first["seconds"],
                    "fast": rules.reply_is_fast(first["text"], first["seconds"], measured=measured, max_seconds=norm),
                    "courtesy": rules.courtesy_used(text),
                    "points": rules.keyword_hits(text, groups),
                }
            )
        transcripts.append(
            {
                "code": code,
                "title": chat.get("title") or code,
                "norm": norm,
                "measured": measured,
                "flags": [labels.label(labels.CHAT_FLAGS, f) for f in chat.get("flags") or []],
                "turns": turns,
                "points": rules.keyword_hits("\n".join(t["text"] for t in turns), groups),
                "groups": len(groups),
            }
        )
    return transcripts

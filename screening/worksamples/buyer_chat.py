"""The simulated buyer chat: the server delivers buyer messages one at a time and times every reply.

The browser asks for the next message (``next_message``) and posts replies (``post_reply``); each
delivery and each reply is stamped with the server's clock when it happens. A reply to a message
that was not delivered yet is refused, and any time the browser sends is ignored, so nothing can
be made to look fast. A finished run gives a signed result that the application form accepts once.
"""

import secrets
import time
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ChatScenario, ChatSession

RESULT_SALT = "chat-result"
MAX_REPLY = 500
# faster than this many characters per minute, counted from delivery to reply, is not typing: flag it
MAX_CPM = 250
# A rate over a few characters says nothing: a pinyin IME commits 在的 or 好的 in one keystroke, so a quick
# human 亲，在的 in one second is already 240 a minute and 亲，在的呢 in 1.1 s over 270. The rate is read from
# SHORT_REPLY characters on. Any reply, however short, also takes a person at least MIN_REPLY_SECONDS: noticing
# the message (a visual reaction alone is a quarter of a second), reading it, at least one keystroke and Enter.
# The server's time includes the network both ways, so it can only overstate the person's: a reply under a
# second came from a script or a macro.
SHORT_REPLY = 10
MIN_REPLY_SECONDS = 1.0
FLAG_TOO_FAST, FLAG_PASTED = "too_fast", "pasted"
STALE_AFTER = 24 * 3600  # unfinished or unused runs are deleted after a day (retention.purge_expired)


class ChatError(ValueError):
    """A request the chat cannot take; str() is the candidate's message, ``status`` the HTTP status."""

    def __init__(self, message, status: int = 400):
        super().__init__(message)
        self.status = status


def start(*, scenario: ChatScenario, holder: str) -> ChatSession:
    """This browser's unused run of the scenario, or a new one: reloading the page continues the same
    run instead of starting over with messages the candidate has already read."""
    session = (
        ChatSession.objects.filter(scenario=scenario, holder=holder, used_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if session is None:
        session = ChatSession.objects.create(
            key=secrets.token_urlsafe(32), scenario=scenario, holder=holder, messages=scenario.messages
        )
    session.scenario = scenario  # already loaded: state() reads its title and context
    return session


def _seconds(turn: dict) -> float | None:
    """Server time from the message's delivery to its reply (None while unanswered)."""
    return round(turn["replied"] - turn["delivered"], 1) if turn["replied"] is not None else None


def _too_fast(reply: str, seconds: float) -> bool:
    if seconds < MIN_REPLY_SECONDS:
        return True
    return len(reply) > SHORT_REPLY and len(reply) * 60 / seconds > MAX_CPM


def _signed_result(session: ChatSession) -> str:
    return signing.dumps({"k": session.key, "h": session.holder}, salt=RESULT_SALT)


def _locked(key: str, holder: str) -> ChatSession:
    # the run's row only: a join would lock the scenario that every candidate's run shares
    session = ChatSession.objects.select_for_update().filter(key=key, holder=holder, used_at__isnull=True).first()
    if session is None:
        raise ChatError(_("对话测试已失效，请刷新页面后重新开始。"), status=404)
    return session


def _due(session: ChatSession, index: int) -> float:
    """When message `index` may be delivered: its delay after the start (first) or after the reply to the
    message before."""
    delay = float(session.messages[index]["delay_seconds"])
    base = session.started_at.timestamp() if index == 0 else session.turns[index - 1]["replied"]
    return base + delay


def next_message(*, key: str, holder: str, now: float | None = None) -> dict:
    """Deliver the next buyer message if it is due; otherwise say how long to wait or that a reply is awaited."""
    with transaction.atomic():
        session = _locked(key, holder)
        now = time.time() if now is None else now
        turns, messages = session.turns, session.messages
        if turns and turns[-1]["replied"] is None:  # first: a reload before answering the last message
            return {"awaiting_reply": len(turns) - 1}
        if len(turns) >= len(messages):
            return {"done": session.finished_at is not None}
        due = _due(session, len(turns))
        if now < due:
            return {"wait": round(due - now, 2)}
        turns.append({"delivered": now, "replied": None, "reply": "", "pastes": 0})
        session.save(update_fields=["turns"])
        return {"index": len(turns) - 1, "text": messages[len(turns) - 1]["text"]}


def _clean_reply(text) -> str:
    text = (text or "").strip()[:MAX_REPLY]
    if not text:
        raise ChatError(_("回复不能为空。"))
    if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):  # PostgreSQL cannot store them
        raise ChatError(_("回复里有无法保存的字符，请删除后重新输入。"))
    return text


def post_reply(*, key: str, holder: str, index: int, text: str, pastes: int = 0, now: float | None = None) -> dict:
    """Record the one reply to delivered message `index`, timed now. A message is answered once: a quick
    "亲" followed later by the real answer would make a slow reply look fast. The same text sent again (a
    network retry) is answered as before."""
    text = _clean_reply(text)
    with transaction.atomic():
        session = _locked(key, holder)
        now = time.time() if now is None else now
        turns = session.turns
        if not isinstance(index, int) or isinstance(index, bool) or index < 0 or index >= len(turns):
            raise ChatError(_("这条买家消息还没有送达，回复不计入。"), status=409)
        turn = turns[index]
        if turn["replied"] is not None:
            if turn["reply"] != text:
                raise ChatError(_("这条消息已经回复过了。"), status=409)
        else:  # the latest message: a message is delivered only once the one before it was answered
            turn["replied"], turn["reply"] = now, text
            turn["pastes"] = pastes
            update = ["turns"]
            if len(turns) == len(session.messages):
                session.finished_at = timezone.now()
                update.append("finished_at")
            session.save(update_fields=update)
    answer = {
        "index": index,
        "seconds": _seconds(turn),
        "done": bool(session.finished_at),
    }
    if session.finished_at:
        answer["result"] = _signed_result(session)
    return answer


def state(session: ChatSession) -> dict:
    """What the widget needs to show a run (new or continued after a reload)."""
    scenario = session.scenario
    data = {
        "session": session.key,
        "title": scenario.title,
        "context": scenario.context,
        "total": len(session.messages),
        "turns": [
            {
                "text": session.messages[i]["text"],
                "reply": t["reply"] or None,
                "seconds": _seconds(t),
            }
            for i, t in enumerate(session.turns)
        ],
        "done": session.finished_at is not None,
    }
    if session.finished_at:
        data["result"] = _signed_result(session)
    return data


def verify_result(value: str, *, holder: str, scenario_code: str, max_age: int = 3 * 3600) -> ChatSession | None:
    """The finished, unused run a signed result stands for, taken in this browser; None otherwise."""
    try:
        data = signing.loads(value, salt=RESULT_SALT, max_age=max_age)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("h") != holder:
        return None
    return (
        ChatSession.objects.select_related("scenario")
        .filter(
            key=data.get("k"),
            holder=holder,
            scenario__code=scenario_code,
            finished_at__isnull=False,
            used_at__isnull=True,
        )
        .first()
    )


def transcript(session: ChatSession) -> dict:
    """The profile's ``chat[<scenario>]`` value: each buyer message, the reply, the server-measured seconds."""
    turns, flags = [], set()
    for message, turn in zip(session.messages, session.turns, strict=False):
        seconds = _seconds(turn)
        reply = turn["reply"]
        if seconds is not None and _too_fast(reply, seconds):
            flags.add(FLAG_TOO_FAST)
        if turn.get("pastes"):
            flags.add(FLAG_PASTED)
        turns.append({"buyer": message["text"], "reply": turn["reply"], "seconds": seconds})
    return {"measured": True, "title": session.scenario.title, "turns": turns, "flags": sorted(flags)}


def claim(session: ChatSession) -> bool:
    """Take the run into one application; False if another submission took it first. The replies now live
    in the application only (so deleting the application deletes them); the run keeps no text."""
    claimed = ChatSession.objects.filter(pk=session.pk, used_at__isnull=True)
    return claimed.update(used_at=timezone.now(), turns=[]) == 1


def purge_stale(*, older_than_seconds: int = STALE_AFTER) -> int:
    """Runs are personal data too: delete the used and abandoned ones after a day."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    deleted, _by_model = ChatSession.objects.filter(started_at__lt=cutoff).delete()
    return deleted

"""The simulated buyer chat: the server delivers buyer messages one at a time and times every reply.

The browser asks for the next message (``next_message``), posts replies (``post_reply``) and says when the
candidate is done (``finish``); each delivery and each reply is stamped with the server's clock when it
happens. A buyer message may get several replies, as on every shop platform: a quick "亲，在的" first and
the real answer after it. What is measured is the time from the message's delivery to its first reply;
the next message comes its delay after the candidate's latest reply. A reply to a message that was not
delivered yet is refused, and any time the browser sends is ignored, so nothing can be made to look fast.
A finished run gives a signed result that the application form accepts once.

A run ends when the candidate finishes it (once the last buyer message has a reply) or by itself
FINISH_AFTER seconds after the latest reply to it; after that no reply is taken.
"""

import re
import secrets
import time
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ChatScenario, ChatSession

RESULT_SALT = "chat-result"
MAX_REPLY = 500  # characters in one reply (the widget's textarea stops at this too)
MAX_REPLIES = 5  # replies to one buyer message: an acknowledgement, the answer, a follow-up or two
# the last buyer message answered, a run with no new reply for this long is over (the candidate may also finish it)
FINISH_AFTER = 60
# faster than this many characters per minute of typing is not typing: flag it
MAX_CPM = 250
# A rate over a few characters says nothing: a pinyin IME commits 在的 or 好的 in one keystroke, so a quick
# human 亲，在的 in one second is already 240 a minute and 亲，在的呢 in 1.1 s over 270. The rate is read from
# SHORT_REPLY characters on. Any reply, however short, also takes a person at least MIN_REPLY_SECONDS after the
# message arrives: noticing it (a visual reaction alone is a quarter of a second), reading it, at least one
# keystroke and Enter. The server's time includes the network both ways, so it can only overstate the person's:
# a reply under a second came from a script or a macro. There is one input box, so a reply's typing began no
# earlier than its message's delivery and no earlier than the candidate's reply before it: its rate is counted
# from the later of the two.
SHORT_REPLY = 10
MIN_REPLY_SECONDS = 1.0
FLAG_TOO_FAST, FLAG_PASTED = "too_fast", "pasted"
STALE_AFTER = 24 * 3600  # unfinished or unused runs are deleted after a day (retention.purge_expired)
REPLY_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


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


def _replies(turn: dict) -> list[dict]:
    """A delivered message's replies, oldest first: [{"at": epoch seconds, "text": …, "id": …}]. A run
    started before several replies were allowed holds one reply as "replied" and "reply"."""
    if "replies" in turn:
        return turn["replies"]
    return [{"at": turn["replied"], "text": turn["reply"]}] if turn.get("replied") is not None else []


def _seconds(turn: dict, reply: dict) -> float:
    """Server time from the message's delivery to the reply."""
    return round(reply["at"] - turn["delivered"], 1)


def _too_fast(text: str, seconds: float, typing: float) -> bool:
    """`seconds` from the message's delivery, `typing` from when the candidate could begin typing this reply."""
    if seconds < MIN_REPLY_SECONDS:
        return True
    return len(text) > SHORT_REPLY and (typing <= 0 or len(text) * 60 / typing > MAX_CPM)


def _signed_result(session: ChatSession) -> str:
    return signing.dumps({"k": session.key, "h": session.holder}, salt=RESULT_SALT)


def _locked(key: str, holder: str) -> ChatSession:
    # the run's row only: a join would lock the scenario that every candidate's run shares
    session = ChatSession.objects.select_for_update().filter(key=key, holder=holder, used_at__isnull=True).first()
    if session is None:
        raise ChatError(_("对话测试已失效，请刷新页面后重新开始。"), status=404)
    return session


def _latest_reply(session: ChatSession) -> float | None:
    """When the candidate last replied (to any message), or None before the first reply."""
    return max((r["at"] for t in session.turns for r in _replies(t)), default=None)


def _due(session: ChatSession, index: int) -> float:
    """When message `index` may be delivered: its delay after the start (first) or after the candidate's
    latest reply (so an acknowledgement followed by the answer holds the next message back until the answer)."""
    delay = float(session.messages[index]["delay_seconds"])
    base = session.started_at.timestamp() if index == 0 else _latest_reply(session)
    return base + delay


def _answered_all(session: ChatSession) -> bool:
    turns = session.turns
    return len(turns) == len(session.messages) and bool(_replies(turns[-1]))


def _ends_at(session: ChatSession) -> float | None:
    """When the run ends by itself: FINISH_AFTER after the latest reply, once the last message has one."""
    return _latest_reply(session) + FINISH_AFTER if _answered_all(session) else None


def _finish(session: ChatSession) -> dict:
    if session.finished_at is None:
        session.finished_at = timezone.now()
        session.save(update_fields=["finished_at"])
    return {"done": True, "result": _signed_result(session)}


def next_message(*, key: str, holder: str, now: float | None = None) -> dict:
    """Deliver the next buyer message if it is due; otherwise say how long to wait, that a reply is awaited
    (and since when), that the candidate may finish (and when the run ends by itself), or that it is over."""
    with transaction.atomic():
        session = _locked(key, holder)
        now = time.time() if now is None else now
        turns, messages = session.turns, session.messages
        if session.finished_at is not None:
            return _finish(session)
        if turns and not _replies(turns[-1]):  # first: a reload before answering the latest message
            return {"awaiting_reply": len(turns) - 1, "since": round(now - turns[-1]["delivered"], 1)}
        if len(turns) >= len(messages):
            ends = _ends_at(session)
            if now >= ends:
                return _finish(session)
            return {"can_finish": True, "finish_in": round(ends - now, 2)}
        due = _due(session, len(turns))
        if now < due:
            return {"wait": round(due - now, 2)}
        turns.append({"delivered": now, "replies": [], "pastes": 0})
        session.save(update_fields=["turns"])
        return {"index": len(turns) - 1, "text": messages[len(turns) - 1]["text"]}


def _clean_reply(text) -> str:
    text = (text or "").strip()
    if not text:
        raise ChatError(_("回复不能为空。"))
    if len(text) > MAX_REPLY:
        raise ChatError(_("一条回复最多 %(n)s 个字，请分成几条发送。") % {"n": MAX_REPLY})
    if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):  # PostgreSQL cannot store them
        raise ChatError(_("回复里有无法保存的字符，请删除后重新输入。"))
    return text


def _answer(session: ChatSession, index: int, turn: dict, reply: dict) -> dict:
    replies = _replies(turn)
    return {
        "index": index,
        "seconds": _seconds(turn, reply),
        "first": reply is replies[0],
        "count": len(replies),
        "can_finish": _answered_all(session),
    }


def post_reply(
    *,
    key: str,
    holder: str,
    index: int,
    text: str,
    pastes: int = 0,
    reply_id: str | None = None,
    now: float | None = None,
) -> dict:
    """Record a reply to delivered message `index`, timed now. A message takes up to MAX_REPLIES replies (a
    quick "亲，在的" and the answer after it); only the first one's time is its response time. A reply sent
    again with the same `reply_id` (a network retry) is stored once and answered as before."""
    text = _clean_reply(text)
    if reply_id is not None and not (isinstance(reply_id, str) and REPLY_ID.fullmatch(reply_id)):
        reply_id = None
    with transaction.atomic():
        session = _locked(key, holder)
        now = time.time() if now is None else now
        turns = session.turns
        if not isinstance(index, int) or isinstance(index, bool) or index < 0 or index >= len(turns):
            raise ChatError(_("这条买家消息还没有送达，回复不计入。"), status=409)
        turn = turns[index]
        replies = turn.setdefault("replies", _replies(turn))
        retried = next((r for r in replies if reply_id and r.get("id") == reply_id), None)
        if retried is not None:
            return _answer(session, index, turn, retried)
        ends = _ends_at(session)
        if session.finished_at is not None or (ends is not None and now >= ends):
            raise ChatError(_("对话已经结束，不能再回复。"), status=409)
        if len(replies) >= MAX_REPLIES:
            raise ChatError(_("每条买家消息最多回复 %(n)s 次。") % {"n": MAX_REPLIES}, status=409)
        reply = {"at": now, "text": text, **({"id": reply_id} if reply_id else {})}
        replies.append(reply)
        turn["pastes"] = turn.get("pastes", 0) + pastes
        for old in ("replied", "reply"):
            turn.pop(old, None)
        session.save(update_fields=["turns"])
        return _answer(session, index, turn, reply)


def finish(*, key: str, holder: str) -> dict:
    """The candidate ends the run: only once the last buyer message has a reply."""
    with transaction.atomic():
        session = _locked(key, holder)
        if session.finished_at is None and not _answered_all(session):
            raise ChatError(_("请先回复买家的最后一条消息，再完成对话。"), status=409)
        return _finish(session)


def state(session: ChatSession, now: float | None = None) -> dict:
    """What the widget needs to show a run (new or continued after a reload)."""
    now = time.time() if now is None else now
    scenario = session.scenario
    turns = []
    for message, turn in zip(session.messages, session.turns, strict=False):
        replies = _replies(turn)
        shown = {
            "text": message["text"],
            "replies": [{"text": r["text"], "seconds": _seconds(turn, r)} for r in replies],
        }
        if not replies:
            shown["since"] = round(now - turn["delivered"], 1)  # the first-reply countdown goes on from here
        turns.append(shown)
    data = {
        "session": session.key,
        "title": scenario.title,
        "context": scenario.context,
        "total": len(session.messages),
        "max_replies": MAX_REPLIES,
        "finish_after": FINISH_AFTER,
        "turns": turns,
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
    """The profile's ``chat[<scenario>]`` value: each buyer message and its replies, each with the
    server-measured seconds from the message's delivery (the first reply's is the response time):
    ``{"measured": true, "title": …, "flags": […], "turns": [{"buyer": …, "replies": [{"text": …,
    "seconds": …}]}]}``."""
    sent = sorted(r["at"] for t in session.turns for r in _replies(t))
    turns, flags = [], set()
    for message, turn in zip(session.messages, session.turns, strict=False):
        replies = []
        for reply in _replies(turn):
            seconds = _seconds(turn, reply)
            before = max((at for at in sent if at < reply["at"]), default=turn["delivered"])
            if _too_fast(reply["text"], seconds, reply["at"] - max(turn["delivered"], before)):
                flags.add(FLAG_TOO_FAST)
            replies.append({"text": reply["text"], "seconds": seconds})
        if turn.get("pastes"):
            flags.add(FLAG_PASTED)
        turns.append({"buyer": message["text"], "replies": replies})
    return {"measured": True, "title": session.scenario.title, "flags": sorted(flags), "turns": turns}


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

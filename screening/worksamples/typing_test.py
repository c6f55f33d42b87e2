"""The measured Chinese typing test: passages, signed start tokens, server-side scoring (no ORM).

The browser only shows the passage and sends back what was typed. Everything that counts is
decided here: the start time is the server's clock, sealed in a signed token; the figures are
recomputed from the received text; the result the application form accepts is signed again.
"""

import difflib
import hashlib
import re
import secrets
import time

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

START_SALT = "typing-test"
RESULT_SALT = "typing-result"

# What a candidate types: e-commerce customer-service replies (test content, deliberately not translated).
PASSAGES: tuple[str, ...] = (
    "亲，您好！欢迎光临本店，我是客服小美，很高兴为您服务。请问有什么可以帮您？"
    "您看中的这款连衣裙目前有现货，今天下单，明天就能发货哦。",
    "您好，帮您查到了：您的订单已于今天上午从杭州仓库发出，快递单号已同步到订单详情页。"
    "预计三天内送达，收到后如有任何问题，请随时联系我们。",
    "亲，本店支持七天无理由退换货。请保持商品和吊牌完好，在订单页面点击“申请退货”，填写快递单号即可。"
    "我们收到退货后，会在两个工作日内为您退款。",
    "非常抱歉让您久等了！近期大促订单较多，快递有些延误，给您添麻烦了。"
    "我已联系快递公司加急派送，并为您申请了一张五元无门槛优惠券，请注意查收。",
    "感谢您的耐心等待。您反馈的耳机无法充电的问题，我们已经登记，售后同事会在二十四小时内给您回电。"
    "如果还有其他疑问，欢迎随时留言，祝您生活愉快！",
)

MAX_CPM = 200  # faster than this is not plausible for Chinese input: flag it
MIN_SECONDS = 5.0
MIN_SHARE = 0.2  # typed fewer characters than this share of the passage: flag it

FLAG_TOO_FAST = "too_fast"
FLAG_TOO_SHORT = "too_short"
FLAG_PASTED = "pasted"

_WHITESPACE = re.compile(r"\s+")
# Full-width and half-width punctuation count as the same character (phone keyboards differ);
# the mapping is one character to one, so lengths and positions stay those of the passage.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {
    ord("。"): ".",
    ord("“"): '"',
    ord("”"): '"',
    ord("‘"): "'",
    ord("’"): "'",
}


class TypingTestError(ValueError):
    """The start token can't be used (tampered, expired) or nothing was typed; str() is the reader's message."""


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def start(passage_id: int | None = None, *, holder: str = "") -> dict:
    """Pick a passage and seal the server's start time in a signed token (bound to `holder`, the browser)."""
    if passage_id is None:
        passage_id = secrets.randbelow(len(PASSAGES))
    if not 0 <= passage_id < len(PASSAGES):
        raise TypingTestError(_("没有这段测试文字。"))
    token = signing.TimestampSigner(salt=START_SALT).sign_object(
        {"p": passage_id, "n": secrets.token_urlsafe(12), "t": round(time.time(), 3), "h": holder}
    )
    return {"passage_id": passage_id, "passage": PASSAGES[passage_id], "token": token}


def _open_start_token(token: str, max_age: int, holder: str) -> tuple[int, float]:
    try:
        data = signing.TimestampSigner(salt=START_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TypingTestError(_("测试已超时，请重新开始。")) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise TypingTestError(_("测试凭证无效，请重新开始。")) from exc
    if not isinstance(data, dict) or data.get("h", "") != holder:  # started in another browser
        raise TypingTestError(_("测试凭证无效，请重新开始。"))
    passage_id = data.get("p") if isinstance(data, dict) else None
    started = data.get("t") if isinstance(data, dict) else None
    if not isinstance(passage_id, int) or not 0 <= passage_id < len(PASSAGES) or not isinstance(started, int | float):
        raise TypingTestError(_("测试凭证无效，请重新开始。"))
    return passage_id, float(started)


def score(passage: str, typed: str, elapsed: float, *, paste_attempts: int = 0) -> dict:
    """The figures for one attempt (pure: the caller supplies the elapsed seconds)."""
    expected, received = _fold(passage), _fold(_WHITESPACE.sub("", typed))
    matcher = difflib.SequenceMatcher(None, expected, received, autojunk=False)
    correct = sum(block.size for block in matcher.get_matching_blocks())
    accuracy = round(correct / len(expected), 3) if expected else 0.0
    cpm = round(correct * 60 / max(elapsed, 1.0))
    flags = []
    if cpm > MAX_CPM or elapsed < MIN_SECONDS:
        flags.append(FLAG_TOO_FAST)
    if len(received) < MIN_SHARE * len(expected):
        flags.append(FLAG_TOO_SHORT)
    if paste_attempts > 0:
        flags.append(FLAG_PASTED)
    return {"cpm": cpm, "accuracy": accuracy, "elapsed": round(elapsed, 1), "flags": flags}


def finish(token: str, typed: str, *, max_age: int = 600, paste_attempts: int = 0, holder: str = "") -> dict:
    """Check the start token, time the attempt on the server's clock and score the received text.

    Returns cpm, accuracy (0–1), elapsed (s), flags and ``result``: the signed figures that the
    application form accepts through verify_result().
    """
    passage_id, started = _open_start_token(token, max_age, holder)
    if not _WHITESPACE.sub("", typed or ""):
        raise TypingTestError(_("还没有输入文字。"))
    elapsed = max(time.time() - started, 0.0)
    figures = score(PASSAGES[passage_id], typed, elapsed, paste_attempts=paste_attempts)
    figures["result"] = signing.TimestampSigner(salt=RESULT_SALT).sign_object(
        {
            "cpm": figures["cpm"],
            "accuracy": figures["accuracy"],
            "measured": True,
            "flags": figures["flags"],
            "p": passage_id,
            "h": holder,
        }
    )
    return figures


def verify_result(value: str, *, max_age: int = 3600, holder: str | None = None) -> dict | None:
    """The profile's ``typing`` value from a signed result, or None if it was tampered with, is too old,
    was taken in another browser (when `holder` is given) or was already used for an application."""
    if not isinstance(value, str) or not value:
        return None
    try:
        data = signing.TimestampSigner(salt=RESULT_SALT).unsign_object(value, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("measured") is not True:
        return None
    if holder is not None and data.get("h", "") != holder:
        return None
    if cache.get(_used_key(value)):
        return None
    cpm, accuracy, flags = data.get("cpm"), data.get("accuracy"), data.get("flags")
    if not isinstance(cpm, int) or not isinstance(accuracy, int | float) or not isinstance(flags, list):
        return None
    return {"cpm": cpm, "accuracy": float(accuracy), "measured": True, "flags": [str(f) for f in flags]}


def _used_key(value: str) -> str:
    return "typing-used:" + hashlib.sha256(value.encode()).hexdigest()


def claim_result(value: str) -> bool:
    """Mark a result as used by one application; False if it already was (a result is not shareable)."""
    return cache.add(_used_key(value), 1, timeout=2 * 3600)

"""Mainland China mobile numbers: the one normal form used to recognise the same person."""

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_mobile(raw: str) -> str | None:
    """'+86 138-0013-8000' → '13800138000'; None when it is not a mainland mobile number."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if _MOBILE.match(digits) else None

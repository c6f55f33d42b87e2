"""Mainland China mobile numbers: the one normal form used to recognise the same person."""

import re
import unicodedata

_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only: \d would take every script's digits


def normalise_mobile(raw: str) -> str | None:
    """'+86 138-0013-8000' → '13800138000'; None when it is not a mainland mobile number."""
    # NFKC: full-width digits from Chinese input methods (１３８…) become ASCII ones
    digits = re.sub(r"[\s\-().]", "", unicodedata.normalize("NFKC", raw or ""))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits if _MOBILE.fullmatch(digits) else None

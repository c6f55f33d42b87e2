"""Text folding for answer matching: traditional → simplified, full-width → half-width, case-insensitive."""

import unicodedata
from functools import lru_cache

import opencc

_converter: opencc.OpenCC | None = None


def _t2s(text: str) -> str:
    global _converter
    if _converter is None:  # loading the dictionaries costs ~50 ms: only when an answer is matched
        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Fold text so that 「抱歉，我們會查詢」, 「抱歉,我们会查询」 and upper/lower case compare equal."""
    text = unicodedata.normalize("NFKC", text)
    return _t2s(text).casefold()

"""Keyset ("cursor") pages of the ranked list: score high to low (unscored last), then submission time, then id.

No COUNT over the job and no OFFSET: a page reads its rows from where the last one ended, through the
evaluation's score index, however deep into 100,000 applicants it is. The cursor is the last row's
(score, submitted_at, id), base64url JSON; a malformed one is a 400."""

import base64
import json
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

PAGE_SIZES = range(1, 101)
DEFAULT_PAGE_SIZE = 25


def encode(application) -> str:
    evaluation = getattr(application, "evaluation", None)
    key = [str(evaluation.score) if evaluation else None, application.submitted_at.isoformat(), application.pk]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[Decimal | None, datetime, int]:
    try:
        score, submitted, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        score = None if score is None else Decimal(score)
        submitted = datetime.fromisoformat(submitted)
        if not isinstance(pk, int) or isinstance(pk, bool) or submitted.tzinfo is None or not (0 < pk < 2**63):
            raise ValueError(pk)
        if score is not None and not (score.is_finite() and 0 <= score <= 100):  # a score, not 1E+999999
            raise ValueError(score)
        return score, submitted, pk
    except (ValueError, TypeError, InvalidOperation, json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationError({"cursor": [_("翻页标记无效")]}, code="invalid_cursor") from None


def after(applications: QuerySet, cursor: str | None) -> QuerySet:
    if not cursor:
        return applications
    score, submitted, pk = _decode(cursor)
    later = Q(submitted_at__gt=submitted) | Q(submitted_at=submitted, pk__gt=pk)
    if score is None:
        return applications.filter(Q(evaluation__score__isnull=True) & later)
    return applications.filter(
        Q(evaluation__score__lt=score) | Q(evaluation__score=score) & later | Q(evaluation__score__isnull=True)
    )


def page_size(value) -> int:
    try:
        size = int(value) if value not in (None, "") else DEFAULT_PAGE_SIZE
    except (TypeError, ValueError):
        size = 0
    if size not in PAGE_SIZES:
        raise ValidationError({"page_size": [_("每页条数须在 1 到 100 之间")]}, code="invalid")
    return size

"""A status link: a private link to one application, made of a long random token of which only a hash is kept.
Of its own (no other service imported), so that every service that issues one can import it."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Application, StatusLink


def status_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def application_issue_status_token(*, application: Application, until=None) -> str:
    """One more private status link (a long random token; only its hash is stored), valid STATUS_LINK_DAYS or
    `until`. The links already sent keep working, and the application itself is not changed (a new link must not
    postpone its erasure)."""
    return application_issue_status_tokens(application_ids=[application.pk], until=until)[application.pk]


def application_issue_status_tokens(*, application_ids, until=None) -> dict[int, str]:
    """{application id: a new status link's token} for many applications in one insert (a bulk rejection)."""
    tokens = {pk: secrets.token_urlsafe(32) for pk in application_ids}
    expires = until or timezone.now() + timedelta(days=settings.STATUS_LINK_DAYS)
    StatusLink.objects.bulk_create(
        StatusLink(application_id=pk, token_hash=status_token_hash(token), expires_at=expires)
        for pk, token in tokens.items()
    )
    return tokens

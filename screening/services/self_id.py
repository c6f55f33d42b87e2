"""The voluntary self-identification asked on the confirmation page, after an application is in (issue 16 item 4).

The page must not tell who applied: the same page follows a new application and a stranger's attempt with someone
else's e-mail (which changes nothing). So each gets an offer token that looks the same; only a real submission's
token names an application, in the cache, for as long as the confirmation page may be opened. An answer to any
other token is thanked for and dropped.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ..models import Application, VoluntarySelfId

OFFER_SECONDS = 3600  # as long as the confirmation page opens (careers.views.job_applied)


def _key(offer: str) -> str:
    return f"selfid-offer:{offer}"


def self_id_offer(*, application: Application | None) -> str:
    """A token for the confirmation page's question: it records an answer for `application`, or for nobody."""
    offer = secrets.token_urlsafe(18)
    if application is not None:
        cache.set(_key(offer), application.pk, timeout=OFFER_SECONDS)
    return offer


def self_id_record(*, offer: str, sex: str) -> None:
    """Keep the answer (consent given now) apart from the application; another answer replaces it."""
    application_id = cache.get(_key(offer)) if offer else None
    if application_id is None:
        return
    with transaction.atomic():
        # the application's row locked: one deleted meanwhile (by its owner, or the retention purge) gets nothing
        if not Application.objects.select_for_update().filter(pk=application_id).exists():
            return
        VoluntarySelfId.objects.update_or_create(
            application_id=application_id,
            defaults={
                "sex": sex,
                "consent_given_at": timezone.now(),
                "notice_version": settings.PRIVACY_NOTICE_VERSION,
            },
        )

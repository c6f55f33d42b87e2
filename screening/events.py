"""What happened to applications, told to whoever listens (the API app's webhooks), once it is committed.

The domain names its events here and sends them; it never knows who listens. A service calls
`emit(type, rows)` with one row per application ({"application_id", "job_id", …plain data}); the rows are
sent with the `application_event` signal after the current transaction commits (at once outside one), so a
rolled-back change tells nobody. An erasure's rows carry ids only, never personal data.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

CREATED = "application.created"
SCORED = "application.scored"
STAGE_CHANGED = "application.stage_changed"
WITHDRAWN = "application.withdrawn"
ERASED = "application.erased"
TYPES = (CREATED, SCORED, STAGE_CHANGED, WITHDRAWN, ERASED)

# receivers get event_type and rows (a list of dicts, each with application_id and job_id)
application_event = Signal()


def emit(event_type: str, rows) -> None:
    if event_type not in TYPES:  # a typo fails in the service's own test, not silently in a receiver
        raise KeyError(f"no such event: {event_type}")
    rows = [dict(row) for row in rows]
    if rows:
        transaction.on_commit(lambda: _send(event_type, rows))


def _send(event_type: str, rows: list[dict]) -> None:
    # the change is committed: a listener that fails is logged, and never turns it into an error for its caller
    for receiver, result in application_event.send_robust(sender=event_type, event_type=event_type, rows=rows):
        if isinstance(result, Exception):
            logger.error("%s listener %r failed", event_type, receiver, exc_info=result)

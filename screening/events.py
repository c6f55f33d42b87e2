"""What happened to applications, told to whoever listens (the API app's webhooks), once it is committed.

The domain names its events here and sends them; it never knows who listens. A service calls
`emit(type, rows)` with one row per application ({"application_id", "job_id", …plain data}); the rows are
sent with the `application_event` signal after the current transaction commits (at once outside one), so a
rolled-back change tells nobody. An erasure's rows carry ids only, never personal data.
"""

from django.db import transaction
from django.dispatch import Signal

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
        transaction.on_commit(lambda: application_event.send(sender=event_type, event_type=event_type, rows=rows))

"""Webhooks: the domain's events become signed deliveries to the endpoints that want them.

`on_application_event` runs after the domain's transaction committed (screening.events): it writes one
delivery per endpoint and event (unique per endpoint and event id, so handing the same event over twice
delivers it once) and asks for each to be sent after its own commit. `deliver` posts one, signed with the
Standard Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature headers; the id is the event id,
the same on every retry, so a receiver can drop a repeat); a failure is retried with exponential backoff
until WEBHOOK_RETRY_FOR_SECONDS after the event, then given up.

Payloads carry ids, stages and scores, never a name or contact detail: a receiver that wants them reads the
application through the API, where its client's scope and the access log apply. An erasure carries ids only.
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from screening import background
from screening.models import Application

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

DELIVER_WEBHOOK = "screening.api.tasks.deliver_webhook"
Status = WebhookDelivery.Status


def _fill_job_ids(rows: list[dict]) -> None:
    missing = [row["application_id"] for row in rows if row.get("job_id") is None]
    if missing:
        jobs = dict(Application.objects.filter(pk__in=missing).values_list("pk", "job_id"))
        for row in rows:
            if row.get("job_id") is None:
                row["job_id"] = jobs.get(row["application_id"])


def on_application_event(sender, *, event_type: str, rows: list[dict], **kwargs) -> None:
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True).prefetch_related("jobs") if e.wants(event_type)]
    if not endpoints:
        return  # the common case: one small query per committed change
    _fill_job_ids(rows)
    now = timezone.now()
    deliveries = []
    for row in rows:
        event_id = f"evt_{uuid.uuid4().hex}"
        data = {k: v for k, v in row.items() if v is not None}
        payload = {"type": event_type, "timestamp": now.isoformat(), "data": data}
        for endpoint in endpoints:
            scope = {job.pk for job in endpoint.jobs.all()}
            if scope and row.get("job_id") not in scope:
                continue  # never an event of a job outside the endpoint's scope
            deliveries.append(
                WebhookDelivery(
                    endpoint=endpoint, event_id=event_id, event_type=event_type, payload=payload, next_attempt_at=now
                )
            )
    with transaction.atomic():
        for delivery in WebhookDelivery.objects.bulk_create(deliveries, batch_size=1000):
            background.enqueue(DELIVER_WEBHOOK, delivery.pk)


def backoff_seconds(attempts: int) -> float:
    """After the n-th failed attempt: base × 2^(n-1), at most half an hour (a countdown longer than Redis's
    visibility timeout would be delivered twice)."""
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 1800)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """The delivery, if pending and due, leased to this run for WEBHOOK_TIMEOUT_SECONDS + a margin: a second
    copy of the task (a retry and the sweep both sent one) finds it not due and leaves it."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 30)
    with transaction.atomic():
        delivery = (
            # the delivery's row only: locking the joined endpoint too made two deliveries to one endpoint skip each
            # other (the second claim found the endpoint locked and left its delivery for a sweep, a minute later)
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        delivery.next_attempt_at = lease
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def signed_request(delivery: WebhookDelivery) -> urllib.request.Request:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))
    sent_at = timezone.now()
    signature = Webhook(delivery.endpoint.secret).sign(delivery.event_id, sent_at, body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "kefu-screening-webhooks/1",
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
    return urllib.request.Request(delivery.endpoint.url, data=body.encode(), headers=headers, method="POST")


def deliver(*, delivery_id: int) -> float | None:
    """Send one delivery if it is due; the seconds until its retry, or None when nothing more is to be done."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    code, error = None, ""
    try:
        with urllib.request.urlopen(signed_request(delivery), timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, str(exc.reason)[:200]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:200]
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_response_code, delivery.last_error = code, error
    retry = None
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at = Status.DELIVERED, now
    elif now - delivery.created_at >= timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS):
        delivery.status = Status.FAILED
    else:
        retry = backoff_seconds(delivery.attempts)
        delivery.next_attempt_at = now + timedelta(seconds=retry)
    delivery.save(
        update_fields=["attempts", "last_response_code", "last_error", "status", "delivered_at", "next_attempt_at"]
    )
    if delivery.status != Status.PENDING:
        logger.info("webhook %s to %s: %s after %s attempts", delivery.event_id, delivery.endpoint_id,
                    delivery.status, delivery.attempts)  # fmt: skip
    return retry


def due_delivery_ids(*, limit: int = 1000) -> list[int]:
    """Pending deliveries whose time has come and that no task is about to send (their message was lost, or
    the retry's countdown was cut short by a worker restart)."""
    cutoff = timezone.now() - timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER)
    return list(
        WebhookDelivery.objects.filter(Q(status=Status.PENDING) & Q(next_attempt_at__lte=cutoff))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )

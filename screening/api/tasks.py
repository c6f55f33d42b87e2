"""The API app's background work: webhook deliveries (their own queue, `webhooks`, so a slow receiver never
holds up scoring)."""

from celery import shared_task

from . import webhooks


@shared_task(name=webhooks.DELIVER_WEBHOOK)
def deliver_webhook(delivery_id: int) -> None:
    retry = webhooks.deliver(delivery_id=delivery_id)
    if retry is not None:  # the retry's own message; the sweep sends it again should this one be lost
        deliver_webhook.apply_async(args=[delivery_id], countdown=retry)


@shared_task(name="screening.api.tasks.sweep_webhooks")
def sweep_webhooks() -> None:
    for delivery_id in webhooks.due_delivery_ids():
        deliver_webhook.delay(delivery_id)

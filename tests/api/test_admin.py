"""Admins create API clients (the token shown once, only its hash kept) and see every webhook delivery."""

import hashlib
import re

import pytest
from django.contrib.messages import get_messages

from screening.api.models import ApiClient, WebhookDelivery, WebhookEndpoint
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


def test_a_new_client_shows_its_token_once_and_keeps_only_the_hash(admin):
    job = JobFactory()
    response = admin.post(
        "/admin/api/apiclient/add/",
        {"name": "飞书", "scopes": ["read", "decide"], "jobs": [job.pk], "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    token = re.search(r"kfp_[\w-]+", " ".join(str(m) for m in get_messages(response.wsgi_request)))[0]
    client = ApiClient.objects.get(name="飞书")
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.scopes == ["read", "decide"]
    assert list(client.user.hiring_jobs.all()) == [job]
    assert client.user.username == "api:飞书" and not client.user.has_usable_password()
    assert token in admin.get(response.url).content.decode()  # the page after saving shows it, once
    page = admin.get(f"/admin/api/apiclient/{client.pk}/change/").content.decode()
    assert token not in page and client.token_hash not in page
    assert admin.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_deliveries_are_listed_with_status_attempts_and_response_code(admin):
    endpoint = WebhookEndpoint.objects.create(name="moka", url="https://hooks.example.com/x",
                                              secret=WebhookEndpoint.new_secret())  # fmt: skip
    WebhookDelivery.objects.create(endpoint=endpoint, event_id="evt_1", event_type="application.created",
                                   payload={}, attempts=3, last_response_code=503)  # fmt: skip
    page = admin.get("/admin/api/webhookdelivery/").content.decode()
    assert "application.created" in page and "503" in page and "待发送" in page
    assert admin.get("/admin/api/webhookendpoint/add/").status_code == 200
    assert "whsec_" in admin.get("/admin/api/webhookendpoint/add/").content.decode()

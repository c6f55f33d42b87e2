"""Operational hardening (issue 11): upload size, health polling, login throttling, production settings, sessions."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


# -- 7. login throttling -----------------------------------------------------------------------------------
BEHIND_PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every client's request comes from the proxy's address


@pytest.mark.django_db
def test_failures_spread_over_usernames_lock_the_client_address_not_the_accounts(client, django_user_model, settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"  # the proxy sets it to the one client address
    django_user_model.objects.create_user("hr-real", password="right-password")
    login = reverse("login")
    attacker = {**BEHIND_PROXY, "HTTP_X_REAL_IP": "203.0.113.7"}
    for attempt in range(24):  # 4 each on 6 usernames
        client.post(login, {"username": f"guess-{attempt % 6}", "password": "wrong"}, **attacker)
    locked = client.post(login, {"username": "hr-real", "password": "right-password"}, **attacker)
    assert locked.status_code == 429
    colleague = Client().post(  # the same proxy, another client: the account is not locked for everyone
        login, {"username": "hr-real", "password": "right-password"}, **BEHIND_PROXY, HTTP_X_REAL_IP="198.51.100.4"
    )
    assert colleague.status_code == 302


@pytest.mark.django_db
def test_guessing_one_password_from_many_addresses_is_slowed_for_a_minute(client, django_user_model, settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    settings.LOGIN_USERNAME_RATE = "3/m"
    django_user_model.objects.create_user("hr-real", password="right-password")
    django_user_model.objects.create_user("hr-other", password="right-password")
    login = reverse("login")
    for n in range(3):  # each address stays far below its own lockout
        Client().post(
            login, {"username": "hr-real", "password": "wrong"}, **BEHIND_PROXY, HTTP_X_REAL_IP=f"203.0.113.{n}"
        )
    fresh = {**BEHIND_PROXY, "HTTP_X_REAL_IP": "198.51.100.9"}
    slowed = client.post(login, {"username": "hr-real", "password": "right-password"}, **fresh)
    assert slowed.status_code == 429
    assert "一分钟" in slowed.content.decode()
    from screening.auth import username_attempts

    assert (
        0 < username_attempts(slowed.wsgi_request, "hr-real", increment=False)["time_left"] <= 60
    )  # only for a minute
    other = Client().post(login, {"username": "hr-other", "password": "right-password"}, **fresh)
    assert other.status_code == 302  # neither the address nor other accounts are locked


# -- 8. production settings follow DEBUG=0, not the database --------------------------------------------
def test_debug_off_without_database_and_redis_refuses_to_start_instead_of_dropping_https():
    env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")}
    for leftover in ("PORTAL_EMBEDDED", "DJANGO_ALLOW_ASYNC_UNSAFE", "PRODUCTION", "DEBUG"):
        env.pop(leftover, None)
    env.update(
        DEBUG="0",
        SECRET_KEY="x8$Jq1-" + "k" * 60,
        ALLOWED_HOSTS="jobs.example.com",
        DJANGO_SETTINGS_MODULE="config.settings.base",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "no issues" not in result.stdout
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stdout[-2000:] + result.stderr[-2000:]
    assert "DATABASE_URL, REDIS_URL" in result.stderr

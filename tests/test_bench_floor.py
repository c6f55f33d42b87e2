"""The load bench's floor view (bench/floor.py) is reachable only under the bench's own settings, checks CSRF like
the apply form and stores one row."""

import ast
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[1]


def test_the_product_routes_no_floor():
    with pytest.raises(Resolver404):
        resolve("/bench-floor/jobs/any/apply/")


def test_no_product_module_imports_the_bench():
    for path in [*(ROOT / "config").rglob("*.py"), *(ROOT / "screening").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            assert not any(n == "bench" or n.startswith("bench.") for n in names), path


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.floor")
def test_the_floor_checks_csrf_and_inserts_one_row():
    from bench.floor import CREATE_TABLE, TABLE

    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    client = Client(enforce_csrf_checks=True)
    path = "/bench-floor/jobs/some-job/apply/"
    assert client.post(path, {"email": "a@example.com"}).status_code == 403
    token = client.get(path).content.decode().split('value="')[1].split('"')[0]
    response = client.post(path, {"csrfmiddlewaretoken": token, "email": "a@example.com", "skills": ["x", "y"]})
    assert response.status_code == 302
    assert response["Location"] == "/jobs/some-job/applied/"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT email, answers, resume_bytes FROM {TABLE}")
        [(email, answers, resume_bytes)] = cursor.fetchall()
    assert (email, json.loads(answers), resume_bytes) == (
        "a@example.com",
        {"email": ["a@example.com"], "skills": ["x", "y"]},
        0,
    )

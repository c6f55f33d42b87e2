"""The whole API against its own schema (Schemathesis, property-based): whatever a client sends that the schema
describes, or nearly describes, the answer is never a 500 and always matches the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import bearer


@pytest.fixture(autouse=True)
def _keep_the_connection(db):
    """The real WSGI application runs in this test's transaction: as Django's test client does, it must not close
    the connection when a request finishes."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


schema = _schema()
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_its_schema(case, two_teams, settings):
    settings.API_RATE = "100000/m"
    # half the cases about the client's own job and application, so the answers are not all 404s
    params = case.path_parameters or {}
    if "slug" in params and hash(str(case.body)) % 2:
        params["slug"] = "job-a"
    if "id" in params and hash(str(case.query)) % 2:
        params["id"] = two_teams["a"].pk
    headers = {"Authorization": bearer(two_teams["token"])["HTTP_AUTHORIZATION"]}
    # a WSGI server always gives the client's address (werkzeug's test client leaves it empty)
    case.call_and_validate(headers=headers, checks=CHECKS, environ_base={"REMOTE_ADDR": "127.0.0.1"})

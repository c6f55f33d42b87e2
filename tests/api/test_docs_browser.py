"""The API's docs page in Chromium: Swagger UI runs under the site's Content-Security-Policy (no violation) from
files this site serves, and lists the API's operations."""

import pytest

from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_swagger_ui_renders_the_operations_without_a_csp_violation(browser, live_server):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    problems, hosts = [], set()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".opblock-summary-path").first.wait_for(timeout=20000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/jobs/", "/api/v1/applications/{id}/decisions/"} <= {p.replace("\u200b", "") for p in paths}
    assert problems == []  # a blocked script or style would be reported here
    assert hosts == {live_server.url.split("/")[2]}  # nothing from any other host
    context.close()

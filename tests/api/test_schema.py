"""The schema at its stable URL is valid OpenAPI 3; its docs page works under the site's CSP, with files served
from here."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/jobs/", "/api/v1/jobs/{slug}/", "/api/v1/jobs/{slug}/applications/", "/api/v1/applications/{id}/",
        "/api/v1/applications/{id}/decisions/", "/api/v1/checklists/", "/api/v1/checklists/{slug}/",
    }  # fmt: skip
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "kfp_… token of an API client"
    }  # fmt: skip


def test_the_schema_generator_reports_no_warning():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS  # no warnings and no errors


def test_the_docs_page_needs_no_inline_script_and_no_cdn(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp + ";" and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    assert "<script>" not in html  # every script is a file
    assert "http://" not in html and "https://" not in html and 'src="//' not in html  # nothing from elsewhere
    for src in ("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js", "/api/v1/docs/?script="):
        assert f'src="{src}"' in html
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200

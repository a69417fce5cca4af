import re

import pytest

pytestmark = pytest.mark.django_db


def test_landing_page_says_what_the_product_is(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zoom Meeting API v2" in html
    assert 'href="/accounts/login/"' in html
    assert 'href="/docs/api/"' in html


def test_openapi_schema_is_served_as_json(client):
    response = client.get("/v2/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json") or "json" in response["Content-Type"]
    assert response.json()["openapi"].startswith("3.")


def test_swagger_ui_works_offline(client):
    response = client.get("/docs/api/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    external = [url for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)]
    assert external == [], f"the API docs page loads assets from the internet: {external}"

"""Browser clients on other origins may call /mind/ (bearer tokens, no cookies); not the rest."""


def test_preflight_on_mind(mind, conference):
    response = mind.client.options(
        mind.url(conference["id"]),
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert "authorization" in response["Access-Control-Allow-Headers"].lower()


def test_actual_request_carries_allow_origin(mind, conference):
    response = mind.get(conference["id"], HTTP_ORIGIN="https://app.example.com")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_no_cors_outside_mind(mind):
    response = mind.client.get("/healthz", HTTP_ORIGIN="https://app.example.com")
    assert "Access-Control-Allow-Origin" not in response

"""Hostile JSON bodies: too deep or too large is a 400 naming the limit."""

import pytest

from briefs.api.parsers import nesting_depth
from tests import factories
from tests.api.conftest import client_for

DEEP = 100_000


@pytest.fixture
def admin_api(db):
    return client_for(factories.UserFactory(username="boss", is_superuser=True))


@pytest.fixture
def endpoints(db):
    brief = factories.BriefFactory(slug="draft")
    factories.TopicFactory(slug="norland")
    return [
        ("post", "/api/v1/briefs/"),
        ("patch", f"/api/v1/briefs/{brief.slug}/"),
        ("post", f"/api/v1/briefs/{brief.slug}/notes/"),
        ("post", "/api/v1/topics/"),
        ("patch", "/api/v1/topics/norland/"),
        ("post", "/api/v1/sources/"),
        ("post", "/api/v1/votes/"),
        ("post", "/api/v1/webhooks/"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP],
    ids=["arrays", "objects"],
)
def test_a_body_nested_100000_deep_is_a_json_400_on_every_write(
    admin_api, endpoints, body
):
    for method, url in endpoints:
        response = getattr(admin_api, method)(
            url, body, content_type="application/json", HTTP_IF_MATCH="*"
        )

        assert response.status_code == 400, (url, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert "API_MAX_JSON_DEPTH" in response.json()["detail"], url


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_a_json_400(admin_api, settings):
    settings.API_MAX_JSON_BYTES = 100

    response = admin_api.post("/api/v1/topics/", {"name": "x" * 200}, format="json")

    assert response.status_code == 400
    assert "at most 100 bytes" in response.json()["detail"]


@pytest.mark.django_db
def test_a_body_within_the_limits_is_read(admin_api):
    response = admin_api.post(
        "/api/v1/topics/", {"name": "Harbours", "slug": "harbours"}, format="json"
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"1", 0),
        (b"[[1], {}]", 2),
        (b'{"a": "[[[[", "b": ["\\"]]]"]}', 2),
        (b'["\\\\", [[]]]', 3),
    ],
)
def test_nesting_depth_ignores_brackets_inside_strings(text, depth):
    assert nesting_depth(text) == depth

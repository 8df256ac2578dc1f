"""Faults: with the database down, quick 503s; with Redis down, pages as usual."""

import json
import logging

import pytest
from django.urls import reverse

from newsroom.cache import FailSoftRedisCache
from tests.factories import BriefFactory
from tests.test_settings import run_manage

# A port nothing listens on: connections are refused at once.
CLOSED_PORT_DATABASE = "postgres://postgres@127.0.0.1:1/newsroom"
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/10"

PROBE = """
import json, time
from django.test import Client
client = Client(raise_request_exception=False)
answers = {}
for path in ("/healthz", "/", "/briefs/some-brief/", "/api/v1/briefs/"):
    start = time.monotonic()
    response = client.get(path)
    answers[path] = {
        "status": response.status_code,
        "seconds": time.monotonic() - start,
        "retry_after": response.get("Retry-After"),
        "content_type": response["Content-Type"],
        "body": response.content.decode(),
    }
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def database_down():
    """Return what the site answers, in a fresh process, with no database."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        PROBE,
        SECRET_KEY="x",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=CLOSED_PORT_DATABASE,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_answers_503_within_two_seconds_without_a_database(database_down):
    answer = database_down["/healthz"]

    assert answer["status"] == 503
    assert answer["seconds"] < 2
    assert json.loads(answer["body"])["status"] == "unavailable"


@pytest.mark.parametrize("path", ["/", "/briefs/some-brief/"])
def test_pages_answer_a_friendly_503_without_a_database(database_down, path):
    answer = database_down[path]

    assert answer["status"] == 503
    assert answer["seconds"] < 2
    assert answer["retry_after"] == "30"
    assert answer["content_type"].startswith("text/html")
    assert "Back in a moment" in answer["body"]
    assert "Traceback" not in answer["body"]
    assert "OperationalError" not in answer["body"]


def test_api_answers_a_json_503_without_a_database(database_down):
    answer = database_down["/api/v1/briefs/"]

    assert answer["status"] == 503
    assert answer["seconds"] < 2
    assert answer["retry_after"] == "30"
    assert "unavailable" in json.loads(answer["body"])["detail"]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailSoftRedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.mark.django_db
def test_pages_and_api_are_served_from_the_database_without_redis(client, redis_down):
    brief = BriefFactory(published=True, title="Council renews the mission")
    paths = [
        reverse("briefs:brief-list"),
        brief.get_absolute_url(),
        "/api/v1/briefs/",
        f"/api/v1/briefs/{brief.slug}/",
    ]

    for path in paths * 2:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Council renews the mission" in response.text


@pytest.mark.django_db
def test_unreachable_redis_is_logged_not_raised(client, redis_down, caplog):
    FailSoftRedisCache._last_report = 0.0
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        client.get(reverse("briefs:brief-list"))

    assert [r.getMessage().split(";")[1] for r in caplog.records] == [
        " serving without it."
    ]


def test_unreachable_redis_behaves_as_an_empty_cache(redis_down):
    from django.core.cache import cache

    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.delete("key") is False
    assert cache.has_key("key") is False
    with pytest.raises(ValueError):
        cache.incr("key")

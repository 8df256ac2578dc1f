"""/healthz stays cheap; /healthz/ready tells which part is down."""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from briefs.rendering import render_stale_task
from tests.test_faults import CLOSED_PORT_DATABASE, CLOSED_PORT_REDIS
from tests.test_settings import run_manage

READY = "/healthz/ready"


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
def test_healthz_asks_the_database_only(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_ready_reports_every_part_ok(client):
    response = client.get(READY)

    report = response.json()
    assert response.status_code == 200
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "cache", "task_queue", "storage"}
    assert all(part["status"] == "ok" for part in report["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_ready_is_degraded_while_redis_is_unreachable(client, redis_down):
    response = client.get(READY)

    report = response.json()
    assert response.status_code == 200
    assert report["status"] == "degraded"
    assert report["checks"]["cache"]["status"] == "down"
    assert report["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_ready_gives_the_age_of_the_oldest_waiting_task(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        render_stale_task.enqueue()

    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        queue = client.get(READY).json()["checks"]["task_queue"]

    assert queue["backend"] == "django_tasks_db"
    assert queue["oldest_waiting_seconds"] == 90
    assert queue["status"] == "ok"


@pytest.mark.django_db
def test_a_task_waiting_too_long_makes_the_queue_degraded(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        render_stale_task.enqueue()

    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        report = client.get(READY).json()

    assert report["status"] == "degraded"
    assert report["checks"]["task_queue"]["status"] == "degraded"


def test_ready_answers_503_without_a_database():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "import json; from django.test import Client; "
        "r = Client().get('/healthz/ready'); "
        "print(json.dumps({'code': r.status_code, 'body': r.json()}))",
        SECRET_KEY="x",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=CLOSED_PORT_DATABASE,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])

    assert answer["code"] == 503
    assert answer["body"]["status"] == "down"
    assert answer["body"]["checks"]["database"]["status"] == "down"

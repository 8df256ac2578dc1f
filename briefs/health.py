"""What `/healthz/ready` reports: each part the site needs, and how it is.

The database is required: without it nothing answers, so the report is a 503.
The cache, the task queue and the media storage are optional: the site still
serves readers without them (the cache fails soft, tasks wait, pages show no
new images), so a part down makes the report "degraded", still a 200, for a
load balancer to keep the server and an operator to look.
"""

import datetime
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Min
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils import timezone

OK, DEGRADED, DOWN = "ok", "degraded", "down"
# The file whose presence the storage check asks about; it need not exist.
PROBE_NAME = "healthz-probe"


def _timed(check):
    started = time.monotonic()
    try:
        report = check()
    except Exception as error:
        # Whatever goes wrong, the part is down; the report says why.
        report = {"status": DOWN, "error": f"{type(error).__name__}: {error}"[:200]}
    report["ms"] = round((time.monotonic() - started) * 1000, 1)
    return report


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": DOWN, "error": str(error)[:200]}
    return {"status": OK}


def cache_check():
    """Write a value and read it back: the fail-soft Redis cache answers a
    miss, never an error, while Redis is down."""
    token = uuid.uuid4().hex
    key = f"healthz:{token}"
    cache.set(key, token, 10)
    found = cache.get(key)
    cache.delete(key)
    if found != token:
        return {"status": DOWN, "error": "The cache did not keep a value."}
    return {"status": OK}


def task_queue():
    """Report the backend and how long the oldest task due has waited."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    name = type(backend).__module__.split(".")[0]
    report = {"status": OK, "backend": name, "oldest_waiting_seconds": None}
    if name == "django_tasks_db":
        from django_tasks_db.models import DBTaskResult, get_date_max

        ready = DBTaskResult.objects.ready()
        now = timezone.now()
        moments = [
            ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))[
                "at"
            ],
            ready.exclude(run_after=get_date_max()).aggregate(at=Min("run_after"))[
                "at"
            ],
        ]
        moments = [moment for moment in moments if moment is not None]
        if moments:
            waited = (now - min(moments)).total_seconds()
            report["oldest_waiting_seconds"] = round(max(waited, 0), 1)
    elif name == "django_tasks_rq":
        import django_rq

        queue = django_rq.get_queue("default")
        job_ids = queue.get_job_ids(0, 0)
        if job_ids:
            job = queue.fetch_job(job_ids[0])
            if job is not None and job.enqueued_at is not None:
                at = job.enqueued_at.replace(tzinfo=datetime.UTC)
                report["oldest_waiting_seconds"] = round(
                    (timezone.now() - at).total_seconds(), 1
                )
    waited = report["oldest_waiting_seconds"]
    if waited is not None and waited > settings.HEALTH_TASK_MAX_WAIT:
        report["status"] = DEGRADED
        report["error"] = (
            f"The oldest task has waited over {settings.HEALTH_TASK_MAX_WAIT} s: "
            "is a worker running?"
        )
    return report


def storage():
    default_storage.exists(PROBE_NAME)
    return {"status": OK, "backend": type(default_storage).__name__}


REQUIRED = {"database": database}
OPTIONAL = {"cache": cache_check, "task_queue": task_queue, "storage": storage}


def readiness():
    """Return (HTTP status, report) for `/healthz/ready`."""
    parts = {name: _timed(check) for name, check in REQUIRED.items()}
    if parts["database"]["status"] == DOWN:
        # The queue's table lives in the database too: do not wait on it.
        optional = {k: v for k, v in OPTIONAL.items() if k != "task_queue"}
    else:
        optional = OPTIONAL
    parts |= {name: _timed(check) for name, check in optional.items()}
    if any(parts[name]["status"] != OK for name in REQUIRED):
        status, code = DOWN, 503
    elif any(part["status"] != OK for part in parts.values()):
        status, code = DEGRADED, 200
    else:
        status, code = OK, 200
    return code, {"status": status, "checks": parts}

#!/usr/bin/env python3
"""Soak the site: anonymous readers on 32 connections while an editor publishes
and unpublishes once a second; no error, and no brief shown to an anonymous
reader more than 1 s after its unpublish request returned.

    .venv/bin/python bench/soak.py                    # both set-ups, 60 s each
    .venv/bin/python bench/soak.py --setups redis --duration 20

Set-ups (`--setups`, comma-separated):

- `redis`: two gunicorn instances (2 sync workers each) as two nodes sharing
  PostgreSQL and Redis (`CACHE_URL`, `--redis`, default `BENCH_SOAK_REDIS` or
  `redis://127.0.0.1:6379/5`, under a key prefix of its own); readers and the
  editor's requests alternate between the nodes.
- `default`: one instance of 2 workers with the default cache (per process).

Each set-up gets its own PostgreSQL database (`perf_soak_<pid>`, 300 synthetic
briefs from `generate_briefs`), dropped at the end with the Redis keys of its
prefix; a background worker (`manage.py run_worker`) renders changed briefs, as
in production. Everything binds to 127.0.0.1 and is stopped on exit.

The editor toggles six published briefs through the API: every second one of
them is unpublished and another published again, so each stays down 3 s and
up 3 s. Readers request, in turn, the home page, the API list, the six briefs'
pages and API details, and one untouched brief. A read *shows* a toggled brief
if its page or API detail answers 200, or the home page or API list names it.

Failures (exit 1): an answer other than 200 (or 404 for a toggled brief), a
connection error, an editor request that fails, an error line in gunicorn's
output, or a read that shows a brief, sent more than 1 s (`--max-stale`) after
the brief's unpublish request returned and answered before its next publish
request was sent (a read answered later may rightly show it again). Prints, per
set-up: requests, errors, and the latest read of an unpublished brief after its
unpublish returned (ms), with the path, node and page cache verdict of any read
later than allowed.
"""

import argparse
import datetime
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    RESULTS,
    ROOT,
    VENV_BIN,
    app_env,
    free_port,
    load,
    manage,
    on_signal,
    psql,
    start_gunicorn,
    started,
    stop_all,
)

REDIS_URL = os.environ.get("BENCH_SOAK_REDIS", "redis://127.0.0.1:6379/5")
EDITOR = "soak-editor"
TOGGLED = 6
SERVER_ERROR = re.compile(r"Internal Server Error|Traceback|\[ERROR\]|\[CRITICAL\]")
TIMEOUT = 30  # seconds any one request may take


def log(message):
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr)


def request(port, method, path, token=None, payload=None):
    """Return (status, body, the page cache's verdict) of one request; raise
    OSError on a connection error."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    headers = {"Host": "127.0.0.1"}
    body = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if payload is not None:
        body = json.dumps(payload)
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        verdict = response.getheader("X-Page-Cache") or "no page cache"
        return response.status, response.read(), verdict
    finally:
        connection.close()


class Soak:
    def __init__(self, ports, slugs, steady, token, options):
        self.ports, self.slugs, self.steady = ports, slugs, steady
        self.token, self.options = token, options
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.hidden = 0  # reads of a toggled brief that found it unpublished
        self.errors = []
        # Per toggled brief: [(kind, moment)], kind "down" (unpublish returned)
        # or "up" (publish sent); and the reads that showed it:
        # [(sent at, answered at, what)].
        self.changes = {slug: [] for slug in slugs}
        self.shown = {slug: [] for slug in slugs}

    def error(self, text):
        with self.lock:
            self.errors.append(text)
        if len(self.errors) <= 20:
            log(f"error: {text}")

    # Readers ---------------------------------------------------------------

    def paths(self):
        yield "/", None
        yield "/api/v1/briefs/", None
        yield f"/briefs/{self.steady}/", None
        for slug in self.slugs:
            yield f"/briefs/{slug}/", slug
            yield f"/api/v1/briefs/{slug}/", slug

    def read(self, number):
        paths = list(self.paths())
        position = number
        while not self.stopping.is_set():
            position += 1
            path, slug = paths[position % len(paths)]
            port = self.ports[position % len(self.ports)]
            sent = time.monotonic()
            try:
                status, body, verdict = request(port, "GET", path)
            except OSError as failure:
                self.error(f"GET {path} on :{port}: {failure!r}")
                continue
            with self.lock:
                self.requests += 1
            if status == 404 and slug is not None:
                with self.lock:
                    self.hidden += 1
                continue
            if status != 200:
                self.error(f"GET {path} on :{port} answered {status}")
                continue
            shown = (
                [slug] if slug else [s for s in self.slugs if f"/{s}/".encode() in body]
            )
            done = time.monotonic()
            where = f"{path} on :{port} ({verdict})"
            with self.lock:
                for name in shown:
                    self.shown[name].append((sent, done, where))

    # Editor ----------------------------------------------------------------

    def change(self, slug, action, tick):
        port = self.ports[tick % len(self.ports)]
        path = f"/api/v1/briefs/{slug}/{action}/"
        if action == "publish":
            with self.lock:
                self.changes[slug].append(("up", time.monotonic()))
        try:
            status, body, _ = request(port, "POST", path, self.token, {})
        except OSError as failure:
            self.error(f"POST {path} on :{port}: {failure!r}")
            return
        if action == "unpublish":
            with self.lock:
                self.changes[slug].append(("down", time.monotonic()))
        if status != 200:
            self.error(f"POST {path} on :{port} answered {status}: {body[:200]!r}")

    def edit(self):
        """Each second unpublish one toggled brief and publish another.

        The two requests of a second run side by side and do not hold up the
        next second's; a brief's own changes keep their order (3 s apart).
        """
        tick, next_at = 0, time.monotonic()
        half = TOGGLED // 2
        locks = {slug: threading.Lock() for slug in self.slugs}
        running = []
        while not self.stopping.is_set():
            for slug, action in (
                (self.slugs[tick % TOGGLED], "unpublish"),
                (self.slugs[(tick + half) % TOGGLED], "publish"),
            ):
                thread = threading.Thread(
                    target=self.locked_change, args=(locks[slug], slug, action, tick)
                )
                thread.start()
                running.append(thread)
                tick += 1 if action == "publish" else 0
            next_at += 1.0
            self.stopping.wait(max(0.0, next_at - time.monotonic()))
        for thread in running:
            thread.join(TIMEOUT + 5)

    def locked_change(self, lock, slug, action, tick):
        with lock:
            self.change(slug, action, tick + (action == "publish"))

    def run(self, duration):
        threads = [
            threading.Thread(target=self.read, args=(n,), daemon=True)
            for n in range(self.options.connections)
        ]
        threads.append(threading.Thread(target=self.edit, daemon=True))
        for thread in threads:
            thread.start()
        self.stopping.wait(duration)
        self.stopping.set()
        for thread in threads:
            thread.join(TIMEOUT + 5)

    # Verdict ---------------------------------------------------------------

    def latest_stale_ms(self):
        """Return the latest read (ms after its unpublish returned) that showed
        an unpublished brief, and the reads later than --max-stale."""
        latest, late = 0.0, []
        for slug, changes in self.changes.items():
            changes = sorted(changes, key=lambda change: change[1])
            for index, (kind, down_at) in enumerate(changes):
                if kind != "down":
                    continue
                up_at = next(
                    (at for k, at in changes[index + 1 :] if k == "up"), float("inf")
                )
                # Sent after the unpublish returned, and answered before the
                # brief's next publish was sent: a read of an unpublished brief.
                for sent, done, where in self.shown[slug]:
                    if down_at < sent and done < up_at:
                        latest = max(latest, (sent - down_at) * 1000)
                        if sent - down_at > self.options.max_stale:
                            late.append(f"{(sent - down_at) * 1000:.0f} ms: {where}")
        return latest, late


def error_lines(output):
    """Return the lines of gunicorn's or the worker's output that report an error."""
    return [line for line in output.splitlines() if SERVER_ERROR.search(line)]


def prepare(database, env, prefix):
    """Load the database; return (token, six toggled slugs, a steady slug)."""
    load(database, 300, env, name="soak")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "render_briefs", "--stale", "-v0")
    code = (
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        f"user, _ = User.objects.get_or_create(username={EDITOR!r})\n"
        "user.groups.add(Group.objects.get(name='Editors'))\n"
        "print(Token.objects.get_or_create(user=user)[0].key)\n"
    )
    token = manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1]
    slugs = psql(
        database,
        "SELECT slug FROM briefs_brief WHERE status = 'published' AND "
        f"published_at <= now() ORDER BY published_at DESC LIMIT {TOGGLED + 1}",
    ).split()
    return token, slugs[1:], slugs[0]


def run_setup(setup, options):
    database = f"perf_soak_{os.getpid()}"
    prefix = f"soak-{uuid.uuid4().hex[:8]}"
    cache = options.redis if setup == "redis" else None
    env = app_env(database, cache or "")
    if cache is None:
        env.pop("CACHE_URL")  # the default: a cache in each process
    env["CACHE_KEY_PREFIX"] = prefix
    server_log = tempfile.TemporaryFile(mode="w+")
    try:
        token, slugs, steady = prepare(database, env, prefix)
        worker = subprocess.Popen(
            [VENV_BIN / "python", "manage.py", "run_worker"], cwd=ROOT, env=env,
            start_new_session=True, stdout=server_log, stderr=server_log,
        )  # fmt: skip
        started.append(worker)
        ports = []
        for _ in range(2 if setup == "redis" else 1):
            port = free_port()
            start_gunicorn(env, port, log_file=server_log)
            ports.append(port)
        soak = Soak(ports, slugs, steady, token, options)
        # Half of the toggled briefs start unpublished (see `Soak.edit`).
        for slug in slugs[TOGGLED // 2 :]:
            soak.change(slug, "unpublish", 0)
        soak.changes = {slug: [] for slug in slugs}
        log(f"{setup}: {len(ports)} instance(s) on {ports}, {options.duration} s")
        soak.run(options.duration)
        stop_all()
        server_log.seek(0)
        log_errors = error_lines(server_log.read())
        latest, late = soak.latest_stale_ms()
        return {
            "setup": setup,
            "requests": soak.requests,
            "errors": len(soak.errors) + len(log_errors),
            "log_errors": log_errors[:20],
            "latest_stale_ms": latest,
            "late_reads": late,
            "changes": sum(len(c) for c in soak.changes.values()),
            "hidden": soak.hidden,
        }
    finally:
        stop_all()
        server_log.close()
        psql("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if cache:
            client = redis.Redis.from_url(cache)
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--setups", default="redis,default")
    parser.add_argument("--duration", type=int, default=60, help="Seconds (60).")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--max-stale", type=float, default=1.0, help="Seconds.")
    parser.add_argument("--redis", default=REDIS_URL)
    options = parser.parse_args(argv)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    results = [run_setup(setup, options) for setup in options.setups.split(",")]
    lines = [
        f"# Soak, {datetime.date.today().isoformat()}",
        "",
        f"{options.duration} s per set-up, readers on {options.connections} "
        "connections, an editor unpublishing and publishing once a second.",
        "",
        "| Set-up | Requests | Errors | Editor changes | 404s of toggled briefs "
        "| Latest read of an unpublished brief | Later than allowed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['setup']} | {r['requests']:,} | {r['errors']} | {r['changes']} | "
            f"{r['hidden']:,} | {r['latest_stale_ms']:.0f} ms | "
            f"{len(r['late_reads'])} |"
        )
        lines += [f"    late: {line}" for line in r["late_reads"][:20]]
        lines += [f"    {line}" for line in r["log_errors"]]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{datetime.date.today().isoformat()}-soak.md").write_text(text)
    failed = any(r["errors"] or r["late_reads"] for r in results)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

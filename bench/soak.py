#!/usr/bin/env python3
"""Soak the site under gunicorn: mixed reads at 32 connections while an editor
publishes a brief every second, on PostgreSQL with the Redis page cache.

    .venv/bin/python bench/soak.py                 # 60 s, about 2 minutes in all

Passes (exit 0) only with no socket error, no answer outside 2xx/3xx, no failed
write, no server error in gunicorn's log, no worker restarted and no worker
grown by more than --max-growth-mb. Writes a Markdown summary to
bench/results/<date>-soak.md. See bench/README.md.
"""

import argparse
import collections
import concurrent.futures
import datetime
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import redis

# Run as a script, only bench/ is on the path; the shared module goes by bench.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    RESULTS,
    ROOT,
    app_env,
    fetch,
    free_port,
    load,
    manage,
    on_signal,
    parse_wrk,
    psql,
    socket_errors,
    start_gunicorn,
    stop_all,
    worker_cpu_seconds,
    worker_rss_kb,
)

NAME = "soak"
REDIS_URL = os.environ.get("BENCH_SOAK_REDIS", "redis://127.0.0.1:6379/5")
DATABASE = "perf_soak"
EDITOR = "soak-editor"
SEARCH_WORD = "ceasefire"
REQUEST_TIMEOUT = 30  # seconds the writer waits for one answer
MEMORY_EVERY = 10  # seconds between two readings of the workers' memory

# How server-side failures show in gunicorn's output (Django at LOG_LEVEL=ERROR,
# gunicorn at warning): "Internal Server Error: /path", gunicorn's [ERROR] and
# [CRITICAL] lines (a worker killed for a timeout), tracebacks.
SERVER_ERROR = re.compile(r"Internal Server Error|Traceback|\[ERROR\]|\[CRITICAL\]")


def log(message):
    print(f"[{NAME} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr)


# The wrk script -----------------------------------------------------------------

# Each wrk thread walks the list of paths from its own starting point and counts
# the status of every answer and the page cache's verdict (X-Page-Cache: hit or
# miss; none for the API); `done` prints the totals after wrk's own summary.
LUA_TEMPLATE = """\
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  thread:set("position", #threads * %(stride)d)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  cache = {}
end

function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local verdict = headers["X-Page-Cache"] or "none"
  cache[verdict] = (cache[verdict] or 0) + 1
end

function done(summary, latency, requests)
  local total, verdicts = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
    for verdict, count in pairs(thread:get("cache")) do
      verdicts[verdict] = (verdicts[verdict] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %%d: %%d\\n", status, count))
  end
  for verdict, count in pairs(verdicts) do
    io.write(string.format("page cache %%s: %%d\\n", verdict, count))
  end
end
"""


def lua_script(paths, threads):
    """Return a wrk script that requests `paths` in turn and counts statuses."""
    # A JSON string of printable ASCII is also a valid Lua string literal.
    quoted = ", ".join(json.dumps(path, ensure_ascii=True) for path in paths)
    return LUA_TEMPLATE % {"paths": quoted, "stride": max(1, len(paths) // threads)}


def parse_soak_wrk(output):
    """Return what a soak run of wrk measured, from its output and the script's."""
    result = parse_wrk(output)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+),", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    statuses = {
        int(code): int(count)
        for code, count in re.findall(r"^status (\d+): (\d+)$", output, re.M)
    }
    cache = dict(re.findall(r"^page cache (\w+): (\d+)$", output, re.M))
    return result | {
        "requests": int(total.group(1)),
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": socket_errors(output),
        "statuses": dict(sorted(statuses.items())),
        "page_cache": {name: int(cache.get(name, 0)) for name in ("hit", "miss")},
    }


# The writer ---------------------------------------------------------------------


def brief_payload(number, run, topic):
    """Return the API payload of the `number`th brief the writer publishes.

    Every brief of a run has the same title, as a newsroom's daily round-ups
    do, so that writes in flight at once compete for the same slug.
    """
    return {
        "title": f"Council extends the mission (soak run {run})",
        "summary": "The council extended the mission for another year after a "
        "short debate about its budget and its mandate.",
        "topics": [topic],
        "sections": [
            {
                "heading": "The decision",
                "bullets": [
                    {"text": f"The mission now runs until next year (brief {number})."},
                    {"text": "Its budget stays as it was."},
                ],
            },
            {
                "heading": "What comes next",
                "bullets": [{"text": "The council reviews the mandate in six months."}],
            },
        ],
    }


def tally(records, since=0.0):
    """Return the writes that started at `since` or later, counted.

    Each record is a dict: `at` (monotonic time it was due), `done` (False if
    it never started: the run ended first), `statuses` ("create 201", ...),
    `failure` (None or why), `seconds` (create + publish, or None).
    """
    chosen = [record for record in records if record["at"] >= since]
    finished = [record for record in chosen if record["done"]]
    statuses = collections.Counter(s for r in finished for s in r["statuses"])
    return {
        "ok": sum(1 for r in finished if r["failure"] is None),
        "failures": [r["failure"] for r in finished if r["failure"] is not None],
        "not_started": len(chosen) - len(finished),
        "statuses": dict(sorted(statuses.items())),
        "seconds": [r["seconds"] for r in finished if r["seconds"] is not None],
    }


class Writer(threading.Thread):
    """Start a write through the API every `interval` seconds until stopped.

    A write is a POST of a draft with its sections, a POST of publish/, then
    two anonymous reads: the brief's page, and the home page, which must list
    it at once (publishing retires the page cache). Writes run in a small pool
    so that the pace holds when one takes longer than the interval: then
    several are in flight at once, like several editors.
    """

    def __init__(self, base, token, topic, interval, run):
        super().__init__(daemon=True)
        self.base, self.token, self.topic = base, token, topic
        self.interval, self.run_id = interval, run
        self.stopping = threading.Event()
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=8)
        self.records = []  # one a write, filled in by the pool's threads

    def call(self, method, path, payload=None, auth=True):
        request = urllib.request.Request(self.base + path, method=method)
        if payload is not None:
            request.data = json.dumps(payload).encode()
            request.add_header("Content-Type", "application/json")
        if auth:
            request.add_header("Authorization", f"Token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def write_one(self, number, record):
        """Write, publish and read back one brief; return why it failed, or None."""
        started = time.monotonic()
        payload = brief_payload(number, self.run_id, self.topic)
        status, body = self.call("POST", "/api/v1/briefs/", payload)
        record["statuses"].append(f"create {status}")
        if status != 201:
            return f"create answered {status}: {body[:300]!r}"
        slug = json.loads(body)["slug"]
        status, body = self.call("POST", f"/api/v1/briefs/{slug}/publish/", {})
        record["statuses"].append(f"publish {status}")
        if status != 200:
            return f"publish of {slug} answered {status}: {body[:300]!r}"
        record["seconds"] = time.monotonic() - started
        status, _ = self.call("GET", f"/briefs/{slug}/", auth=False)
        record["statuses"].append(f"page {status}")
        if status != 200:
            return f"the page of {slug} answered {status} once published"
        status, body = self.call("GET", "/", auth=False)
        record["statuses"].append(f"home {status}")
        if status != 200 or f'href="/briefs/{slug}/"'.encode() not in body:
            return f"the home page ({status}) did not list {slug} once published"
        return None

    def timed_write(self, number, record):
        try:
            record["failure"] = self.write_one(number, record)
        except Exception as error:  # whatever it is, it is a failed write
            record["failure"] = f"{type(error).__name__}: {error}"
        if record["failure"]:
            log(f"write {number} failed: {record['failure']}")
        record["done"] = True

    def run(self):
        number, next_at = 0, time.monotonic()
        while not self.stopping.is_set():
            number += 1
            record = {
                "at": time.monotonic(),
                "done": False,
                "statuses": [],
                "failure": None,
                "seconds": None,
            }
            self.records.append(record)
            self.pool.submit(self.timed_write, number, record)
            next_at += self.interval
            self.stopping.wait(max(0.0, next_at - time.monotonic()))

    def stop(self):
        """Stop starting writes and wait for those in flight (each is bounded)."""
        self.stopping.set()
        self.join(timeout=self.interval + 5)
        self.pool.shutdown(wait=True, cancel_futures=True)


# Memory -------------------------------------------------------------------------


class MemoryWatch(threading.Thread):
    """Read every worker's resident memory every `every` seconds."""

    def __init__(self, master, every):
        super().__init__(daemon=True)
        self.master, self.every = master, every
        self.samples = []  # (seconds since start, {pid: kB})
        self.stopping = threading.Event()

    def run(self):
        start = time.monotonic()
        while not self.stopping.wait(self.every):
            self.samples.append((time.monotonic() - start, worker_rss_kb(self.master)))

    def stop(self):
        self.stopping.set()
        self.join(timeout=self.every + 5)


def memory_rows(start, end):
    """Return one row per worker: pid, start and end RSS (MB) and the growth.

    A worker present at only one end (it was restarted) has None at the other.
    """
    rows = []
    for pid in sorted(start.keys() | end.keys()):
        before, after = start.get(pid), end.get(pid)
        growth = after - before if before is not None and after is not None else None
        rows.append(
            {
                "pid": pid,
                "start": before / 1024 if before is not None else None,
                "end": after / 1024 if after is not None else None,
                "growth": growth / 1024 if growth is not None else None,
            }
        )
    return rows


def cpu_used(start, end):
    """Return the CPU seconds the workers present at both readings used between."""
    return sum(end[pid] - used for pid, used in start.items() if pid in end)


# Verdict ------------------------------------------------------------------------


def problems(wrk, writes_failed, memory, server_errors, max_growth_mb):
    """Return why the soak failed, one reason a line; empty if it passed."""
    found = []
    errors = {kind: n for kind, n in wrk["socket_errors"].items() if n}
    if errors:
        found.append(
            "socket errors: " + ", ".join(f"{kind} {n}" for kind, n in errors.items())
        )
    if wrk["non_2xx_3xx"]:
        found.append(f"{wrk['non_2xx_3xx']} answers outside 2xx/3xx")
    if writes_failed:
        found.append(f"{writes_failed} failed writes")
    if server_errors:
        found.append(f"{server_errors} error lines in gunicorn's log")
    for row in memory:
        if row["growth"] is None:
            found.append(f"worker {row['pid']} did not last the whole run")
        elif row["growth"] > max_growth_mb:
            found.append(
                f"worker {row['pid']} grew by {row['growth']:.1f} MB "
                f"(bound {max_growth_mb} MB)"
            )
    return found


def mb(value):
    return "gone" if value is None else f"{value:.1f} MB"


def summary(result):
    """Return the Markdown report of a soak run."""
    wrk, options, writer = result["wrk"], result["options"], result["writer"]
    errors = wrk["socket_errors"]
    statuses = ", ".join(f"{code}: {n:,}" for code, n in wrk["statuses"].items())
    write_statuses = ", ".join(
        f"{what} ×{n}" for what, n in sorted(writer["statuses"].items())
    )
    seconds = writer["seconds"]
    write_times = (
        f"{statistics.median(seconds) * 1000:.0f} ms / {max(seconds) * 1000:.0f} ms"
        if seconds
        else "n/a"
    )
    cache = wrk["page_cache"]
    served = wrk["requests"] + sum(writer["statuses"].values())
    cpu = result["cpu_seconds"]
    verdict = result["problems"]
    lines = [
        f"# Soak test, {result['date']}",
        "",
        f"Commit {result['commit']}; {os.cpu_count()} CPUs; gunicorn 2 sync workers, "
        f"DEBUG off; PostgreSQL (`{options.database}`, {result['briefs']:,} briefs "
        f"at the start); Redis page cache; `wrk -t{options.threads} "
        f"-c{options.connections} -d{options.duration}s --timeout "
        f"{options.timeout}s` over {len(result['paths'])} paths in turn, after a "
        f"{options.warmup} s warm-up; an editor publishing a brief every "
        f"{options.interval:g} s through the API.",
        "",
        "| | |",
        "|---|---:|",
        f"| Requests | {wrk['requests']:,} |",
        f"| Requests/s | {wrk['rps']:,.1f} |",
        f"| p50 | {wrk['p50']:.1f} ms |",
        f"| p99 | {wrk['p99']:.1f} ms |",
        f"| Socket errors (connect / read / write / timeout) | {errors['connect']} / "
        f"{errors['read']} / {errors['write']} / {errors['timeout']} |",
        f"| Answers outside 2xx/3xx | {wrk['non_2xx_3xx']} |",
        f"| Statuses | {statuses} |",
        f"| Page cache (pages only, not the API) | {cache['hit']:,} hits, "
        f"{cache['miss']:,} misses |",
        f"| Writes (create, publish, then read back) | {writer['ok']} ok, "
        f"{len(writer['failures'])} failed, {writer['not_started']} not started "
        "when the run ended |",
        f"| Write answers | {write_statuses} |",
        f"| Create + publish time, median / max | {write_times} |",
        f"| Error lines in gunicorn's log | {result['server_errors']} |",
        f"| Workers' CPU time (user + system) | {cpu:.1f} s, "
        f"{cpu * 1000 / max(served, 1):.1f} ms a request (reads and writes) |",
        "",
        "Worker memory (VmRSS), after the warm-up and at the end; a worker may "
        f"grow by {options.max_growth_mb} MB at most:",
        "",
        "| Worker (pid) | Start | End | Growth |",
        "|---|---:|---:|---:|",
    ]
    for row in result["memory"]:
        growth = "n/a" if row["growth"] is None else f"{row['growth']:+.1f} MB"
        lines.append(
            f"| {row['pid']} | {mb(row['start'])} | {mb(row['end'])} | {growth} |"
        )
    if result["samples"]:
        lines += ["", "Every worker's memory during the run (MB):", ""]
        for elapsed, sizes in result["samples"]:
            figures = ", ".join(f"{kb / 1024:.1f}" for _, kb in sorted(sizes.items()))
            lines.append(f"- {elapsed:.0f} s: {figures}")
    lines += [
        "",
        "**Result: " + ("fail** — " + "; ".join(verdict) if verdict else "pass**"),
        "",
        "Paths: " + ", ".join(f"`{path}`" for path in result["paths"]),
        "",
    ]
    if writer["failures"]:
        lines += ["Failed writes:", ""]
        lines += [f"- {failure}" for failure in writer["failures"][:20]]
        lines.append("")
    return "\n".join(lines)


# Setup --------------------------------------------------------------------------


def pick_paths(database):
    """Return the paths the readers request, chosen in the database."""
    published = "status = 'published' AND published_at <= now()"
    newest = psql(
        database,
        f"SELECT slug FROM briefs_brief WHERE {published} "
        "ORDER BY published_at DESC, id DESC LIMIT 3",
    ).split()
    # Older briefs too, spread over the list, so that pages are not all hot.
    older = psql(
        database,
        f"SELECT slug FROM briefs_brief WHERE {published} ORDER BY md5(slug) LIMIT 3",
    ).split()
    topic = psql(
        database,
        "SELECT t.slug FROM briefs_topic t JOIN briefs_brief_topics bt "
        "ON bt.topic_id = t.id GROUP BY t.slug ORDER BY count(*) DESC LIMIT 1",
    )
    briefs = [f"/briefs/{slug}/" for slug in newest + older]
    details = [f"/api/v1/briefs/{slug}/" for slug in (newest[0], older[0], older[1])]
    paths = [
        "/",
        briefs[0],
        "/api/v1/briefs/",
        f"/topics/{topic}/",
        details[0],
        briefs[1],
        f"/search/?q={SEARCH_WORD}",
        briefs[2],
        "/feeds/rss/",
        details[1],
        briefs[3],
        "/feeds/atom/",
        briefs[4],
        f"/api/v1/briefs/?topic={topic}",
        details[2],
        briefs[5],
    ]
    return paths, topic


def editor_token(env):
    """Return the API token of an editor made for the soak (made once)."""
    code = (
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        f"user, _ = User.objects.get_or_create(username={EDITOR!r})\n"
        "user.groups.add(Group.objects.get(name='Editors'))\n"
        "print(Token.objects.get_or_create(user=user)[0].key)\n"
    )
    return manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1]


def error_lines(server_log):
    """Return the lines of gunicorn's output that report a server error."""
    return [line for line in server_log.splitlines() if SERVER_ERROR.search(line)]


def run_wrk(base, script, options, duration):
    result = subprocess.run(
        ["wrk", f"-t{options.threads}", f"-c{options.connections}",
         f"-d{duration}s", f"--timeout={options.timeout}s", "--latency", "-s",
         script, base],
        check=True, capture_output=True, text=True, timeout=duration + 60,
    )  # fmt: skip
    return parse_soak_wrk(result.stdout)


# Main ---------------------------------------------------------------------------


def soak(options, port):
    env = app_env(options.database, options.redis)
    if options.skip_load:
        manage(env, "migrate", "--noinput", "-v0")
    else:
        load(options.database, options.count, env, name=NAME)
    paths, topic = pick_paths(options.database)
    token = editor_token(env)
    briefs = int(psql(options.database, "SELECT count(*) FROM briefs_brief"))
    redis.Redis.from_url(options.redis).flushdb()

    log_file = tempfile.NamedTemporaryFile(
        "w+", prefix="soak-gunicorn-", suffix=".log", delete=False
    )
    log(f"starting gunicorn on port {port} (log {log_file.name})")
    master = start_gunicorn(env, port, log_file=log_file)
    base = f"http://127.0.0.1:{port}"
    for path in paths:
        status, _ = fetch(base + path)
        if status != 200:
            raise SystemExit(f"{path} answered {status} before the soak started")

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(paths, options.threads))
    writer = Writer(base, token, topic, options.interval, run=int(time.time()))
    writer.start()
    try:
        log(f"warming up for {options.warmup} s")
        warm = run_wrk(base, script.name, options, options.warmup)
        soak_started = time.monotonic()
        start_rss = worker_rss_kb(master)
        start_cpu = worker_cpu_seconds(master)
        watch = MemoryWatch(master, MEMORY_EVERY)
        watch.start()
        log(f"soaking for {options.duration} s")
        wrk = run_wrk(base, script.name, options, options.duration)
        end_rss = worker_rss_kb(master)
        end_cpu = worker_cpu_seconds(master)
        watch.stop()
    finally:
        writer.stop()
        os.unlink(script.name)
    stop_all()

    log_file.seek(0)
    server_log = log_file.read()
    log_file.close()
    server_errors = len(error_lines(server_log))
    if server_errors:
        log("gunicorn's log:\n" + server_log[-4000:])
    else:
        os.unlink(log_file.name)
    memory = memory_rows(start_rss, end_rss)
    writer_result = tally(writer.records, since=soak_started)
    warm_failures = len(tally(writer.records)["failures"]) - len(
        writer_result["failures"]
    )
    found = problems(
        wrk,
        len(writer_result["failures"]) + warm_failures,
        memory,
        server_errors,
        options.max_growth_mb,
    )
    warm_bad = warm["non_2xx_3xx"] + sum(warm["socket_errors"].values())
    if warm_bad:
        found.append(f"{warm_bad} failed requests during the warm-up")
    return {
        "date": datetime.date.today().isoformat(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip(),  # fmt: skip
        "options": options,
        "briefs": briefs,
        "paths": paths,
        "wrk": wrk,
        "writer": writer_result,
        "memory": memory,
        "samples": watch.samples,
        "cpu_seconds": cpu_used(start_cpu, end_cpu),
        "server_errors": server_errors,
        "problems": found,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="Seconds (60).")
    parser.add_argument(
        "--warmup", type=int, default=10, help="Seconds before the soak (10)."
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--timeout",
        type=int,
        default=10,
        help="Seconds after which wrk counts a request as failed (10).",
    )
    parser.add_argument(
        "--interval", type=float, default=1.0, help="Seconds between writes (1)."
    )
    parser.add_argument("--count", type=int, default=3000, help="Briefs to load.")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument(
        "--redis",
        default=REDIS_URL,
        help="Redis database of the page cache; flushed first (BENCH_SOAK_REDIS).",
    )
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="Reuse the database of an earlier run.",
    )
    parser.add_argument(
        "--max-growth-mb",
        type=float,
        default=20,
        help="Fail if a worker's memory grows by more than this (20 MB).",
    )
    options = parser.parse_args(argv)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        manage(app_env("unused", "dummycache://"), "collectstatic", "--noinput", "-v0")
        result = soak(options, free_port())
    finally:
        stop_all()
    text = summary(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result['date']}-soak.md"
    path.write_text(text)
    print(text)
    log(f"wrote {path.relative_to(ROOT)}")
    if result["problems"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

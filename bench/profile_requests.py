#!/usr/bin/env python3
"""Measure the CPU time each bench target costs, in process, as a share of the floor.

    .venv/bin/python bench/profile_requests.py --database perf_bench_n1000
    .venv/bin/python bench/profile_requests.py --database perf_bench_n1000 \\
        --modes cold --targets brief --profile 25

Wall-clock figures (bench/run.py) move with whatever else the machine runs;
the CPU time of one process (`time.process_time`) hardly does. This script
calls Django's WSGI handler directly, as gunicorn would, with the settings the
bench uses (`bench.settings`, DEBUG off, throttles off), `--requests` times per
target after a warm-up, in 5 rounds, and prints the CPU milliseconds of the
fastest round, the SQL queries per request and each target's share of the
floor (floor CPU / target CPU: the figure that `× floor` in bench/run.py
approaches when gunicorn's, wrk's and PostgreSQL's shares are left aside).

Modes, as in bench/run.py: `cold` runs with no cache (`dummycache://`): pages
come from the stored renderings; `warm` with Redis (`--redis`, default
`BENCH_REDIS` or `redis://127.0.0.1:6379/4`, under a key prefix of its own,
removed afterwards). Each mode runs in a child process, since the cache is
chosen when Django starts.

The database is one that bench/run.py loaded (`perf_bench_n<N>`), or any made
with `migrate` and `manage.py generate_briefs --count N` followed by
`collectstatic` and `VACUUM ANALYZE`. `--profile K` prints cProfile's K most
expensive functions (cumulative time) for each target.
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import app_env  # noqa: E402

TARGETS = ("floor", "brief", "home", "api-detail", "api-list")
ROUNDS = 5
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/4")


def environ_for(path):
    """Return a WSGI environ for an anonymous GET of `path`, as gunicorn makes it."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "profile_requests",
        "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def pick_paths():
    """Return the path of each target: the bench's brief, or the newest one."""
    from django.db import connection

    from bench.run import pick_paths as bench_paths

    paths, _ = bench_paths(connection.settings_dict["NAME"], 0)
    return {target: paths[target] for target in TARGETS}


def measure(options):
    """Run in the child process of one mode: print one line per target."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection, reset_queries

    handler = WSGIHandler()
    paths = pick_paths()
    results = {}

    def get(path):
        status = []
        body = handler(environ_for(path), lambda s, h, e=None: status.append(s))
        content = b"".join(body)
        body.close()
        return status[0], content

    for target in options.targets:
        path = paths[target]
        status, _ = get(path)
        if not status.startswith("200"):
            print(f"{target:11} {path}: {status}")
            continue
        for _ in range(options.warmup):
            get(path)
        connection.force_debug_cursor = True
        reset_queries()
        get(path)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        # The least of several rounds: other load only ever adds time.
        rounds = []
        for _ in range(ROUNDS):
            started = time.process_time()
            for _ in range(options.requests // ROUNDS):
                get(path)
            rounds.append(time.process_time() - started)
        cpu_ms = min(rounds) * 1000 / (options.requests // ROUNDS)
        results[target] = cpu_ms
        if options.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(options.requests):
                get(path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(options.sort)
            stats.print_stats(options.profile)
            print(f"--- {target} {path}\n{out.getvalue()}")
        ratio = results["floor"] / cpu_ms if "floor" in results else float("nan")
        print(
            f"{options.mode:5} {target:11} {cpu_ms:7.3f} ms CPU  {queries:2d} queries"
            f"  x floor {ratio:.2f}  {path}",
            flush=True,
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="perf_bench_n1000")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--modes", default="cold,warm", help="cold, warm or both.")
    parser.add_argument(
        "--targets",
        type=lambda text: ["floor", *(t for t in text.split(",") if t != "floor")],
        default=list(TARGETS),
        help=f"Comma-separated subset of {','.join(TARGETS)} (floor always runs).",
    )
    parser.add_argument("--profile", type=int, default=0, metavar="K")
    parser.add_argument("--sort", default="cumulative", help="cProfile order.")
    parser.add_argument("--redis", default=REDIS_URL)
    parser.add_argument("--mode", help=argparse.SUPPRESS)  # the child's mode
    options = parser.parse_args(argv)
    if options.mode:
        return measure(options)
    prefix = f"profile-{uuid.uuid4().hex[:8]}"
    for mode in options.modes.split(","):
        cache = "dummycache://" if mode == "cold" else options.redis
        env = app_env(options.database, cache) | {"CACHE_KEY_PREFIX": prefix}
        args = [sys.executable, __file__, *(argv or sys.argv[1:]), "--mode", mode]
        subprocess.run(args, env=env, check=True, timeout=1800)
    if "warm" in options.modes:
        import redis

        client = redis.Redis.from_url(options.redis)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    return None


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark the site and the API under gunicorn with wrk, on PostgreSQL.

    .venv/bin/python bench/run.py --count 1000 --count 100000

For each count: load that many synthetic briefs into a bench database, start
gunicorn (2 sync workers, DEBUG off) with the cache off (cold) and then with
Redis (warm), measure every target with wrk, and write a Markdown table to
bench/results/. See bench/README.md.
"""

import argparse
import base64
import datetime
import json
import os
import signal
import statistics
import subprocess
import sys
import urllib.parse
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
    log,
    manage,
    on_signal,
    psql,
    run_wrk,
    start_gunicorn,
    stop_all,
    worker_rss_mb,
)

REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/4")
# Databases are named <prefix>_n<N>; another prefix keeps parallel runs apart.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "perf_bench")
SEARCH_WORD = "ceasefire"
DEEP_SHARE = 0.9  # the deep API page starts at 90% of the published briefs

TARGETS = [
    "floor",
    "home",
    "brief",
    "topic",
    "search",
    "rss",
    "api-list",
    "api-deep",
    "api-detail",
]
MODES = {"cold": "dummycache://", "warm": REDIS_URL}

# wrk results ----------------------------------------------------------------


def median_of(runs):
    """Return the median of each figure over several wrk runs."""
    return {
        key: statistics.median(run[key] for run in runs)
        for key in ("rps", "p50", "p99")
    } | {"failed": sum(run["failed"] for run in runs)}


def markdown_table(rows, floor_key="floor"):
    """Return the results as one Markdown table, with each page's share of the floor.

    `rows` maps (target, mode) to a median result, or to a string saying why
    the target was not measured.
    """
    lines = [
        "| Target | Cache | req/s | p50 (ms) | p99 (ms) | × floor |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (target, mode), result in rows.items():
        if isinstance(result, str):
            lines.append(f"| {target} | {mode} | {result} | | | |")
            continue
        floor = rows.get((floor_key, mode))
        ratio = (
            f"{result['rps'] / floor['rps']:.2f}"
            if isinstance(floor, dict) and floor["rps"]
            else ""
        )
        note = f" ({result['failed']} failed)" if result["failed"] else ""
        lines.append(
            f"| {target} | {mode} | {result['rps']:,.0f}{note} | "
            f"{result['p50']:.1f} | {result['p99']:.1f} | {ratio} |"
        )
    return "\n".join(lines)


def scale_table(by_count):
    """Return how each figure at the largest N compares with the smallest N.

    `by_count` maps N to the rows of `markdown_table`; a ratio of req/s near 1
    means the page does not slow down as the content grows.
    """
    small, large = min(by_count), max(by_count)
    lines = [
        f"| Target | Cache | req/s N={small:,} | req/s N={large:,} | "
        f"p50 N={small:,} | p50 N={large:,} | req/s ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for key, before in by_count[small].items():
        after = by_count[large].get(key)
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        lines.append(
            f"| {key[0]} | {key[1]} | {before['rps']:,.0f} | {after['rps']:,.0f} | "
            f"{before['p50']:.1f} | {after['p50']:.1f} | "
            f"{after['rps'] / before['rps']:.2f} |"
        )
    return "\n".join(lines)


# DRF cursors --------------------------------------------------------------------


def cursor_at(next_url, deep):
    """Return `next_url` with its cursor moved to just after the brief `deep`.

    Two cursor formats are understood: the project's keyset cursor (URL-safe
    base64 of JSON `{"k": key, "v": value, "id": id}`) and DRF's
    CursorPagination cursor (base64 of `p=<position>&o=<offset>&r=<reverse>`,
    the position being the first ordering field's value).
    """
    parts = urllib.parse.urlsplit(next_url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    raw = query["cursor"]
    try:
        keyset = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
    except ValueError:
        keyset = None
    if isinstance(keyset, dict) and {"k", "v", "id"} <= keyset.keys():
        value = deep["id"] if keyset["k"] == "id" else deep["published_at"]
        keyset.update(v=value, id=int(deep["id"]))
        cursor = base64.urlsafe_b64encode(json.dumps(keyset).encode()).decode()
    else:
        tokens = dict(urllib.parse.parse_qsl(base64.b64decode(raw).decode("ascii")))
        position = tokens.get("p", "")
        tokens["p"] = deep["id"] if position.isdigit() else deep["published_at"]
        tokens.pop("o", None)
        tokens.pop("r", None)
        encoded = urllib.parse.urlencode(sorted(tokens.items()), doseq=True)
        cursor = base64.b64encode(encoded.encode("ascii")).decode("ascii")
    query["cursor"] = cursor
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


# Data -------------------------------------------------------------------------


def pick_paths(database, count):
    """Return the path of each target, chosen in the database."""
    published = "status = 'published' AND published_at <= now()"
    # A brief the size of the Wagtail reference (6 sections of 3 bullets, 2
    # votes, 5 sources), else the nearest the data has, else the newest.
    sizes = {
        "sections": "SELECT count(*) FROM briefs_section s WHERE s.brief_id = b.id",
        "bullets": "SELECT count(*) FROM briefs_bullet u JOIN briefs_section s "
        "ON u.section_id = s.id WHERE s.brief_id = b.id",
        "votes": "SELECT count(*) FROM briefs_brief_votes v WHERE v.brief_id = b.id",
        "positions": "SELECT count(*) FROM briefs_brief_votes v JOIN "
        "briefs_voteposition p ON p.vote_id = v.vote_id WHERE v.brief_id = b.id",
        "sources": "SELECT count(*) FROM briefs_brief_sources s "
        "WHERE s.brief_id = b.id",
    }
    wanted = {"sections": 6, "bullets": 18, "votes": 2, "positions": 0, "sources": 5}
    brief = ""
    for dropped in (None, "bullets", "positions", "sources"):
        if dropped:
            wanted.pop(dropped)
        where = " AND ".join(f"({sizes[k]}) = {n}" for k, n in wanted.items())
        brief = psql(
            database,
            f"SELECT b.slug FROM briefs_brief b WHERE {published} AND {where} "
            "ORDER BY b.published_at DESC, b.id DESC LIMIT 1",
        )
        if brief:
            break
    brief = brief or psql(
        database,
        f"SELECT slug FROM briefs_brief WHERE {published} "
        "ORDER BY published_at DESC, id DESC LIMIT 1",
    )
    topic = psql(
        database,
        "SELECT t.slug FROM briefs_topic t JOIN briefs_brief_topics bt "
        "ON bt.topic_id = t.id GROUP BY t.slug ORDER BY count(*) DESC LIMIT 1",
    )
    total = int(psql(database, f"SELECT count(*) FROM briefs_brief WHERE {published}"))
    deep_at, deep_id = psql(
        database,
        f"SELECT to_char(published_at AT TIME ZONE 'UTC', "
        f"'YYYY-MM-DD HH24:MI:SS') || '+00:00', id FROM briefs_brief "
        f"WHERE {published} ORDER BY published_at DESC, id DESC "
        f"OFFSET {int(total * DEEP_SHARE) - 1} LIMIT 1",
    ).split("|")
    return {
        "floor": "/bench/floor/",
        "home": "/",
        "brief": f"/briefs/{brief}/",
        "topic": f"/topics/{topic}/",
        "search": f"/search/?q={SEARCH_WORD}",
        "rss": "/feeds/rss/",
        "api-list": "/api/v1/briefs/",
        # Resolved against the running API, whose pagination decides the form.
        "api-deep": {"published_at": deep_at, "id": deep_id},
        "api-detail": f"/api/v1/briefs/{brief}/",
    }, total


def deep_api_path(base, deep, total):
    """Return a path to the API list page around position 90% of `total`.

    With cursor pagination the cursor is rebuilt to start at the brief `deep`
    found in the database (no walking); with pages or offsets it is that page.
    """
    status, body = fetch(f"{base}/api/v1/briefs/")
    if status != 200:
        return None, f"n/a ({status})"
    page = json.loads(body)
    next_url = page.get("next")
    if not next_url:
        return None, "n/a (no next page)"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(next_url).query))
    position = int(total * DEEP_SHARE)
    if "cursor" in query:
        url = cursor_at(next_url, deep)
    elif "page" in query:
        size = len(page.get("results", [])) or 20
        url = next_url.replace(f"page={query['page']}", f"page={position // size}")
    elif "offset" in query:
        url = next_url.replace(f"offset={query['offset']}", f"offset={position}")
    else:
        return None, "n/a (unknown pagination)"
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}", None


# Main -------------------------------------------------------------------------


def bench_count(count, options, port):
    database = f"{DB_PREFIX}_n{count}"
    env = app_env(database, MODES["cold"])
    loading = None
    if options.skip_load:
        manage(env, "migrate", "--noinput", "-v0")
    else:
        loading = load(database, count, env)
    paths, total = pick_paths(database, count)
    targets = options.targets or TARGETS
    rows, memory, shown = {}, {}, {}
    for mode in options.modes:
        if mode == "warm":
            redis.Redis.from_url(REDIS_URL).flushdb()
        log(f"N={count:,} {mode}: starting gunicorn on port {port}")
        master = start_gunicorn(app_env(database, MODES[mode]), port)
        base = f"http://127.0.0.1:{port}"
        urls = {}
        for target in targets:
            path = paths[target]
            if target == "api-deep":
                path, why = deep_api_path(base, path, total)
                if why:
                    rows[(target, mode)] = why
                    continue
            status, _ = fetch(base + path)
            if status != 200:
                rows[(target, mode)] = f"n/a ({status})"
                continue
            for _ in range(20):  # warm up both workers (and the cache)
                fetch(base + path)
            urls[target] = base + path
            shown[target] = path
        runs = {target: [] for target in urls}
        for round_number in range(1, options.rounds + 1):
            for target, url in urls.items():
                runs[target].append(
                    run_wrk(url, options.duration, options.threads, options.connections)
                )
            log(f"N={count:,} {mode}: round {round_number} done")
        for target in targets:
            if target in runs:
                rows[(target, mode)] = median_of(runs[target])
        memory[mode] = worker_rss_mb(master)
        stop_all()
    ordered = {
        (target, mode): rows[(target, mode)]
        for mode in options.modes
        for target in targets
        if (target, mode) in rows
    }
    return ordered, memory, shown, loading


def report(count, rows, memory, paths, options, scale=None, loading=None):
    today = datetime.date.today().isoformat()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    rss = "; ".join(
        f"{mode}: " + ", ".join(f"{mb:.0f} MB" for mb in sizes)
        for mode, sizes in memory.items()
    )
    lines = [
        f"# Benchmark, N = {count:,} briefs, {today}",
        "",
        f"Commit {commit}; {os.cpu_count()} CPUs; gunicorn 2 sync workers, DEBUG "
        f"off, PostgreSQL; wrk -t{options.threads} -c{options.connections} "
        f"-d{options.duration}s, median of {options.rounds} round(s); cold = "
        "cache off (dummycache), warm = Redis.",
        "",
        markdown_table(rows),
        "",
        f"gunicorn worker memory (VmRSS) after the runs: {rss}.",
        "",
        "Paths: " + ", ".join(f"{t} `{p}`" for t, p in paths.items()),
        "",
    ]
    if loading:
        lines += [
            f"Loading: `generate_briefs --count {count:,}` (rows, renderings and "
            f"search vectors, {os.cpu_count()} render processes) took "
            f"{loading['generate_seconds']:.0f} s.",
            "",
        ]
    if scale:
        lines += ["## Growth", "", scale, ""]
    text = "\n".join(lines)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{today}-N{count}.md"
    path.write_text(text)
    print(text)
    log(f"wrote {path.relative_to(ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--count",
        type=int,
        action="append",
        help="Briefs to load; repeat for several (default 1000).",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per run.")
    parser.add_argument(
        "--targets",
        type=lambda s: s.split(","),
        help=f"Comma-separated subset of {','.join(TARGETS)}.",
    )
    parser.add_argument(
        "--modes",
        type=lambda s: s.split(","),
        default=["cold", "warm"],
        help="cold, warm or both.",
    )
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="Reuse the bench database of an earlier run.",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    options = parser.parse_args(argv)  # fmt: skip
    unknown = set(options.targets or []) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    port = free_port()
    try:
        env = app_env("unused", MODES["cold"])
        manage(env, "collectstatic", "--noinput", "-v0")
        by_count = {}
        for count in sorted(options.count or [1000]):
            rows, memory, paths, loading = bench_count(count, options, port)
            by_count[count] = rows
            scale = scale_table(by_count) if len(by_count) > 1 else None
            report(count, rows, memory, paths, options, scale, loading)
    finally:
        stop_all()


if __name__ == "__main__":
    main()

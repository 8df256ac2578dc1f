import importlib.util
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from bench import common, soak

ROOT = Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

# What wrk 4.1 prints with --latency (figures made up).
WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    2.03ms  40.12ms   90.00%
    Req/Sec     1.00k   100.00     1.20k    70.00%
  Latency Distribution
     50%  812.00us
     75%    4.50ms
     90%    6.00ms
     99%    1.02s
  19990 requests in 10.00s, 5.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   1999.05
Transfer/sec:    512.00KB
"""


@pytest.mark.django_db
def test_the_floor_view_does_not_exist_in_the_normal_configuration(client):
    assert client.get("/bench/floor/").status_code == 404


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bench_urls_add_the_floor_to_the_product_urls(client):
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert response.content == b"Hello, world!"
    assert reverse("briefs:brief-detail", kwargs={"slug": "x"}) == "/briefs/x/"


def setting_seen_by(settings_module, name, **extra):
    """Return a setting as a fresh process with `settings_module` prints it."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(settings.{name})"
    )
    env = {k: v for k, v in os.environ.items() if k != "BENCH"}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="x", **extra)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.slow
def test_the_bench_settings_mount_the_bench_urls():
    assert setting_seen_by("bench.settings", "ROOT_URLCONF") == "bench.urls"


@pytest.mark.slow
def test_the_product_settings_mount_no_bench_urls_whatever_the_environment():
    assert (
        setting_seen_by("newsroom.settings", "ROOT_URLCONF", BENCH="1")
        == "newsroom.urls"
    )


def test_the_bench_runs_the_app_with_the_bench_settings():
    env = common.app_env("some_database", "dummycache://")
    assert env["DJANGO_SETTINGS_MODULE"] == "bench.settings"


def test_the_product_code_knows_nothing_of_the_bench_urls():
    mentions = [
        str(path.relative_to(ROOT))
        for package in ("briefs", "newsroom")
        for path in (ROOT / package).rglob("*.py")
        if "/bench" in path.read_text() or "bench_urls" in path.read_text()
    ]
    assert mentions == []


def test_wrk_output_gives_requests_per_second_latencies_and_failures():
    assert common.parse_wrk(WRK_OUTPUT) == {
        "rps": 1999.05,
        "p50": 0.812,
        "p99": 1020.0,
        "failed": 7,
    }


def test_the_median_of_rounds_is_taken_figure_by_figure():
    runs = [
        {"rps": 100, "p50": 5, "p99": 9, "failed": 0},
        {"rps": 300, "p50": 1, "p99": 20, "failed": 1},
        {"rps": 200, "p50": 3, "p99": 10, "failed": 0},
    ]
    assert bench.median_of(runs) == {"rps": 200, "p50": 3, "p99": 10, "failed": 1}


def test_the_table_gives_each_target_its_share_of_the_floor_in_its_mode():
    table = bench.markdown_table(
        {
            ("floor", "cold"): {"rps": 1000, "p50": 1, "p99": 2, "failed": 0},
            ("brief", "cold"): {"rps": 250, "p50": 4, "p99": 8, "failed": 0},
            ("rss", "cold"): "n/a (404)",
            ("floor", "warm"): {"rps": 500, "p50": 1, "p99": 2, "failed": 0},
            ("brief", "warm"): {"rps": 450, "p50": 1.25, "p99": 3, "failed": 2},
        }
    )
    lines = table.splitlines()
    assert lines[0].startswith("| Target | Cache | req/s | p50 (ms) | p99 (ms) |")
    assert "| brief | cold | 250 | 4.0 | 8.0 | 0.25 |" in lines
    assert "| rss | cold | n/a (404) | | | |" in lines
    assert "| brief | warm | 450 (2 failed) | 1.2 | 3.0 | 0.90 |" in lines


DEEP = {"published_at": "2017-03-01 08:30:00+00:00", "id": "4321"}


def test_a_drf_cursor_is_moved_to_a_deep_publication_time():
    paginator = CursorPagination()
    paginator.base_url = "http://127.0.0.1/api/v1/briefs/?topic=oceans"
    first = paginator.encode_cursor(
        Cursor(offset=2, reverse=False, position="2026-01-05 10:00:00+00:00")
    )
    request = Request(APIRequestFactory().get(bench.cursor_at(first, DEEP)))
    assert paginator.decode_cursor(request) == Cursor(
        offset=0, reverse=False, position="2017-03-01 08:30:00+00:00"
    )
    assert request.query_params["topic"] == "oceans"


def test_a_drf_cursor_over_ids_is_moved_to_a_deep_id():
    paginator = CursorPagination()
    paginator.base_url = "http://127.0.0.1/api/v1/briefs/"
    first = paginator.encode_cursor(Cursor(offset=0, reverse=False, position="99"))
    request = Request(APIRequestFactory().get(bench.cursor_at(first, DEEP)))
    assert paginator.decode_cursor(request).position == "4321"


def test_the_growth_table_compares_the_largest_count_with_the_smallest():
    result = {"p50": 2, "p99": 4, "failed": 0}
    table = bench.scale_table(
        {
            1000: {
                ("brief", "cold"): {"rps": 400, **result},
                ("rss", "cold"): "n/a (404)",
            },
            100000: {
                ("brief", "cold"): {"rps": 340, **result},
                ("rss", "cold"): "n/a (404)",
            },
        }
    )
    assert table.splitlines()[2:] == ["| brief | cold | 400 | 340 | 2.0 | 2.0 | 0.85 |"]


def test_deep_cursor_is_rebuilt_for_the_projects_keyset_pagination():
    import base64
    import json
    import urllib.parse

    from bench.run import cursor_at

    cursor = base64.urlsafe_b64encode(
        json.dumps(
            {"k": "published_at", "v": "2026-01-01T00:00:00+00:00", "id": 7}
        ).encode()
    ).decode()
    url = f"http://127.0.0.1:9/api/v1/briefs/?cursor={cursor}"
    deep = {"published_at": "2020-05-01 10:00:00+00:00", "id": "42"}
    rebuilt = urllib.parse.parse_qs(urllib.parse.urlsplit(cursor_at(url, deep)).query)
    data = json.loads(base64.urlsafe_b64decode(rebuilt["cursor"][0]))
    assert data == {"k": "published_at", "v": deep["published_at"], "id": 42}


def test_socket_errors_are_counted_by_kind_and_are_zero_when_wrk_lists_none():
    assert common.socket_errors(WRK_OUTPUT) == {
        "connect": 0,
        "read": 2,
        "write": 0,
        "timeout": 1,
    }
    errors_line = "  Socket errors: connect 0, read 2, write 0, timeout 1\n"
    clean = WRK_OUTPUT.replace(errors_line, "")
    assert set(common.socket_errors(clean).values()) == {0}


@pytest.mark.slow
def test_the_memory_and_cpu_time_of_a_process_children_are_read_from_proc():
    code = "import time; print('ready', flush=True); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        child.stdout.readline()  # running Python by now, not half-way through exec
        parent = types.SimpleNamespace(pid=os.getpid())
        assert common.worker_rss_kb(parent)[child.pid] > 1000
        assert common.worker_cpu_seconds(parent)[child.pid] >= 0
    finally:
        child.kill()
        child.communicate()


# bench/soak.py ------------------------------------------------------------------


def soak_with(changes, shown):
    """Return a soak of one toggled brief "b" with these changes and reads."""
    options = types.SimpleNamespace(connections=1, max_stale=1.0)
    run = soak.Soak([8000], ["b"], "steady", "token", options)
    run.changes = {"b": changes}
    run.shown = {"b": [(sent, done, "/briefs/b/") for sent, done in shown]}
    return run


def test_a_read_over_a_second_after_the_unpublish_returned_is_late():
    run = soak_with([("down", 10.0), ("up", 13.0)], [(11.5, 11.6)])
    assert run.latest_stale_ms() == (pytest.approx(1500), ["1500 ms: /briefs/b/"])


def test_a_read_within_a_second_of_the_unpublish_is_counted_but_allowed():
    run = soak_with([("down", 10.0), ("up", 13.0)], [(10.4, 10.5)])
    assert run.latest_stale_ms() == (pytest.approx(400), [])


def test_a_read_answered_after_the_next_publish_was_sent_may_show_the_brief():
    # Queued at the server until the brief was being published again.
    run = soak_with([("down", 10.0), ("up", 13.0)], [(12.5, 13.2), (14.0, 14.1)])
    assert run.latest_stale_ms() == (0.0, [])


def test_server_errors_are_found_in_the_servers_output():
    output = (
        "Internal Server Error: /briefs/\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1\n'
        "[2026-11-28 13:00:00 +0000] [42] [CRITICAL] WORKER TIMEOUT (pid:43)\n"
        "Not Found: /nowhere/\n"
    )
    assert len(soak.error_lines(output)) == 3


def test_bench_port_in_the_environment_fixes_gunicorns_port(monkeypatch):
    monkeypatch.setenv("BENCH_PORT", "8631")
    assert common.free_port() == 8631


def test_without_bench_port_any_free_port_is_taken(monkeypatch):
    monkeypatch.delenv("BENCH_PORT", raising=False)
    assert 0 < common.free_port() < 65536


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls", PAGE_CACHE_EXCLUDED_PREFIXES=["/bench/"])
def test_the_floor_is_made_for_every_request_never_served_from_the_page_cache(client):
    assert client.get("/bench/floor/").get("X-Page-Cache") is None
    assert client.get("/bench/floor/").get("X-Page-Cache") is None


def test_the_bench_settings_keep_the_floor_out_of_the_page_cache():
    excluded = setting_seen_by("bench.settings", "PAGE_CACHE_EXCLUDED_PREFIXES")
    assert excluded == "['/bench/']"

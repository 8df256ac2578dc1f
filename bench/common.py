"""What the bench scripts share: the app's environment, PostgreSQL, gunicorn,
wrk's output and the processes to stop whatever happens.

Imported by bench/run.py and bench/soak.py (see bench/README.md).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

# No step may hang a run: the longest, loading 100,000 briefs, takes minutes.
COMMAND_TIMEOUT = 3600
STARTUP_TIMEOUT = 60  # seconds gunicorn may take to answer its first request
# Processes that render the loaded briefs side by side: one per core.

started = []  # processes to stop whatever happens


def log(message, name="bench"):
    print(f"[{name} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr)


# wrk output -------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    """Return wrk's duration ('812.00us', '1.20ms', '2.01s') in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)


def socket_errors(output):
    """Return wrk's socket errors by kind: connect, read, write, timeout."""
    found = SOCKET_ERRORS.search(output)
    counts = map(int, found.groups()) if found else (0, 0, 0, 0)
    return dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))


def parse_wrk(output):
    """Return req/s, p50 and p99 (ms) and the count of failed responses."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    failed = int(bad.group(1)) if bad else 0
    failed += sum(socket_errors(output).values())
    return {"rps": rps, "p50": p50, "p99": p99, "failed": failed}


def run_wrk(url, duration, threads, connections):
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
         url],
        check=True, capture_output=True, text=True, timeout=duration + 60,
    )  # fmt: skip
    return parse_wrk(result.stdout)


# Processes --------------------------------------------------------------------


def stop_all():
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    started.clear()


def on_signal(number, frame):
    stop_all()
    sys.exit(128 + number)


def app_env(database, cache):
    """Return the environment of the app under test: production-like, DEBUG off."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URLS"}
    env.update(
        # The product's settings with the floor view mounted (bench/urls.py).
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-key-" + "k" * 40,
        DATABASE_URL=f"{PG_SERVER}/{database}",
        CACHE_URL=cache,
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="ERROR",
        SECURE_COOKIES="0",
        # wrk is one client hammering from one address: with the production
        # rates every API request past the first 120 a minute would be a 429.
        API_ANON_THROTTLE_RATE="off",
        API_USER_THROTTLE_RATE="off",
    )
    return env


def manage(env, *args, capture=False):
    """Run a management command of the app; return its output if `capture`."""
    result = subprocess.run(
        [VENV_BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True,
        timeout=COMMAND_TIMEOUT, capture_output=capture, text=True,
    )  # fmt: skip
    return result.stdout if capture else None


def psql(database, sql):
    result = subprocess.run(
        ["psql", f"{PG_SERVER}/{database}", "-AtX", "-v", "ON_ERROR_STOP=1", "-c",
         sql],
        check=True, capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
    )  # fmt: skip
    return result.stdout.strip()


def load(database, count, env, name="bench"):
    """Create `database` afresh with `count` synthetic briefs, then analyse it."""
    log(f"creating {database} with {count:,} briefs", name)
    psql("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    psql("postgres", f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    # Rendered as they are made, in one worker process per core.
    manage(env, "generate_briefs", "--count", str(count), "--seed", "1")
    generated = time.monotonic() - started
    log(f"generated and rendered in {generated:.0f} s; VACUUM ANALYZE", name)
    psql(database, "VACUUM ANALYZE")
    return {"generate_seconds": generated}


def free_port():
    """Return BENCH_PORT if set (to keep to a range of ports), else a free port."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port, extra_args=(), log_file=None):
    """Start gunicorn with 2 sync workers on `port`; return once it answers.

    Its output goes to `log_file` (an open file) if given.
    """
    process = subprocess.Popen(
        [VENV_BIN / "gunicorn", "newsroom.wsgi", "-w", "2", "-b",
         f"127.0.0.1:{port}", "--log-level", "warning", *extra_args],
        cwd=ROOT, env=env, start_new_session=True, stdout=log_file,
        stderr=log_file,
    )  # fmt: skip
    started.append(process)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return process
        except OSError:  # refused while booting, or slow on a busy machine
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on /healthz within {STARTUP_TIMEOUT} s")


def read_workers(master, name):
    """Return {pid: text of /proc/<pid>/<name>} for each of gunicorn's workers.

    A worker that exits between the listing and the reading is left out.
    """
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text()
    found = {}
    for pid in children.split():
        try:
            found[int(pid)] = Path(f"/proc/{pid}/{name}").read_text()
        except FileNotFoundError:
            continue
    return found


def worker_rss_kb(master):
    """Return {pid: resident memory in kB} of each of gunicorn's workers."""
    return {
        pid: int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        for pid, status in read_workers(master, "status").items()
    }


def worker_cpu_seconds(master):
    """Return {pid: CPU seconds used so far (user + system)} of gunicorn's workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid, stat in read_workers(master, "stat").items():
        # The fields after the command name, which may hold spaces: utime and
        # stime are the 14th and 15th of the line.
        fields = stat.rsplit(")", 1)[1].split()
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def worker_rss_mb(master):
    """Return the resident memory of each of gunicorn's workers, in MB."""
    return [kb / 1024 for kb in worker_rss_kb(master).values()]


def fetch(url, timeout=60):
    """Return (status, body) for a GET of `url`."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""

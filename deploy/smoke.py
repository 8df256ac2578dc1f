"""Run the production recipe on the local PostgreSQL and Redis, then use the site.

`make smoke` runs this with the project's .venv python; it needs only the
standard library, psycopg and redis. It follows docs/operators/deploy.md by
running the same files: a runtime-only virtualenv, `deploy/release.sh` on a
fresh database, gunicorn with `deploy/gunicorn.conf.py` on a free loopback port
and, when nginx is installed, nginx with `deploy/nginx.conf` on another. Then it
checks the home page, a brief page, the API, an admin sign-in and a publication
through the API, and stops at the first check that fails. Whatever happens, it
stops its servers, drops its database and removes its Redis keys.

Environment: SMOKE_POSTGRES_URL (a database to connect to for CREATE DATABASE,
default postgres://postgres@127.0.0.1:5432/postgres), SMOKE_REDIS_URL (default
redis://127.0.0.1:6379/0), SMOKE_TIMEOUT (seconds for the whole run, default
240), SMOKE_NGINX=0 (run without nginx even where it is installed).
"""

import getpass
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PYPROJECT = ROOT / "pyproject.toml"
# The runtime dependencies alone, as `pip install .` gives them in production;
# the development tools in .venv must not hide a missing runtime dependency.
RUNTIME_VENV = ROOT / ".venv-runtime"
POSTGRES_URL = os.environ.get(
    "SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/0")
TOTAL_SECONDS = int(os.environ.get("SMOKE_TIMEOUT", "240"))
HTTP_SECONDS = 15
# Settings the smoke decides; any value inherited from the caller's shell for
# these would make it test something else than the recipe.
OWN_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "ADMIN_URL",
    "PAGE_CACHE_SECONDS",
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "PYTHON",
)


class SmokeFailed(Exception):
    """A step or a check failed; the message says which and why."""


def say(message):
    print(f"smoke: {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise SmokeFailed(f"out of time: the whole run may take {TOTAL_SECONDS} s")
    return left


def run(step, command, *, env, deadline, log):
    """Run one step of the recipe, its output kept in `log` and shown on failure."""
    started = time.monotonic()
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(map(str, command))}\n".encode())
        out.flush()
        # A session of its own, so that a step out of time is stopped with
        # everything it started (release.sh runs pip and manage.py).
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            process.wait(timeout=remaining(deadline))
        except (subprocess.TimeoutExpired, SmokeFailed):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise SmokeFailed(f"{step}: still running when time ran out") from None
        if process.returncode:
            raise SmokeFailed(f"{step}: exit status {process.returncode}\n{tail(log)}")
    say(f"{step} ({time.monotonic() - started:.1f} s)")


def tail(path, lines=25):
    try:
        text = Path(path).read_text(errors="replace")
    except FileNotFoundError:
        return ""
    kept = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join(f"    {line}" for line in kept)


class Client:
    """An HTTP client with its own cookies, like one browser."""

    def __init__(self, base):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def request(self, path, *, data=None, headers=None, method=None):
        """Return (status, headers, body text); never raises for an HTTP status."""
        request = urllib.request.Request(
            self.base + path, data=data, headers=headers or {}, method=method
        )
        try:
            with self.opener.open(request, timeout=HTTP_SECONDS) as response:
                return response.status, response.headers, response.read(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read(), error.url
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise SmokeFailed(f"GET {self.base + path}: {error}") from None

    def get(self, path, **kwargs):
        status, headers, body, _ = self.request(path, **kwargs)
        return status, headers, body.decode(errors="replace")

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), None)


def check(condition, what, detail=""):
    if not condition:
        more = f"\n    {detail}" if detail else ""
        raise SmokeFailed(f"check failed: {what}{more}")


def get_ok(client, path, what, **kwargs):
    status, headers, body = client.get(path, **kwargs)
    check(status == 200, what, f"GET {path} answered {status}: {body[:300]!r}")
    return headers, body


def api_json(client, path, what, *, token=None, payload=None, method=None, **extra):
    headers = {"Accept": "application/json", **extra}
    data = None
    if token:
        headers["Authorization"] = f"Token {token}"
    if payload is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(payload).encode()
    status, answer_headers, body, _ = client.request(
        path, data=data, headers=headers, method=method
    )
    text = body.decode(errors="replace")
    try:
        parsed = json.loads(text) if text else None
    except json.JSONDecodeError:
        parsed = None
    return status, answer_headers, parsed, text


def wait_until_up(url, what, deadline, process, log):
    """Return once `url` answers 200, or fail when the server died or time ran out."""
    limit = min(time.monotonic() + 30, deadline)
    while time.monotonic() < limit:
        if process.poll() is not None:
            raise SmokeFailed(f"{what} exited at start-up\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.3)
    raise SmokeFailed(f"{what} did not answer {url} within 30 s\n{tail(log)}")


def render_nginx(tmp, *, nginx, listen_port, app_port):
    """Write an nginx main config around deploy/nginx.conf, set for these ports."""
    site = (DEPLOY / "nginx.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{listen_port};",
        "listen [::]:80;": "",
        "alias /srv/newsroom/staticfiles/;": f"alias {ROOT / 'staticfiles'}/;",
        "alias /srv/newsroom/media/;": f"alias {ROOT / 'media'}/;",
    }
    for old, new in replacements.items():
        # The file is the one the deploy docs tell people to install: if it
        # changes shape, this must change with it rather than run something else.
        if site.count(old) != 1:
            raise SmokeFailed(f"deploy/nginx.conf no longer has {old!r} exactly once")
        site = site.replace(old, new)
    (tmp / "newsroom.conf").write_text(site)
    version = subprocess.run(
        [nginx, "-V"], capture_output=True, text=True, timeout=10
    ).stderr
    conf_path = re.search(r"--conf-path=(\S+)", version)
    mime_types = Path(conf_path[1] if conf_path else "/etc/nginx/nginx.conf").parent
    # nginx started by root hands its workers to an unprivileged user, who may
    # not read a checkout in a private directory; the smoke's own workers run
    # as whoever started it.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    main = f"""
{user}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include {mime_types / "mime.types"};
    default_type application/octet-stream;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    include {tmp}/newsroom.conf;
}}
"""
    (tmp / "nginx.conf").write_text(main)
    return tmp / "nginx.conf"


def wait_for_renderings(python, env, deadline):
    """Wait until the worker has stored a current rendering of every brief."""
    count = [
        python,
        "manage.py",
        "shell",
        "--no-imports",
        "-c",
        "from briefs.rendering import stale_brief_ids; print(len(stale_brief_ids()))",
    ]
    left = None
    until = min(deadline, time.monotonic() + 60)
    while time.monotonic() < until:
        result = subprocess.run(
            count, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
        )
        left = result.stdout.strip().splitlines()[-1:] or [result.stderr[-300:]]
        if left == ["0"]:
            say("the worker rendered every brief (none left without a rendering)")
            return
        time.sleep(1)
    raise SmokeFailed(f"briefs still without a current rendering: {left[0]}")


def stop(process):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def drop_database(name):
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def forget_cache_keys(prefix):
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def check_site(client, *, token, admin_password, through_nginx):
    """Use the site as readers, an editor and an API client would."""
    status, _, listing, text = api_json(client, "/api/v1/briefs/", "API list")
    check(status == 200, "the API list answers 200", f"{status}: {text[:300]!r}")
    check(listing and listing.get("results"), "the API list has briefs", text[:300])
    first = listing["results"][0]
    title, slug = first["title"], first["slug"]
    say(f"API list: {len(listing['results'])} briefs, the first {slug!r}")

    status, headers, brief, text = api_json(
        client, f"/api/v1/briefs/{slug}/", "API detail"
    )
    check(status == 200, "the API detail answers 200", f"{status}: {text[:300]!r}")
    check(brief["title"] == title, "the API detail is the listed brief")
    check(brief.get("sections"), "the API detail has its sections")
    check(headers.get("ETag"), "the API detail has an ETag")
    say("API detail: 200 with sections and an ETag")

    headers, home = get_ok(client, "/", "the home page answers 200")
    check(title in unescape(home), "the home page shows the newest brief's title")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home)
    check(stylesheet, "the home page links a stylesheet under /static/")
    say("home page: 200 with the newest brief's title")

    _, page = get_ok(client, f"/briefs/{slug}/", "the brief page answers 200")
    check(title in unescape(page), "the brief page shows its title")
    say(f"brief page /briefs/{slug}/: 200 with its title")

    headers, _ = get_ok(client, stylesheet[1], "the stylesheet answers 200")
    check(
        "text/css" in headers.get("Content-Type", ""),
        "the stylesheet is served as text/css",
    )
    check(
        "immutable" in headers.get("Cache-Control", ""),
        "a hashed static file may be cached for good",
        f"Cache-Control: {headers.get('Cache-Control')!r}",
    )
    say(f"static file {stylesheet[1]}: 200, {headers.get('Cache-Control')}")

    if through_nginx:
        status, headers, _ = client.get("/", headers={"Accept-Encoding": "gzip"})
        check(
            status == 200 and headers.get("Content-Encoding") == "gzip",
            "nginx compresses the home page",
            f"{status}, Content-Encoding {headers.get('Content-Encoding')!r}",
        )
        say("nginx: the home page comes gzip-compressed")

    editor = Client(client.base)
    _, login = get_ok(editor, "/admin/login/", "the admin sign-in page answers 200")
    token_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    check(token_field, "the sign-in form carries a CSRF token")
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token_field[1],
            "username": "smoke",
            "password": admin_password,
            "next": "/admin/",
        }
    ).encode()
    # As a browser sends them: Django checks the origin of a signed post.
    headers = {
        "Origin": client.base,
        "Referer": client.base + "/admin/login/",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if through_nginx:
        # nginx must overwrite this: believed, it would make Django take the
        # post for an HTTPS one from a plain-HTTP origin, and refuse it.
        headers["X-Forwarded-Proto"] = "https"
    status, _, body, url = editor.request("/admin/login/", data=form, headers=headers)
    body = body.decode(errors="replace")
    check(
        status == 200 and urllib.parse.urlsplit(url).path == "/admin/",
        "signing in to the admin leads to its index",
        f"ended at {url} with {status}: {body[:300]!r}",
    )
    check("Site administration" in body, "the admin index is shown after sign-in")
    check(editor.cookie("sessionid"), "the sign-in sets a session cookie")
    say("admin: signed in through the form, index shown")

    stamp = secrets.token_hex(4)
    new_title = f"Smoke test brief {stamp}"
    status, _, created, text = api_json(
        client,
        "/api/v1/briefs/",
        "API create",
        token=token,
        payload={
            "title": new_title,
            "summary": "A brief written by the smoke test to check that "
            "publishing through the API works on a real deployment.",
            # Long enough for nginx to compress the answer (gzip_min_length).
            "sections": [
                {
                    "heading": f"Step {number}",
                    "bullets": [
                        {"text": f"The deployment passed check {number}.{bullet}."}
                        for bullet in range(1, 4)
                    ],
                }
                for number in range(1, 5)
            ],
        },
    )
    check(status == 201, "the API creates a draft with a token", f"{status}: {text}")
    new_slug = created["slug"]
    check(
        created["api_url"].startswith(client.base + "/"),
        "the API's links name the host and port the client asked",
        created["api_url"],
    )
    status, _, _ = client.get(f"/briefs/{new_slug}/")
    check(status == 404, "the draft is not visible to readers", f"answered {status}")

    status, headers, _, _ = api_json(
        client,
        f"/api/v1/briefs/{new_slug}/",
        "API detail",
        token=token,
        **{"Accept-Encoding": "gzip"},
    )
    check(status == 200, "the author reads the draft", f"answered {status}")
    if through_nginx:
        check(
            headers.get("Content-Encoding") == "gzip"
            and headers["ETag"].startswith("W/"),
            "nginx compresses the API answer, weakening its ETag",
            f"Content-Encoding {headers.get('Content-Encoding')!r}, "
            f"ETag {headers['ETag']!r}",
        )
    status, _, published, text = api_json(
        client,
        f"/api/v1/briefs/{new_slug}/publish/",
        "API publish",
        token=token,
        method="POST",
        # The ETag as it reached the client (weak, if nginx compressed it).
        **{"If-Match": headers["ETag"]},
    )
    check(status == 200, "the API publishes the draft", f"{status}: {text[:500]}")
    check(published["status"] == "published", "the brief's status is published")
    say(f"API: created {new_slug!r} as a draft (404 to readers), published it")

    reader = Client(client.base)
    _, page = get_ok(reader, f"/briefs/{new_slug}/", "the published brief's page")
    check(new_title in unescape(page), "the published brief's page shows its title")
    _, home = get_ok(reader, "/", "the home page after publishing")
    check(new_title in unescape(home), "the home page lists the brief just published")
    status, _, brief, text = api_json(reader, f"/api/v1/briefs/{new_slug}/", "API")
    check(status == 200, "the API shows the published brief to anyone", f"{status}")
    say("published brief: on its page, the home page and the API, anonymously")


def main():
    started = time.monotonic()
    deadline = started + TOTAL_SECONDS

    def out_of_time(signum, frame):
        raise SmokeFailed(f"out of time: the whole run may take {TOTAL_SECONDS} s")

    def stopped(signum, frame):
        raise SmokeFailed(f"stopped by signal {signum}")

    # A last resort for a hang outside any subprocess or HTTP timeout.
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(TOTAL_SECONDS + 30)
    signal.signal(signal.SIGTERM, stopped)

    run_id = f"{os.getpid()}_{secrets.token_hex(3)}"
    database = f"newsroom_smoke_{run_id}"
    cache_prefix = f"smoke_{run_id}"
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-smoke-"))
    log = tmp / "steps.log"
    gunicorn = nginx_process = worker = None
    created_database = False
    try:
        try:
            with psycopg.connect(
                POSTGRES_URL, autocommit=True, connect_timeout=5
            ) as conn:
                conn.execute(f'CREATE DATABASE "{database}"')
                created_database = True
        except psycopg.Error as error:
            raise SmokeFailed(
                f"PostgreSQL at {POSTGRES_URL}: {error}".strip()
                + "\n    Start it, or point SMOKE_POSTGRES_URL at one."
            ) from None
        try:
            redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
        except redis.RedisError as error:
            raise SmokeFailed(
                f"Redis at {REDIS_URL}: {error}\n"
                "    Start it, or point SMOKE_REDIS_URL at one."
            ) from None
        say(f"database {database} created; Redis answers at {REDIS_URL}")

        app_port = free_port()
        nginx = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
        if os.environ.get("SMOKE_NGINX") == "0":
            nginx = None
        front_port = free_port() if nginx else app_port
        base = f"http://127.0.0.1:{front_port}"
        env = {
            key: value for key, value in os.environ.items() if key not in OWN_VARIABLES
        }
        env.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"{POSTGRES_URL.rsplit('/', 1)[0]}/{database}",
            CACHE_URL=REDIS_URL,
            # Its own keys, apart from anything else using this Redis.
            CACHE_KEY_PREFIX=cache_prefix,
            SITE_URL=base,
            # Plain HTTP on loopback: a browser would not send back a cookie
            # marked Secure, and neither does the smoke's client.
            SECURE_COOKIES="0",
            GUNICORN_BIND=f"127.0.0.1:{app_port}",
            # Two, not one per core: the machine is shared with the tests.
            WEB_CONCURRENCY="2",
            # nginx, where it fronts gunicorn, appends the client's address.
            TRUSTED_PROXY_COUNT="1" if nginx else "0",
        )

        # Kept between runs, as on a server, and made anew when the
        # dependencies change; release.sh installs into it every time.
        stamp = RUNTIME_VENV / ".created"
        if not stamp.exists() or stamp.stat().st_mtime < PYPROJECT.stat().st_mtime:
            shutil.rmtree(RUNTIME_VENV, ignore_errors=True)
            run(
                f"runtime-only virtualenv {RUNTIME_VENV.name}/",
                [sys.executable, "-m", "venv", RUNTIME_VENV],
                env=env,
                deadline=deadline,
                log=log,
            )
            stamp.touch()
        venv = RUNTIME_VENV
        env["PYTHON"] = str(venv / "bin" / "python")
        run(
            "deploy/release.sh on the empty database",
            ["bash", DEPLOY / "release.sh"],
            env=env,
            deadline=deadline,
            log=log,
        )
        python = env["PYTHON"]
        # Content to check, as editors would have made it.
        run(
            "demo briefs",
            [python, "manage.py", "load_demo"],
            env=env,
            deadline=deadline,
            log=log,
        )
        admin_password = secrets.token_urlsafe(16)
        run(
            "superuser 'smoke'",
            [
                python,
                "manage.py",
                "createsuperuser",
                "--noinput",
                "--username=smoke",
                "--email=smoke@example.org",
            ],
            env={**env, "DJANGO_SUPERUSER_PASSWORD": admin_password},
            deadline=deadline,
            log=log,
        )
        made = subprocess.run(
            [python, "manage.py", "drf_create_token", "smoke"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=remaining(deadline),
        )
        token = re.search(r"\b[0-9a-f]{40}\b", made.stdout)
        check(token, "drf_create_token makes a token", made.stdout + made.stderr)
        token = token[0]
        say("API token for 'smoke' made")

        gunicorn_log = tmp / "gunicorn.log"
        with open(gunicorn_log, "wb") as out:
            gunicorn = subprocess.Popen(
                [
                    venv / "bin" / "gunicorn",
                    "-c",
                    DEPLOY / "gunicorn.conf.py",
                    "newsroom.wsgi",
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_up(
            f"http://127.0.0.1:{app_port}/healthz",
            "gunicorn",
            deadline,
            gunicorn,
            gunicorn_log,
        )
        say(f"gunicorn answers on 127.0.0.1:{app_port}")

        worker_log = tmp / "worker.log"
        with open(worker_log, "wb") as out:
            worker = subprocess.Popen(
                [python, "manage.py", "run_worker"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        say("background worker started (manage.py run_worker)")

        if nginx:
            config = render_nginx(
                tmp, nginx=nginx, listen_port=front_port, app_port=app_port
            )
            nginx_log = tmp / "nginx-error.log"
            test = subprocess.run(
                [nginx, "-t", "-q", "-c", config, "-e", nginx_log],
                capture_output=True,
                text=True,
                timeout=10,
            )
            check(
                test.returncode == 0,
                "nginx accepts deploy/nginx.conf",
                test.stderr.strip(),
            )
            nginx_process = subprocess.Popen(
                [nginx, "-c", config, "-e", nginx_log],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            wait_until_up(
                f"{base}/healthz", "nginx", deadline, nginx_process, nginx_log
            )
            say(f"nginx answers on 127.0.0.1:{front_port} with deploy/nginx.conf")
        else:
            say("nginx is not installed: checking gunicorn directly")

        check_site(
            Client(base),
            token=token,
            admin_password=admin_password,
            through_nginx=bool(nginx),
        )
        keys = redis.Redis.from_url(REDIS_URL, socket_timeout=5).keys(
            f"{cache_prefix}:*"
        )
        check(keys, "the site keeps its cache in Redis (CACHE_URL)")
        check(gunicorn.poll() is None, "gunicorn is still running")
        check(worker.poll() is None, "the background worker is still running")
        wait_for_renderings(python, env, deadline)
        errors = [
            line
            for line in gunicorn_log.read_text(errors="replace").splitlines()
            if "Traceback" in line or "[ERROR]" in line
        ]
        check(not errors, "gunicorn logged no error", "\n    ".join(errors[:5]))
        front = "nginx and gunicorn" if nginx else "gunicorn alone (no nginx)"
        say(
            f"passed: the recipe, served by {front}, "
            f"in {time.monotonic() - started:.0f} s"
        )
        return 0
    except SmokeFailed as failure:
        print(f"smoke: FAILED: {failure}", file=sys.stderr, flush=True)
        for name in ("gunicorn.log", "worker.log", "nginx-error.log"):
            if (tmp / name).exists() and (text := tail(tmp / name, 15)):
                print(f"smoke: last lines of {name}:\n{text}", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
        stop(nginx_process)
        stop(gunicorn)
        stop(worker)
        if created_database:
            try:
                drop_database(database)
            except psycopg.Error as error:
                print(f"smoke: could not drop {database}: {error}", file=sys.stderr)
        try:
            forget_cache_keys(cache_prefix)
        except redis.RedisError:
            pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

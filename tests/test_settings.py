import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts a fresh process to read the settings as a deployment would.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    """Run manage.py in a fresh process with `env` over a clean environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_check(**env):
    return run_manage("check", **env)


def test_without_debug_or_secret_key_the_process_refuses_in_one_line():
    result = run_check()
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "newsroom: SECRET_KEY is not set. Set SECRET_KEY in the environment, "
        "or DEBUG=1 for local development."
    ]


def test_debug_runs_without_a_secret_key():
    assert run_check(DEBUG="1").returncode == 0


# The production configuration documented in docs/operators/configuration.md.
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "ALLOWED_HOSTS": "briefs.example.org",
    "DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "ADMIN_URL": "newsdesk/",
}


def test_production_settings_pass_the_deploy_check_with_no_warning():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def settings_value(expression, **env):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print({expression})",
        **{"SECRET_KEY": "x", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_redis_cache_url_gets_the_fail_soft_backend():
    backend = settings_value(
        "settings.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:1/0"
    )

    assert backend == "newsroom.cache.FailSoftRedisCache"


def test_sqlite_writers_wait_their_turn_on_a_logged_file():
    options = settings_value(
        "settings.DATABASES['default']['OPTIONS']",
        DATABASE_URL="sqlite:///db.sqlite3",
    )

    assert ast.literal_eval(options) == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
    }


def test_postgresql_connections_give_up_after_the_connect_timeout():
    options = settings_value(
        "settings.DATABASES['default']['OPTIONS']",
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom",
        DATABASE_CONNECT_TIMEOUT="3",
    )

    assert ast.literal_eval(options)["connect_timeout"] == 3


def test_postgresql_prepares_the_queries_it_runs_again():
    options = settings_value(
        "settings.DATABASES['default']['OPTIONS']",
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom",
    )

    assert ast.literal_eval(options) == {
        "connect_timeout": 2,
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    options = settings_value(
        "settings.DATABASES['default']['OPTIONS']",
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom",
        DATABASE_PREPARED_STATEMENTS="0",
    )

    assert ast.literal_eval(options) == {"connect_timeout": 2}


def test_replicas_get_the_same_postgresql_options_as_the_primary():
    options = settings_value(
        "settings.DATABASES['replica_1']['OPTIONS']",
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom",
        DATABASE_REPLICA_URLS="postgres://newsroom@127.0.0.2:5432/newsroom",
    )

    assert ast.literal_eval(options) == {
        "connect_timeout": 2,
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


def test_the_trusted_proxy_count_comes_from_the_environment():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from rest_framework.settings import api_settings; "
        "print(api_settings.NUM_PROXIES)",
        DEBUG="1",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.stdout.strip() == "1", result.stderr


def test_cache_key_prefix_keeps_sites_sharing_one_redis_apart():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; print(cache.make_key('page'))",
        SECRET_KEY="x",
        CACHE_URL="redis://127.0.0.1:1/0",
        CACHE_KEY_PREFIX="news",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "news:1:page"


MEDIA_SETTINGS = (
    "import json; from django.conf import settings; print(json.dumps(["
    "settings.STORAGES['default'], settings.MEDIA_URL, "
    "[str(source) for source in settings.SECURE_CSP['img-src']]]))"
)


def test_s3_media_storage_is_django_storages_with_lasting_addresses():
    result = run_manage(
        "shell",
        "-c",
        MEDIA_SETTINGS,
        DEBUG="1",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net/",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    assert result.returncode == 0, result.stderr
    storage, media_url, image_sources = json.loads(result.stdout.splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "newsroom-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    # Stored pages name the files: signed addresses would expire in them.
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert media_url == "https://media.example.org/"
    assert "https://media.example.org" in image_sources


def test_files_are_the_default_media_storage():
    result = run_manage("shell", "-c", MEDIA_SETTINGS, DEBUG="1")
    storage, media_url, image_sources = json.loads(result.stdout.splitlines()[-1])
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert media_url == "/media/"
    assert image_sources == ["'self'", "data:"]


def test_an_unknown_media_storage_is_refused():
    result = run_check(DEBUG="1", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE: give files or s3; not 'ftp'." in result.stderr

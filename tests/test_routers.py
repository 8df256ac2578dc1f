import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection, router, transaction
from django.test import override_settings
from rest_framework.authtoken.models import Token

from briefs.models import Brief, Topic
from newsroom.routers import ReplicaRouter, replica_databases

ROOT = Path(__file__).resolve().parent.parent

# Print, as Python sees them, the aliases and where a write and a read went.
PROBE = """
import django
django.setup()
from django.conf import settings
from django.db import transaction
from briefs.models import Topic
print(sorted(settings.DATABASES))
Topic.objects.create(name="Replica probe", slug="replica-probe")
print(Topic.objects.filter(slug="replica-probe").exists())
print(Topic.objects.using("default").filter(slug="replica-probe").exists())
with transaction.atomic():
    print(Topic.objects.filter(slug="replica-probe").exists())
"""


def run_python(code, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DATABASE_REPLICA_URLS")
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "SECRET_KEY": "x",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_replica_urls_become_numbered_aliases_that_mirror_default_in_tests():
    databases = replica_databases(
        [
            "postgres://reader@replica-a.internal:5432/newsroom",
            "postgres://reader@replica-b.internal:5432/newsroom",
        ],
        conn_max_age=30,
    )
    assert list(databases) == ["replica_1", "replica_2"]
    assert databases["replica_2"]["HOST"] == "replica-b.internal"
    assert databases["replica_1"]["CONN_MAX_AGE"] == 30
    assert databases["replica_1"]["TEST"] == {"MIRROR": "default"}


@pytest.mark.slow
def test_settings_without_replica_urls_have_only_the_primary():
    aliases = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES), settings.DATABASE_REPLICAS)"
    )
    assert aliases == ["['default'] []"]


@pytest.mark.slow
def test_settings_with_replica_urls_add_one_alias_each():
    aliases = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES), settings.DATABASE_REPLICAS)",
        DATABASE_REPLICA_URLS="sqlite:////tmp/a.sqlite3,sqlite:////tmp/b.sqlite3",
    )
    assert aliases == [
        "['default', 'replica_1', 'replica_2'] ['replica_1', 'replica_2']"
    ]


@override_settings(DATABASE_REPLICAS=["replica_1", "replica_2"])
def test_reads_go_to_a_replica_and_writes_to_the_primary():
    reads = {router.db_for_read(Brief) for _ in range(50)}
    assert reads == {"replica_1", "replica_2"}
    assert router.db_for_write(Brief) == "default"
    assert Brief.objects.all().db in {"replica_1", "replica_2"}
    assert Brief.objects.db_manager("default").all().db == "default"


@override_settings(DATABASE_REPLICAS=["replica_1"])
def test_accounts_and_sessions_are_read_from_the_primary():
    assert router.db_for_read(User) == "default"
    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(Token) == "default"


@override_settings(DATABASE_REPLICAS=[])
def test_without_replicas_reads_go_to_the_primary():
    assert router.db_for_read(Brief) == "default"
    assert Brief.objects.all().db == "default"


@pytest.mark.django_db
@override_settings(DATABASE_REPLICAS=["replica_1"])
def test_reads_inside_a_transaction_stay_on_the_primary():
    # Each test runs in a transaction: it must read what it has just written.
    assert transaction.get_connection().in_atomic_block
    assert router.db_for_read(Brief) == "default"


@override_settings(DATABASE_REPLICAS=["replica_1"])
def test_relations_of_an_object_are_read_where_the_object_came_from():
    brief = Brief(title="Loaded from the primary")
    brief._state.db = "default"
    assert router.db_for_read(Topic, instance=brief) == "default"
    brief._state.db = "replica_1"
    assert router.db_for_read(Topic, instance=brief) == "replica_1"


def test_only_the_primary_is_migrated_and_relations_may_cross_aliases():
    replicas = ReplicaRouter()
    assert replicas.allow_migrate("default", "briefs")
    assert not replicas.allow_migrate("replica_1", "briefs")
    assert replicas.allow_relation(Brief(), Topic())


@pytest.fixture
def primary_and_stale_replica(tmp_path):
    """Yield URLs of a migrated primary and a copy of it taken before any write."""
    if connection.vendor == "postgresql":
        base = connection.settings_dict
        server = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT'] or 5432}"
        token = uuid.uuid4().hex[:8]
        primary, replica = f"perf_router_{token}_p", f"perf_router_{token}_r"
        admin = f"{server}/postgres"
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{primary}"')
        try:
            run_python(
                "import django; django.setup(); "
                "from django.core.management import call_command; "
                "call_command('migrate', verbosity=0)",
                DATABASE_URL=f"{server}/{primary}",
            )
            with psycopg.connect(admin, autocommit=True) as pg:
                pg.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{primary}"')
            yield f"{server}/{primary}", f"{server}/{replica}"
        finally:
            with psycopg.connect(admin, autocommit=True) as pg:
                for name in (primary, replica):
                    pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
        run_python(
            "import django; django.setup(); "
            "from django.core.management import call_command; "
            "call_command('migrate', verbosity=0)",
            DATABASE_URL=f"sqlite:///{primary}",
        )
        shutil.copyfile(primary, replica)
        yield f"sqlite:///{primary}", f"sqlite:///{replica}"


@pytest.mark.slow
def test_with_a_real_second_database_reads_hit_the_replica(primary_and_stale_replica):
    primary, replica = primary_and_stale_replica
    lines = run_python(PROBE, DATABASE_URL=primary, DATABASE_REPLICA_URLS=replica)
    assert lines == [
        "['default', 'replica_1']",
        "False",  # the write went to the primary; the replica has not seen it
        "True",
        "True",  # inside a transaction reads stay on the primary
    ]

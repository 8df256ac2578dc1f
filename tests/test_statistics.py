"""Bulk loads leave PostgreSQL's planner statistics up to date."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from briefs.models import Brief, Bullet
from tests.test_backup import empty_the_database, export, import_, newsroom_content

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="planner statistics are PostgreSQL's"
        " (set DATABASE_URL=postgres://... to run it)",
    ),
    pytest.mark.django_db,
]


def planner_rows(model):
    """Return the planner's estimate of `model`'s rows (-1: never analysed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        return cursor.fetchone()[0]


def assert_planner_knows_the_rows():
    # The rows are not committed yet, so autovacuum cannot have counted them:
    # only an ANALYZE in this transaction can.
    assert planner_rows(Brief) == Brief.objects.count() > 0
    assert planner_rows(Bullet) == Bullet.objects.count() > 0


def test_generate_briefs_ends_by_analysing_what_it_filled():
    call_command(
        "generate_briefs", count=12, processes=0, stdout=StringIO(), verbosity=0
    )

    assert_planner_knows_the_rows()


def test_import_content_ends_by_analysing_what_it_filled(tmp_path):
    newsroom_content()
    path = export(tmp_path / "backup.jsonl")
    empty_the_database()

    import_(path)

    assert_planner_knows_the_rows()

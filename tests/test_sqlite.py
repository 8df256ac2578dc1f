"""SQLite, the database of `make run`, with several writers on one file."""

import threading

import pytest
from django.db import connection, connections, transaction

from briefs.models import Brief
from tests.factories import BriefFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="these are SQLite's locks (the suite runs on SQLite by default)",
)


@pytest.mark.django_db(transaction=True)
def test_two_writers_that_read_first_take_turns_instead_of_failing():
    brief = BriefFactory(title="Before")
    first_has_read = threading.Event()
    second_has_read = threading.Event()
    errors = []

    def edit(title, has_read, wait_for):
        try:
            with transaction.atomic():
                Brief.objects.get(pk=brief.pk)
                has_read.set()
                # Both read before either writes, when nothing makes one wait.
                if wait_for is not None:
                    wait_for.wait(timeout=1)
                Brief.objects.filter(pk=brief.pk).update(title=title)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(
        target=edit, args=("First", first_has_read, second_has_read)
    )
    first.start()
    first_has_read.wait(timeout=5)
    second = threading.Thread(target=edit, args=("Second", second_has_read, None))
    second.start()
    first.join()
    second.join()

    assert errors == []
    brief.refresh_from_db()
    assert brief.title == "Second"


def test_the_database_file_keeps_a_write_ahead_log(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"

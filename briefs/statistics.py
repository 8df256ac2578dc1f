"""The query planner's statistics after bulk loads."""

from django.db import connection


def analyze(tables):
    """Bring PostgreSQL's planner statistics of `tables` up to date.

    Autovacuum analyses a freshly filled table in its own time (or never, where
    it is off); until then the planner takes the table for nearly empty and
    picks plans that crawl at its real size. SQLite keeps no statistics until
    told to, and would then keep those figures for good, so it is left alone.
    """
    tables = sorted(set(tables))
    if connection.vendor != "postgresql" or not tables:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(quote(table) for table in tables))

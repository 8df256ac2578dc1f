"""Fast inserts of plain rows: ids reserved up front, COPY on PostgreSQL."""

from django.db import connection
from django.db.models import Max

from ..models import Brief, Bullet

BriefTopic = Brief.topics.through
BriefSource = Brief.sources.through
BriefVote = Brief.votes.through
BulletSource = Bullet.sources.through


def reserve_ids(model, count, after=0):
    """Return `count` primary keys for new `model` rows that nothing else will use.

    `after` is the last id this caller has reserved and not saved yet: without
    a sequence (SQLite), the table's highest id does not know of it.
    """
    if not count:
        # setval() refuses 0, which asking a fresh sequence for nothing would set.
        return range(0)
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            # Other writers wait for this transaction, so that none of them
            # takes a number between the two steps below.
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(table)} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            last = cursor.fetchone()[0]
        return range(last - count + 1, last + 1)
    start = max(model.objects.aggregate(top=Max("pk"))["top"] or 0, after) + 1
    return range(start, start + count)


def insert_rows(model, rows, computed=None):
    """Insert dicts of column values as they are (`auto_now` fields included):
    COPY on PostgreSQL, else one INSERT run for every row.

    `computed` maps more columns to expressions over the row's own columns,
    filled by one update of the inserted rows (their `id` column names them).
    """
    if not rows:
        return
    _insert(model, rows)
    if computed:
        inserted = model.objects.filter(pk__in=[row["id"] for row in rows])
        inserted.update(**computed)


def _insert(model, rows):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in rows[0])
    if connection.vendor != "postgresql":
        by_column = {field.attname: field for field in model._meta.concrete_fields}
        fields = [by_column[column] for column in rows[0]]
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [
                    [
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, row.values(), strict=True)
                    ]
                    for row in rows
                ],
            )
        return
    with connection.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row.values()))


def make_unique(model, field, rows, also_taken=()):
    """Add a suffix to each row's `field` that the database already holds (or
    that is in `also_taken`: rows about to be saved)."""
    original = {id(row): row[field] for row in rows}
    also_taken = set(also_taken)
    pending, attempt = rows, 1
    while pending:
        values = [row[field] for row in pending]
        taken = also_taken | set(
            model.objects.filter(**{f"{field}__in": values}).values_list(
                field, flat=True
            )
        )
        pending = [row for row in pending if row[field] in taken]
        attempt += 1
        for row in pending:
            row[field] = f"{original[id(row)]}-r{attempt}"

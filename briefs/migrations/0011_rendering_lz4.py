"""Compress the stored renderings with LZ4 on PostgreSQL.

Each brief stores about 30 kB of renderings. PostgreSQL's own compression
(pglz) costs about as much CPU as making them; LZ4 compresses several times
faster, and about as well for HTML and JSON. Values stored before keep their
compression until written again. A server without LZ4 keeps its default.
"""

from django.db import migrations

COLUMNS = ("page", "api_detail", "api_item")


def set_compression(method):
    def alter(apps, schema_editor):
        connection = schema_editor.connection
        # Column compression came with PostgreSQL 14; LZ4 needs a server built
        # with it (as distributions build it).
        if connection.vendor != "postgresql" or connection.pg_version < 140000:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'"
                " AND 'lz4' = ANY(enumvals)"
            )
            if cursor.fetchone() is None:
                return
        table = apps.get_model("briefs", "BriefRendering")._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} "
            + ", ".join(
                f"ALTER COLUMN {quote(column)} SET COMPRESSION {method}"
                for column in COLUMNS
            )
        )

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0010_briefrendering_card"),
    ]

    operations = [
        migrations.RunPython(set_compression("lz4"), set_compression("default")),
    ]

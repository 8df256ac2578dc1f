"""Compress the stored renderings with LZ4 on PostgreSQL.

Each brief stores about 30 kB of renderings. PostgreSQL's own compression
(pglz) costs about as much CPU as making them; LZ4 compresses several times
faster, and about as well for HTML and JSON. Values stored before keep their
compression until written again.
"""

from django.db import migrations

COLUMNS = ("page", "api_detail", "api_item")


def set_compression(method):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
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

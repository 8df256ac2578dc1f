"""Keep each brief's search vector in its row on PostgreSQL.

A row holds the title, the summary, the whole search text and its vector: past
2 kB PostgreSQL moves the largest values to the TOAST table, and the vector
(about 1.8 kB) went there in most rows. Every match test and every rank then
fetched it from there, about 12 µs a brief, which made ranking the newest 1,000
matches cost 12 ms. With STORAGE MAIN the search text moves out first and the
vector stays in the row.
"""

from django.db import migrations


def keep_vectors_inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE briefs_brief ALTER COLUMN search_vector SET STORAGE MAIN"
    )
    # Values stored before keep their place until written again; appending an
    # empty vector gives an equal value that PostgreSQL stores anew.
    schema_editor.execute(
        "UPDATE briefs_brief SET search_vector = search_vector || ''::tsvector "
        "WHERE search_vector IS NOT NULL"
    )


def allow_vectors_out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE briefs_brief ALTER COLUMN search_vector SET STORAGE EXTENDED"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0008_brief_renderings"),
    ]

    operations = [
        migrations.RunPython(keep_vectors_inline, allow_vectors_out_of_line),
    ]

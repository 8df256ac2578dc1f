import django.contrib.postgres.search
from django.db import migrations

OLD_INDEX = "brief_search_document_gin"
NEW_INDEX = "brief_search_vector_gin"

WEIGHTED = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(search_document, '')), 'C')"
)


def store_vectors(apps, schema_editor):
    # PostgreSQL only: ranking reads this stored vector instead of parsing every
    # matching brief again, and the GIN index moves onto it.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"UPDATE briefs_brief SET search_vector = {WEIGHTED}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {NEW_INDEX} ON briefs_brief USING GIN (search_vector)"
    )


def restore_expression_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {OLD_INDEX} ON briefs_brief USING GIN "
        "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0005_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="brief",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="The search text weighted (title, summary, the rest), "
                "stored on PostgreSQL for ranked full-text search; empty elsewhere.",
                null=True,
            ),
        ),
        migrations.RunPython(store_vectors, restore_expression_index),
    ]

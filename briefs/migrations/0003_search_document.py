from django.db import migrations, models

INDEX_NAME = "brief_search_document_gin"


def fill_search_documents(apps, schema_editor):
    Brief = apps.get_model("briefs", "Brief")
    Bullet = apps.get_model("briefs", "Bullet")
    for brief in Brief.objects.all():
        bullets = Bullet.objects.filter(section__brief=brief).values_list(
            "text", flat=True
        )
        parts = [brief.title, brief.summary, *bullets]
        Brief.objects.filter(pk=brief.pk).update(
            search_document="\n".join(part for part in parts if part)
        )


def add_search_index(apps, schema_editor):
    # PostgreSQL only: the same expression as briefs.search.INDEXED_VECTOR.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX {INDEX_NAME} ON briefs_brief USING GIN "
        "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("briefs", "0002_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="brief",
            name="search_document",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Title, summary and bullet text, kept for full-text search.",
            ),
        ),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]

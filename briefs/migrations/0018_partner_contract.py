"""Partners: a permanent UUID per brief, old slugs that redirect, tombstones of
withdrawn briefs and embargoes. The Partners group is kept by `briefs.roles`."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

UUID_HELP = (
    "The brief's permanent identifier (its `id` in the API and feeds): it never "
    "changes and is never given to another brief."
)


def give_uuids(apps, schema_editor):
    Brief = apps.get_model("briefs", "Brief")
    briefs = list(Brief.objects.filter(uuid__isnull=True).only("pk"))
    for brief in briefs:
        brief.uuid = uuid.uuid4()
    Brief.objects.bulk_update(briefs, ["uuid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0017_notes_and_presence"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="brief",
            options={
                "ordering": ["-published_at", "-id"],
                "permissions": [
                    (
                        "publish_brief",
                        "Can publish, schedule, unpublish and archive briefs",
                    ),
                    (
                        "syndicate_brief",
                        "Can receive embargoed briefs and withdrawals through the API",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="brief",
            name="embargo_until",
            field=models.DateTimeField(
                blank=True,
                help_text="Partners receive the published brief through the API "
                "at once; readers, feeds, sitemaps and search see it only from "
                "this time on. Leave empty for no embargo.",
                null=True,
                verbose_name="embargo until",
            ),
        ),
        # Added empty, filled, then made unique: a default would give every
        # existing brief the same value.
        migrations.AddField(
            model_name="brief",
            name="uuid",
            field=models.UUIDField(
                editable=False, null=True, help_text=UUID_HELP, verbose_name="UUID"
            ),
        ),
        migrations.RunPython(give_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="brief",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text=UUID_HELP,
                unique=True,
                verbose_name="UUID",
            ),
        ),
        migrations.AlterField(
            model_name="brief",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="The address of the brief (/briefs/<slug>/). Made from "
                "the title when left empty. Once published, an old address keeps "
                "working: it redirects to the new one.",
                max_length=220,
                unique=True,
            ),
        ),
        migrations.CreateModel(
            name="BriefSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("slug", models.SlugField(max_length=220, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
                (
                    "brief",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_slugs",
                        to="briefs.brief",
                    ),
                ),
            ],
            options={"verbose_name": "old slug", "ordering": ["-created_at", "-id"]},
        ),
        migrations.CreateModel(
            name="Withdrawal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("uuid", models.UUIDField(unique=True, verbose_name="UUID")),
                ("slug", models.SlugField(max_length=220)),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("unpublished", "Unpublished"),
                            ("archived", "Archived"),
                            ("deleted", "Deleted"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
                (
                    "brief",
                    models.OneToOneField(
                        blank=True,
                        help_text="Empty once the brief is deleted.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="withdrawal",
                        to="briefs.brief",
                    ),
                ),
            ],
            options={
                "ordering": ["withdrawn_at", "id"],
                "indexes": [
                    models.Index(
                        fields=["withdrawn_at", "id"],
                        name="briefs_with_withdra_7819b4_idx",
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="pagegeneration",
            name="next_publication",
            field=models.DateTimeField(
                blank=True,
                help_text="When the next scheduled or embargoed brief goes live: "
                "the generation moves then too.",
                null=True,
            ),
        ),
    ]

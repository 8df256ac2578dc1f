"""Reference data: the UN bodies whose votes briefs report.

The Writers and Editors groups are kept by `briefs.roles` after every migrate.
"""

from django.db import migrations

SECURITY_COUNCIL_PERMANENT = [
    ("CHN", "China"),
    ("FRA", "France"),
    ("RUS", "Russian Federation"),
    ("GBR", "United Kingdom"),
    ("USA", "United States"),
]

def add_bodies(apps, schema_editor):
    Body = apps.get_model("briefs", "Body")
    PermanentMember = apps.get_model("briefs", "PermanentMember")
    Body.objects.update_or_create(
        slug="un-general-assembly",
        defaults={
            "name": "UN General Assembly",
            "short_name": "General Assembly",
            "seats": 193,
            "min_yes": None,
        },
    )
    council, _ = Body.objects.update_or_create(
        slug="un-security-council",
        defaults={
            "name": "UN Security Council",
            "short_name": "Security Council",
            "seats": 15,
            "min_yes": 9,
        },
    )
    for code, name in SECURITY_COUNCIL_PERMANENT:
        PermanentMember.objects.update_or_create(
            body=council, code=code, defaults={"name": name}
        )


def remove_bodies(apps, schema_editor):
    Body = apps.get_model("briefs", "Body")
    Body.objects.filter(
        slug__in=["un-general-assembly", "un-security-council"], votes__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_bodies, remove_bodies),
    ]

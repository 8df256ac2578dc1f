"""Reference data: the UN bodies whose votes briefs report, and the two groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECURITY_COUNCIL_PERMANENT = [
    ("CHN", "China"),
    ("FRA", "France"),
    ("RUS", "Russian Federation"),
    ("GBR", "United Kingdom"),
    ("USA", "United States"),
]

CONTENT_MODELS = [
    "brief",
    "section",
    "bullet",
    "source",
    "topic",
    "vote",
    "voteposition",
]

WRITER_PERMISSIONS = [
    f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "view")
] + ["view_body", "view_permanentmember", "view_correction"]

EDITOR_PERMISSIONS = WRITER_PERMISSIONS + [
    f"delete_{model}" for model in CONTENT_MODELS
] + ["add_correction", "change_correction", "delete_correction", "publish_brief"]


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


def add_groups(apps, schema_editor):
    # Permissions are normally made after migrate; the groups need them now.
    app_config = apps.get_app_config("briefs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (
        ("Writers", WRITER_PERMISSIONS),
        ("Editors", EDITOR_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="briefs", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Writers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_bodies, remove_bodies),
        migrations.RunPython(add_groups, remove_groups),
    ]

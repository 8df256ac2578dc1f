from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from briefs import roles


def test_migrate_creates_a_missing_group(db):
    Group.objects.filter(name="Writers").delete()

    call_command("migrate", verbosity=0)

    writers = Group.objects.get(name="Writers")
    assert set(writers.permissions.values_list("codename", flat=True)) == set(
        roles.WRITER_PERMISSIONS
    )


def test_migrate_gives_back_a_permission_a_group_lost(db):
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="publish_brief"))

    call_command("migrate", verbosity=0)

    assert editors.permissions.filter(codename="publish_brief").exists()


def test_migrate_keeps_a_permission_granted_by_hand(db):
    writers = Group.objects.get(name="Writers")
    writers.permissions.add(Permission.objects.get(codename="delete_bullet"))

    call_command("migrate", verbosity=0)

    assert writers.permissions.filter(codename="delete_bullet").exists()


def test_every_listed_permission_exists(db):
    for codenames in roles.ROLES.values():
        found = Permission.objects.filter(
            content_type__app_label="briefs", codename__in=codenames
        )
        assert found.count() == len(set(codenames))

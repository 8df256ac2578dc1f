import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from briefs import roles
from tests.factories import UserFactory


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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Writers", "Editors"])
def test_joining_a_newsroom_group_opens_the_admin(role):
    user = UserFactory(username="newcomer", is_staff=False)
    user.groups.add(Group.objects.get(name=role))
    assert get_user_model().objects.get(pk=user.pk).is_staff


@pytest.mark.django_db
def test_a_group_given_members_makes_them_staff():
    user = UserFactory(username="newcomer", is_staff=False)
    Group.objects.get(name="Writers").user_set.add(user)
    assert get_user_model().objects.get(pk=user.pk).is_staff


@pytest.mark.django_db
def test_the_partners_group_does_not_open_the_admin():
    user = UserFactory(username="partner", is_staff=False)
    user.groups.add(Group.objects.get(name="Partners"))
    assert not get_user_model().objects.get(pk=user.pk).is_staff

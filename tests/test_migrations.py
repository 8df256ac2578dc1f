from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_only_editors_may_publish():
    editors = Group.objects.get(name="Editors")
    writers = Group.objects.get(name="Writers")
    assert editors.permissions.filter(codename="publish_brief").exists()
    assert not writers.permissions.filter(codename="publish_brief").exists()
    assert writers.permissions.filter(codename="change_brief").exists()
    assert not writers.permissions.filter(codename="delete_brief").exists()


@pytest.mark.django_db
def test_group_permissions_reach_their_members(writer, editor):
    assert writer.has_perm("briefs.change_brief")
    assert not writer.has_perm("briefs.publish_brief")
    assert editor.has_perm("briefs.publish_brief")

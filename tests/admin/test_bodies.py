"""Editors manage bodies in the admin and merge duplicates."""

import pytest
from django.urls import reverse

from briefs.models import Body
from tests.factories import VoteFactory


@pytest.mark.django_db
def test_the_merge_action_moves_the_votes_of_the_selected_bodies(admin_client):
    keep = Body.objects.create(name="Riverton City Council", slug="riverton")
    duplicate = Body.objects.create(name="Riverton Council", slug="riverton-2")
    vote = VoteFactory(body=duplicate, yes=5, no=2, abstain=0)

    response = admin_client.post(
        reverse("admin:briefs_body_changelist"),
        {
            "action": "merge_into",
            "_selected_action": [duplicate.pk],
            "target": keep.pk,
        },
        follow=True,
    )

    assert "Merged into Riverton City Council" in response.content.decode()
    vote.refresh_from_db()
    assert vote.body == keep
    assert not Body.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.django_db
def test_the_merge_action_without_a_target_changes_nothing(admin_client):
    duplicate = Body.objects.create(name="Riverton Council", slug="riverton-2")
    response = admin_client.post(
        reverse("admin:briefs_body_changelist"),
        {"action": "merge_into", "_selected_action": [duplicate.pk]},
        follow=True,
    )
    assert "Choose the body to merge into" in response.content.decode()
    assert Body.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.django_db
def test_the_body_page_shows_the_rule_fields(admin_client):
    body = Body.objects.get(slug="un-security-council")
    page = admin_client.get(reverse("admin:briefs_body_change", args=[body.pk]))
    html = page.content.decode()
    for field in ("threshold_base", "share", "abstentions_count", "aliases", "kind"):
        assert f'name="{field}"' in html


@pytest.mark.django_db
def test_editors_may_manage_bodies_and_writers_only_view_them(editor, writer):
    assert editor.has_perm("briefs.change_body")
    assert editor.has_perm("briefs.add_permanentmember")
    assert writer.has_perm("briefs.view_body")
    assert not writer.has_perm("briefs.change_body")


@pytest.mark.django_db(transaction=True)
def test_reference_bodies_keep_their_rules_after_a_flush():
    assert Body.objects.get(slug="un-security-council").share == "fixed"

"""Every save is a revision; any revision can be compared and restored."""

import pytest
from django.urls import reverse
from reversion.models import Version

from briefs.admin.history import brief_versions, snapshot
from briefs.models import Bullet
from tests.factories import SourceFactory, VoteFactory

from .conftest import change_url, form_data


def save_through_admin(client, brief, **changes):
    data = form_data(client.get(change_url(brief)).text)
    data.update(changes)
    response = client.post(change_url(brief), data)
    assert response.status_code == 302, response.context["errors"]
    return response


def content(brief):
    """Return what a reader sees of `brief`, straight from the database."""
    brief.refresh_from_db()
    return (
        brief.title,
        brief.summary,
        sorted(brief.votes.values_list("pk", flat=True)),
        [
            (
                section.heading,
                [
                    (b.text, b.attribution, sorted(s.pk for s in b.sources.all()))
                    for b in section.bullets.order_by("position", "id")
                ],
            )
            for section in brief.sections.order_by("position", "id")
        ],
    )


@pytest.mark.django_db
def test_each_admin_save_records_a_revision_with_author_and_content(
    client, superuser, full_brief
):
    client.force_login(superuser)
    save_through_admin(client, full_brief, title="Assembly backs a ceasefire call")
    versions = brief_versions(full_brief)
    # The state before the first edit, then the edit.
    assert versions.count() == 2
    revision = versions.first().revision
    assert revision.user == superuser
    stored = snapshot(revision)
    assert stored.fields["title"] == "Assembly backs a ceasefire call"
    assert [len(s.bullets) for s in stored.sections] == [2, 1]
    assert stored.fields["votes"] == tuple(
        full_brief.votes.values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_restoring_a_revision_brings_back_sections_bullets_and_votes(
    client, superuser, full_brief
):
    client.force_login(superuser)
    save_through_admin(client, full_brief)
    before = content(full_brief)
    first_revision = brief_versions(full_brief).first()

    # Edit everything: a bullet's text and sources, remove a section, add a
    # bullet, change the votes.
    data = form_data(client.get(change_url(full_brief)).text)
    data["sections-0-bullets-0-text"] = "Members met in a closed session."
    data["sections-0-bullets-1-sources"] = [str(SourceFactory().pk)]
    data["sections-1-DELETE"] = "on"
    data["sections-0-bullets-TOTAL_FORMS"] = "3"
    data.update(
        {
            "sections-0-bullets-2-text": "A new claim appears.",
            "sections-0-bullets-2-attribution": "fact",
            "sections-0-bullets-2-position": "5",
            "sections-0-bullets-2-section": data["sections-0-id"],
        }
    )
    data["votes"] = [str(VoteFactory().pk)]
    assert client.post(change_url(full_brief), data).status_code == 302
    assert content(full_brief) != before
    versions_before_restore = brief_versions(full_brief).count()

    response = client.post(
        reverse("admin:briefs_brief_restore", args=[full_brief.pk, first_revision.pk])
    )

    assert response.status_code == 302
    assert content(full_brief) == before
    assert not Bullet.objects.filter(text="A new claim appears.").exists()
    versions = brief_versions(full_brief)
    assert versions.count() == versions_before_restore + 1
    assert "Restored" in versions.first().revision.get_comment()
    assert (
        snapshot(versions.first().revision).content()
        == snapshot(first_revision.revision).content()
    )


@pytest.mark.django_db
def test_restoring_keeps_the_workflow_state_and_moves_the_version_on(
    client, editor, full_brief
):
    client.force_login(editor)
    save_through_admin(client, full_brief)
    old = brief_versions(full_brief).first()
    client.post(
        reverse("admin:briefs_brief_transition", args=[full_brief.pk, "publish"])
    )
    full_brief.refresh_from_db()
    version_before = full_brief.version
    client.post(reverse("admin:briefs_brief_restore", args=[full_brief.pk, old.pk]))
    full_brief.refresh_from_db()
    assert full_brief.status == "published"
    assert full_brief.version == version_before + 1


@pytest.mark.django_db
def test_history_diff_names_changed_added_and_removed_bullets(
    client, superuser, full_brief
):
    client.force_login(superuser)
    save_through_admin(client, full_brief)
    data = form_data(client.get(change_url(full_brief)).text)
    data["sections-0-bullets-0-text"] = "Members met in a closed session."
    data["sections-1-bullets-0-DELETE"] = "on"
    data["sections-1-bullets-TOTAL_FORMS"] = "2"
    data.update(
        {
            "sections-1-bullets-1-text": "Observers expect a long debate.",
            "sections-1-bullets-1-attribution": "fact",
            "sections-1-bullets-1-position": "9",
            "sections-1-bullets-1-section": data["sections-1-id"],
        }
    )
    assert client.post(change_url(full_brief), data).status_code == 302
    newer, older = brief_versions(full_brief)[:2]

    response = client.get(
        reverse("admin:briefs_brief_compare", args=[full_brief.pk]),
        {"a": older.pk, "b": newer.pk},
    )

    changes = {(c.kind, c.where) for c in response.context["changes"]}
    assert ("changed", "Section 1, bullet 1") in changes
    assert ("added", "Section 2, bullet 1") in changes
    assert ("removed", "Section 2, bullet") in changes
    assert "<del>an emergency</del>" in response.text
    assert "<ins>a closed</ins>" in response.text


@pytest.mark.django_db
def test_history_page_lists_revisions_with_their_authors(client, superuser, full_brief):
    client.force_login(superuser)
    save_through_admin(client, full_brief)
    save_through_admin(client, full_brief, title="A second title for the brief")
    response = client.get(reverse("admin:briefs_brief_history", args=[full_brief.pk]))
    assert response.status_code == 200
    assert len(response.context["versions"]) == 3
    assert response.text.count("<td>chief</td>") == 2


@pytest.mark.django_db
def test_writer_without_change_permission_cannot_restore(client, full_brief, db):
    from tests.factories import UserFactory

    reader = UserFactory(username="reader")
    from django.contrib.auth.models import Permission

    reader.user_permissions.add(Permission.objects.get(codename="view_brief"))
    chief = UserFactory(username="chief", is_superuser=True)
    client.force_login(chief)
    save_through_admin(client, full_brief)
    version = Version.objects.get_for_object(full_brief).first()
    client.force_login(reader)
    response = client.post(
        reverse("admin:briefs_brief_restore", args=[full_brief.pk, version.pk])
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_restoring_a_revision_cannot_break_the_checklist_of_a_live_brief(
    client, editor, full_brief
):
    client.force_login(editor)
    # A revision in which a claim is alleged without a source: fine for a draft.
    save_through_admin(
        client, full_brief, **{"sections-0-bullets-0-attribution": "alleged"}
    )
    unsourced = brief_versions(full_brief).first()
    save_through_admin(
        client, full_brief, **{"sections-0-bullets-0-attribution": "fact"}
    )
    client.post(
        reverse("admin:briefs_brief_transition", args=[full_brief.pk, "publish"])
    )
    full_brief.refresh_from_db()
    assert full_brief.status == "published"

    response = client.post(
        reverse("admin:briefs_brief_restore", args=[full_brief.pk, unsourced.pk]),
        follow=True,
    )

    assert "must cite a source" in response.text
    assert not Bullet.objects.filter(attribution="alleged").exists()
    full_brief.refresh_from_db()
    assert full_brief.status == "published"
    assert full_brief.publish_problems() == []

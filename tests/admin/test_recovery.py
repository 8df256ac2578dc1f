"""A deleted brief comes back from its history with everything it held."""

import datetime

import pytest
from django.urls import reverse
from reversion.models import Version

from briefs.admin.history import deleted_briefs
from briefs.models import Brief, Correction
from tests.api.conftest import client_for
from tests.factories import (
    BriefFactory,
    BulletFactory,
    CorrectionFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    VoteFactory,
)

from .conftest import change_url
from .test_revisions import save_through_admin

RECOVER_LIST = reverse("admin:briefs_brief_recoverlist")


def to_the_millisecond(value):
    # Revisions are JSON, which keeps times to the millisecond.
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def everything(brief_id):
    """Return all a brief holds, straight from the database, ids aside."""
    brief = Brief.objects.get(pk=brief_id)
    fields = {
        name: to_the_millisecond(getattr(brief, name))
        for name in (
            "title",
            "slug",
            "summary",
            "status",
            "published_at",
            "first_published_at",
            "last_updated_at",
            "created_at",
            "version",
        )
    }
    return (
        fields,
        sorted(brief.authors.values_list("username", flat=True)),
        sorted(brief.topics.values_list("slug", flat=True)),
        sorted(brief.sources.values_list("url", flat=True)),
        sorted(brief.votes.values_list("pk", flat=True)),
        [
            (
                section.heading,
                section.position,
                [
                    (
                        bullet.text,
                        bullet.position,
                        bullet.attribution,
                        sorted(bullet.sources.values_list("url", flat=True)),
                    )
                    for bullet in section.bullets.order_by("position", "id")
                ],
            )
            for section in brief.sections.order_by("position", "id")
        ],
        sorted(
            (kind, text, to_the_millisecond(at))
            for kind, text, at in brief.corrections.values_list(
                "kind", "text", "published_at"
            )
        ),
    )


@pytest.fixture
def rich_brief(db):
    """A published, corrected brief with sections, cited bullets, votes, topics."""
    author = UserFactory(username="reporter")
    brief = BriefFactory(published=True, title="Assembly backs a ceasefire call")
    brief.authors.add(author)
    brief.topics.add(TopicFactory(), TopicFactory())
    first_source, second_source = SourceFactory(), SourceFactory()
    brief.sources.add(first_source)
    brief.votes.add(VoteFactory(), VoteFactory())
    for position, heading in enumerate(("What happened", "What comes next")):
        section = SectionFactory(brief=brief, heading=heading, position=position)
        BulletFactory(section=section, position=0, sources=[first_source])
        BulletFactory(
            section=section,
            position=1,
            text="Delegates reportedly traded drafts overnight.",
            attribution="reported",
            sources=[first_source, second_source],
        )
    CorrectionFactory(brief=brief)
    return brief


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def delete_in_admin(client, brief):
    url = reverse("admin:briefs_brief_delete", args=[brief.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Brief.objects.filter(pk=brief.pk).exists()


def recover_in_admin(client, title):
    page = client.get(RECOVER_LIST)
    assert page.status_code == 200
    assert title in page.text
    (version,) = [v for v in deleted_briefs() if v.object_repr == title]
    return client.post(reverse("admin:briefs_brief_recover", args=[version.pk]))


@pytest.mark.django_db
def test_an_editor_recovers_a_brief_deleted_in_the_admin_with_all_its_content(
    editor_client, rich_brief
):
    before = everything(rich_brief.pk)

    delete_in_admin(editor_client, rich_brief)
    assert not Correction.objects.exists()
    response = recover_in_admin(editor_client, rich_brief.title)

    assert response.status_code == 302
    assert response["Location"] == change_url(rich_brief)
    assert everything(rich_brief.pk) == before
    assert Brief.objects.published().filter(pk=rich_brief.pk).exists()


@pytest.mark.django_db
def test_a_brief_deleted_through_the_api_is_recovered_in_the_admin(
    editor_client, editor, rich_brief
):
    before = everything(rich_brief.pk)

    response = client_for(editor).delete(f"/api/v1/briefs/{rich_brief.slug}/")
    assert response.status_code == 204
    assert not Brief.objects.filter(pk=rich_brief.pk).exists()
    recover_in_admin(editor_client, rich_brief.title)

    assert everything(rich_brief.pk) == before


@pytest.mark.django_db
def test_briefs_deleted_from_the_list_are_each_recoverable(editor_client):
    briefs = [BriefFactory(title=f"Brief number {n}") for n in range(3)]
    for brief in briefs:
        SectionFactory(brief=brief)

    response = editor_client.post(
        reverse("admin:briefs_brief_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [b.pk for b in briefs],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Brief.objects.exists()
    assert sorted(v.object_repr for v in deleted_briefs()) == [b.title for b in briefs]


@pytest.mark.django_db
def test_recovery_brings_back_the_last_edit_made_in_the_admin(
    editor_client, rich_brief
):
    save_through_admin(
        editor_client, rich_brief, title="Assembly backs a truce", summary="x" * 50
    )
    before = everything(rich_brief.pk)

    delete_in_admin(editor_client, rich_brief)
    recover_in_admin(editor_client, "Assembly backs a truce")

    assert everything(rich_brief.pk)[0]["title"] == "Assembly backs a truce"
    assert everything(rich_brief.pk)[1:] == before[1:]


@pytest.mark.django_db
def test_recovery_is_recorded_in_the_brief_history(editor_client, editor, rich_brief):
    delete_in_admin(editor_client, rich_brief)
    recover_in_admin(editor_client, rich_brief.title)

    latest = Version.objects.get_for_object(rich_brief).first().revision
    assert latest.user == editor
    assert "Recovered" in latest.get_comment()
    page = editor_client.get(
        reverse("admin:briefs_brief_history", args=[rich_brief.pk])
    )
    assert "Recovered after it was deleted." in page.text
    assert list(deleted_briefs()) == []


@pytest.mark.django_db
def test_a_writer_may_not_bring_a_published_brief_back_online(
    client, editor_client, writer, rich_brief
):
    delete_in_admin(editor_client, rich_brief)
    client.force_login(writer)

    page = client.get(RECOVER_LIST)
    response = recover_in_admin(client, rich_brief.title)

    assert "an editor may recover it" in page.text
    assert response.status_code == 403
    assert not Brief.objects.filter(pk=rich_brief.pk).exists()


@pytest.mark.django_db
def test_a_writer_may_recover_a_deleted_draft(client, editor_client, writer):
    draft = BriefFactory(title="A draft deleted by mistake")
    SectionFactory(brief=draft)
    delete_in_admin(editor_client, draft)
    client.force_login(writer)

    response = recover_in_admin(client, draft.title)

    assert response.status_code == 302
    assert Brief.objects.get(pk=draft.pk).status == Brief.Status.DRAFT


@pytest.mark.django_db
def test_recovery_refuses_clearly_when_another_brief_took_the_address(
    editor_client, rich_brief
):
    delete_in_admin(editor_client, rich_brief)
    BriefFactory(title="A newer brief", slug=rich_brief.slug)

    response = recover_in_admin(editor_client, rich_brief.title)

    assert response.status_code == 302
    assert response["Location"] == RECOVER_LIST
    message = editor_client.get(RECOVER_LIST).text
    assert "now has the address" in message
    assert not Brief.objects.filter(pk=rich_brief.pk).exists()


@pytest.mark.django_db
def test_recovery_refuses_clearly_when_a_cited_source_was_deleted(
    editor_client, rich_brief
):
    source = rich_brief.sources.get()
    delete_in_admin(editor_client, rich_brief)
    source.delete()

    recover_in_admin(editor_client, rich_brief.title)

    assert "cannot come back whole" in editor_client.get(RECOVER_LIST).text
    assert not Brief.objects.filter(pk=rich_brief.pk).exists()


@pytest.mark.django_db
def test_restoring_an_old_revision_leaves_the_corrections_as_they_are(
    editor_client, rich_brief
):
    save_through_admin(
        editor_client,
        rich_brief,
        title="Assembly backs a truce",
        **{"corrections-0-text": "The abstentions were wrong."},
    )
    old = Version.objects.get_for_object(rich_brief).first()
    save_through_admin(
        editor_client,
        rich_brief,
        **{"corrections-0-text": "The abstentions were 65, not 56."},
    )

    editor_client.post(
        reverse("admin:briefs_brief_restore", args=[rich_brief.pk, old.pk])
    )

    rich_brief.refresh_from_db()
    assert rich_brief.title == "Assembly backs a truce"
    assert list(rich_brief.corrections.values_list("text", flat=True)) == [
        "The abstentions were 65, not 56."
    ]

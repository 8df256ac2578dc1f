"""Editing a live brief in the admin: a writer's edit waits as a pending draft."""

import pytest
from django.urls import reverse

from briefs.models import Brief, PendingDraft
from briefs.services import brief_update, draft_save
from briefs.services.drafts import brief_data
from tests.factories import (
    BriefFactory,
    SourceFactory,
    UserFactory,
    live_brief,
)

from .conftest import change_url, form_data

SUMMARY = "The council adopted its budget after members argued about the cuts."
NEW_TITLE = "Council adopts a leaner budget"


@pytest.fixture
def live(db):
    return live_brief(title="Council adopts budget", summary=SUMMARY)


def edit(client, brief, button="_save", **changes):
    data = form_data(client.get(change_url(brief)).text)
    data.update(changes)
    data[button] = "1"
    return client.post(change_url(brief), data)


@pytest.mark.django_db
def test_writer_edit_of_a_live_brief_is_saved_as_a_pending_draft(client, writer, live):
    client.force_login(writer)
    response = edit(client, live, title=NEW_TITLE)
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Council adopts budget"
    draft = PendingDraft.objects.get(brief=live)
    assert draft.data["title"] == NEW_TITLE
    assert draft.author == writer
    assert draft.data["sections"] == brief_data(live)["sections"]


@pytest.mark.django_db
def test_writer_edit_of_sections_goes_into_the_draft_only(client, writer, live):
    client.force_login(writer)
    edit(client, live, **{"sections-0-heading": "What the council did"})
    live.refresh_from_db()
    assert live.sections.get().heading == "What happened"
    draft = PendingDraft.objects.get(brief=live)
    assert draft.data["sections"][0]["heading"] == "What the council did"
    assert len(draft.data["sections"][0]["bullets"]) == 2


@pytest.mark.django_db
def test_every_public_surface_keeps_the_live_version(client, writer, live):
    client.force_login(writer)
    edit(client, live, title=NEW_TITLE, summary=SUMMARY + " Draft words zebra.")
    client.logout()
    page = client.get(live.get_absolute_url()).text
    assert "Council adopts budget" in page and NEW_TITLE not in page
    listing = client.get("/api/v1/briefs/").json()["results"]
    assert [item["title"] for item in listing] == ["Council adopts budget"]
    detail = client.get(f"/api/v1/briefs/{live.slug}/").json()
    assert detail["title"] == "Council adopts budget"
    for feed in ("/feeds/rss/", "/feeds/atom/"):
        text = client.get(feed).content.decode()
        assert "Council adopts budget" in text and NEW_TITLE not in text
    assert "Council adopts budget" in client.get("/search/?q=budget").text
    assert live.title not in client.get("/search/?q=zebra").text


@pytest.mark.django_db
def test_the_change_page_shows_the_pending_draft(client, writer, editor, live):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    client.force_login(editor)
    page = client.get(change_url(live)).text
    assert "Draft pending by" in page and "writer" in page
    assert reverse("admin:briefs_brief_draft", args=[live.pk]) in page
    assert "Publish the draft" in page and "Discard the draft" in page


@pytest.mark.django_db
def test_the_draft_page_shows_a_diff_of_live_and_draft(client, writer, editor, live):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    client.force_login(editor)
    page = client.get(reverse("admin:briefs_brief_draft", args=[live.pk])).text
    assert "Council adopts <ins>a leaner</ins> budget" in page


@pytest.mark.django_db
def test_a_writer_sees_no_publish_button_for_the_draft(client, writer, live):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    client.force_login(writer)
    page = client.get(change_url(live)).text
    assert "Publish the draft" not in page
    assert "Discard the draft" in page  # their own draft
    assert "Save as draft for an editor" in page


@pytest.mark.django_db
def test_writer_cannot_publish_the_draft_by_posting(client, writer, live):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    client.force_login(writer)
    url = reverse("admin:briefs_brief_draft_action", args=[live.pk, "publish"])
    client.post(url)
    live.refresh_from_db()
    assert live.title == "Council adopts budget"
    assert PendingDraft.objects.filter(brief=live).exists()


@pytest.mark.django_db
def test_editor_publishes_the_draft(client, writer, editor, live):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    client.force_login(editor)
    url = reverse("admin:briefs_brief_draft_action", args=[live.pk, "publish"])
    response = client.post(url, follow=True)
    live.refresh_from_db()
    assert live.title == NEW_TITLE
    assert "The draft was published" in response.text
    client.logout()
    assert NEW_TITLE in client.get(live.get_absolute_url()).text


@pytest.mark.django_db
def test_the_checklist_refuses_a_failing_draft(client, writer, editor, live):
    draft_save(brief=live, user=writer, fields={"summary": "Too short."})
    client.force_login(editor)
    page = client.get(change_url(live)).text
    assert "The draft fails the publish checklist" in page
    url = reverse("admin:briefs_brief_draft_action", args=[live.pk, "publish"])
    response = client.post(url, follow=True)
    assert "The draft was not published and is kept" in response.text
    live.refresh_from_db()
    assert live.summary == SUMMARY


@pytest.mark.django_db
def test_editor_discards_the_draft(client, writer, editor, live):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    client.force_login(editor)
    url = reverse("admin:briefs_brief_draft_action", args=[live.pk, "discard"])
    client.post(url)
    assert not PendingDraft.objects.exists()
    live.refresh_from_db()
    assert live.title == "Council adopts budget"


@pytest.mark.django_db
def test_a_stale_draft_is_reported_and_needs_publishing_anyway(
    client, writer, editor, live
):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    brief_update(brief=live, fields={"summary": SUMMARY + " Corrected."})
    client.force_login(editor)
    assert "Publish the draft anyway" in client.get(change_url(live)).text
    url = reverse("admin:briefs_brief_draft_action", args=[live.pk, "publish"])
    response = client.post(url, follow=True)
    assert "changed since this draft was made" in response.text
    live.refresh_from_db()
    assert live.title == "Council adopts budget"
    client.post(url, {"force": "1"})
    live.refresh_from_db()
    assert live.title == NEW_TITLE


@pytest.mark.django_db
def test_editor_chooses_publish_changes_or_save_as_draft(client, editor, live):
    client.force_login(editor)
    page = client.get(change_url(live)).text
    assert 'name="_save_draft"' in page and "Publish changes" in page
    edit(client, live, button="_save_draft", title=NEW_TITLE)
    live.refresh_from_db()
    assert live.title == "Council adopts budget"
    assert PendingDraft.objects.get(brief=live).author == editor
    edit(client, live, title="Council adopts its budget at last")
    live.refresh_from_db()
    assert live.title == "Council adopts its budget at last"


@pytest.mark.django_db
def test_editor_publish_changes_is_judged_by_the_checklist(client, editor, live):
    client.force_login(editor)
    response = edit(client, live, summary="Too short.")
    assert response.status_code == 200
    assert "publish checklist" in response.text
    live.refresh_from_db()
    assert live.summary == SUMMARY


@pytest.mark.django_db
def test_writer_edit_of_an_unpublished_brief_is_saved_at_once(client, writer):
    brief = BriefFactory(title="A draft brief")
    client.force_login(writer)
    edit(client, brief, title="A draft brief, edited")
    brief.refresh_from_db()
    assert brief.title == "A draft brief, edited"
    assert not PendingDraft.objects.exists()


@pytest.mark.django_db
def test_another_writer_may_not_discard_the_draft(client, writer, live):
    draft_save(brief=live, user=writer, fields={"title": NEW_TITLE})
    client.force_login(UserFactory(username="other", writer=True))
    url = reverse("admin:briefs_brief_draft_action", args=[live.pk, "discard"])
    client.post(url)
    assert PendingDraft.objects.exists()


# Paste to replace -----------------------------------------------------------

PASTED = f"""{NEW_TITLE}

{SUMMARY}

What happened
- The council met on Monday.
- Members reportedly argued.
- The budget passed late at night.
"""


def paste_url(brief):
    return reverse("admin:briefs_brief_paste", args=[brief.pk])


@pytest.mark.django_db
def test_paste_page_offers_the_brief_as_text(client, editor, live):
    client.force_login(editor)
    page = client.get(paste_url(live)).text
    assert "- Members reportedly argued." in page


@pytest.mark.django_db
def test_paste_preview_shows_the_changes_and_saves_nothing(client, editor, live):
    client.force_login(editor)
    before = brief_data(live)
    page = client.post(paste_url(live), {"text": PASTED, "_preview": "1"}).text
    assert "<ins>The budget passed late at night.</ins>" in page
    assert "<ins>a leaner</ins>" in page
    assert 'name="_apply"' in page
    assert brief_data(Brief.objects.get(pk=live.pk)) == before


@pytest.mark.django_db
def test_paste_apply_by_an_editor_is_a_new_revision(client, editor, live):
    from reversion.models import Version

    client.force_login(editor)
    response = client.post(paste_url(live), {"text": PASTED, "_apply": "1"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == NEW_TITLE
    bullets = list(live.sections.get().bullets.order_by("position"))
    assert [b.text for b in bullets][-1] == "The budget passed late at night."
    assert bullets[1].sources.count() == 1
    revision = Version.objects.get_for_object(live).first().revision
    assert revision.comment == "Replaced by pasted plain text."


@pytest.mark.django_db
def test_paste_apply_by_a_writer_on_a_live_brief_becomes_the_draft(
    client, writer, live
):
    client.force_login(writer)
    client.post(paste_url(live), {"text": PASTED, "_apply": "1"})
    live.refresh_from_db()
    assert live.title == "Council adopts budget"
    assert PendingDraft.objects.get(brief=live).data["title"] == NEW_TITLE


@pytest.mark.django_db
def test_paste_on_an_unpublished_brief_by_a_writer_applies(client, writer):
    brief = BriefFactory(title="A draft brief", summary=SUMMARY)
    client.force_login(writer)
    client.post(paste_url(brief), {"text": PASTED, "_apply": "1"})
    brief.refresh_from_db()
    assert brief.title == NEW_TITLE
    assert brief.sections.get().bullets.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("button", ["_preview", "_apply"])
def test_a_malformed_paste_names_the_line_and_changes_nothing(
    client, editor, live, button
):
    client.force_login(editor)
    before = brief_data(live)
    text = "A title\n\nA summary.\n\nHeading\n- A bullet.\n\nLonely words\n"
    page = client.post(paste_url(live), {"text": text, button: "1"}).text
    assert "Nothing was changed. pasted text:8:" in page
    assert "neither a heading" in page
    assert brief_data(Brief.objects.get(pk=live.pk)) == before
    assert not PendingDraft.objects.exists()


@pytest.mark.django_db
def test_editor_paste_on_a_brief_with_a_pending_draft_replaces_the_live_version(
    client, writer, editor, live
):
    draft_save(brief=live, user=writer, fields={"title": "The writer's title"})
    client.force_login(editor)
    page = client.get(paste_url(live)).text
    assert "Council adopts budget" in page and "The writer&#x27;s title" not in page
    client.post(paste_url(live), {"text": PASTED, "_apply": "1"})
    live.refresh_from_db()
    assert live.title == NEW_TITLE
    draft = PendingDraft.objects.get(brief=live)
    assert draft.data["title"] == "The writer's title"
    assert draft.is_stale()


@pytest.mark.django_db
def test_writer_paste_on_a_live_brief_with_a_draft_starts_from_the_draft(
    client, writer, live
):
    draft_save(brief=live, user=writer, fields={"title": "The writer's title"})
    client.force_login(writer)
    assert "The writer&#x27;s title" in client.get(paste_url(live)).text


@pytest.mark.django_db
def test_a_draft_citing_a_deleted_source_shows_why_it_cannot_go_live(
    client, writer, editor, live
):
    source = SourceFactory()
    draft_save(brief=live, user=writer, sources=[source])
    source.delete()
    client.force_login(editor)
    page = client.get(change_url(live)).text
    assert "links to a source deleted since" in page

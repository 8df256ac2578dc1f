"""Pending drafts of live briefs: saved beside the live rows, published by editors."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from briefs import changes
from briefs.importer import BriefFormatError
from briefs.models import Brief, BriefRendering, PendingDraft
from briefs.services import (
    DraftError,
    LiveBriefError,
    StaleDraftError,
    brief_paste,
    brief_update,
    draft_discard,
    draft_publish,
    draft_save,
)
from briefs.services.drafts import brief_data, data_as_text, pasted_data
from tests.factories import (
    BriefFactory,
    SourceFactory,
    UserFactory,
    live_brief,
)

SUMMARY = "A summary long enough to pass the publish checklist of the newsroom."


@pytest.fixture
def writer(db):
    return UserFactory(username="writer", writer=True)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", editor=True)


@pytest.fixture
def live(db):
    return live_brief(title="Council passes budget", summary=SUMMARY)


@pytest.fixture
def events():
    seen = []

    def receiver(change, **kwargs):
        seen.append(change)

    changes.briefs_changed.connect(receiver)
    yield seen
    changes.briefs_changed.disconnect(receiver)


def test_draft_save_keeps_every_live_row(
    live, writer, django_capture_on_commit_callbacks
):
    before = brief_data(live)
    version = live.version
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        draft = draft_save(
            brief=live,
            user=writer,
            fields={"title": "Council passes a smaller budget"},
            sections=[{"heading": "New", "bullets": [{"text": "New text."}]}],
        )
    live.refresh_from_db()
    assert brief_data(live) == before
    assert live.version == version
    assert draft.data["title"] == "Council passes a smaller budget"
    assert draft.data["sections"][0]["heading"] == "New"
    assert draft.base_version == version
    assert callbacks == []


def test_draft_save_sends_no_change_event_and_retires_no_rendering(
    live, writer, events, django_capture_on_commit_callbacks
):
    rendering = BriefRendering.objects.filter(brief=live)
    before = list(rendering.values())
    with django_capture_on_commit_callbacks(execute=True):
        draft_save(brief=live, user=writer, fields={"title": "Another title"})
    assert events == []
    assert list(rendering.values()) == before


def test_draft_save_records_no_revision(live, writer):
    from reversion.models import Version

    count = Version.objects.count()
    draft_save(brief=live, user=writer, fields={"title": "Another title"})
    assert Version.objects.count() == count


def test_draft_save_on_the_draft_builds_on_it(live, writer):
    draft_save(brief=live, user=writer, fields={"title": "First edit of the title"})
    draft = draft_save(
        brief=live, user=writer, on_draft=True, fields={"summary": SUMMARY + " More."}
    )
    assert draft.data["title"] == "First edit of the title"
    assert draft.data["summary"].endswith("More.")
    assert PendingDraft.objects.count() == 1


def test_writer_cannot_publish_the_draft(live, writer):
    draft_save(brief=live, user=writer, fields={"title": "Writer's title"})
    with pytest.raises(PermissionDenied):
        draft_publish(brief=live, user=writer)
    live.refresh_from_db()
    assert live.title == "Council passes budget"


def test_editor_publishes_the_draft_as_a_new_revision(
    live, writer, editor, events, django_capture_on_commit_callbacks
):
    from reversion.models import Version

    draft_save(brief=live, user=writer, fields={"title": "Writer's title"})
    with django_capture_on_commit_callbacks(execute=True):
        brief = draft_publish(brief=live, user=editor)
    live.refresh_from_db()
    assert live.title == "Writer's title"
    assert not PendingDraft.objects.filter(brief=live).exists()
    revision = Version.objects.get_for_object(live).first().revision
    assert revision.comment == "Published the draft by writer."
    assert revision.user == editor
    assert brief.pk == live.pk
    assert events and events[-1].public and live.pk in events[-1].brief_ids


def test_publishing_keeps_sources_and_sections_of_the_draft(live, writer, editor):
    before = brief_data(live)
    draft_save(brief=live, user=writer, fields={"title": "Writer's title"})
    draft_publish(brief=live, user=editor)
    after = brief_data(Brief.objects.get(pk=live.pk))
    assert after["sections"] == before["sections"]


def test_checklist_refuses_a_failing_draft(live, writer, editor):
    draft_save(brief=live, user=writer, fields={"summary": "Too short."})
    with pytest.raises(LiveBriefError) as refusal:
        draft_publish(brief=live, user=editor)
    assert any("Summary" in message for message in refusal.value.messages)
    live.refresh_from_db()
    assert live.summary == SUMMARY
    assert PendingDraft.objects.filter(brief=live).exists()


def test_discard_leaves_the_live_brief(live, writer, editor):
    draft_save(brief=live, user=writer, fields={"title": "Writer's title"})
    draft_discard(brief=live, user=editor)
    live.refresh_from_db()
    assert live.title == "Council passes budget"
    assert not PendingDraft.objects.exists()


def test_another_writer_may_not_discard_a_draft(live, writer):
    draft_save(brief=live, user=writer, fields={"title": "Writer's title"})
    other = UserFactory(username="other", writer=True)
    with pytest.raises(PermissionDenied):
        draft_discard(brief=live, user=other)


def test_a_stale_draft_is_refused_until_forced(live, writer, editor):
    draft_save(brief=live, user=writer, fields={"title": "Writer's title"})
    brief_update(brief=live, fields={"summary": SUMMARY + " Corrected."})
    with pytest.raises(StaleDraftError) as refusal:
        draft_publish(brief=live, user=editor)
    assert "changed since this draft was made" in refusal.value.messages[0]
    live.refresh_from_db()
    assert live.title == "Council passes budget"
    draft_publish(brief=live, user=editor, force=True)
    live.refresh_from_db()
    assert live.title == "Writer's title"


def test_publishing_without_a_draft_is_refused(live, editor):
    with pytest.raises(DraftError):
        draft_publish(brief=live, user=editor)


def test_a_draft_citing_a_deleted_source_is_refused(live, writer, editor):
    source = SourceFactory()
    draft_save(brief=live, user=writer, sources=[source])
    source.delete()
    with pytest.raises(DraftError, match="deleted since"):
        draft_publish(brief=live, user=editor)


# Paste to replace ------------------------------------------------------------

PASTED = """Council passes a leaner budget

The council adopted a leaner budget after a long night of talks between its members.

What happened
- The council met on Monday.
- Members reportedly argued.
- The budget passed late at night.
"""


def test_pasted_text_keeps_unchanged_bullets_sources(live):
    data, new_votes, _ = pasted_data(brief=live, text=PASTED)
    bullets = data["sections"][0]["bullets"]
    assert data["title"] == "Council passes a leaner budget"
    assert (
        bullets[1]["sources"]
        == brief_data(live)["sections"][0]["bullets"][1]["sources"]
    )
    assert bullets[2] == {
        "text": "The budget passed late at night.",
        "attribution": "fact",
        "sources": [],
    }
    assert new_votes == []


def test_paste_by_an_editor_applies_a_new_revision(live, editor):
    brief, draft = brief_paste(brief=live, text=PASTED, user=editor)
    assert draft is None
    live.refresh_from_db()
    assert live.title == "Council passes a leaner budget"
    assert live.sections.get().bullets.count() == 3


def test_paste_by_a_writer_on_a_live_brief_becomes_the_draft(live, writer):
    brief, draft = brief_paste(brief=live, text=PASTED, user=writer)
    assert draft.data["title"] == "Council passes a leaner budget"
    live.refresh_from_db()
    assert live.title == "Council passes budget"


def test_malformed_paste_changes_nothing(live, editor):
    before = brief_data(live)
    with pytest.raises(BriefFormatError) as error:
        brief_paste(
            brief=live, text="Title\n\n- a bullet before any heading\n", user=editor
        )
    assert str(error.value).startswith("pasted text:3:")
    live.refresh_from_db()
    assert brief_data(live) == before


def test_brief_as_text_reads_back_the_same(live):
    data = brief_data(live)
    again, _, _ = pasted_data(brief=live, text=data_as_text(data))
    assert again == data


def test_draft_page_link_is_reversible(live):
    assert reverse("admin:briefs_brief_draft", args=[live.pk]).endswith("/draft/")


def test_a_discarded_block_records_nothing_in_the_enclosing_change(
    live, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), changes.collect():
        with changes.discarded():
            brief_update(brief=live, fields={"title": "Never saved"})
    live.refresh_from_db()
    assert live.title == "Council passes budget"
    assert events == []


def test_a_backup_restores_the_pending_draft(live, writer, tmp_path):
    from tests.test_backup import empty_the_database, export, import_

    draft_save(brief=live, user=writer, fields={"title": "Writer's title"})
    data = PendingDraft.objects.get().data
    path = export(tmp_path / "content.jsonl")
    empty_the_database()
    import_(path)
    draft = PendingDraft.objects.get()
    assert draft.data == data
    assert draft.brief.title == "Council passes budget"
    assert draft.author.username == "writer"


@pytest.mark.django_db
def test_pasting_a_sentence_that_looks_like_a_vote_but_cannot_be_read_is_refused(
    editor,
):
    brief = BriefFactory()
    text = (
        "A pasted brief\nA summary long enough for a brief of this kind to pass.\n"
        "The vote\n- The council voted 6-3 on the plan, with 2 councillors.\n"
    )

    with pytest.raises(BriefFormatError) as caught:
        brief_paste(brief=brief, text=text, user=editor)

    assert caught.value.line == 4
    assert "is not bound to a label" in caught.value.reason

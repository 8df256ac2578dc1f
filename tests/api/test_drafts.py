"""A writer's change to a live brief through the API waits as a pending draft."""

import pytest

from briefs.models import Brief, PendingDraft
from briefs.services import brief_update, draft_save

from .conftest import brief_with_content, if_match

NEW_TITLE = "Assembly calls for a ceasefire after a long debate"


@pytest.fixture
def live(db):
    return brief_with_content(sections=1, bullets=2, votes=0, title="Assembly meets")


def url(brief, tail=""):
    return f"/api/v1/briefs/{brief.slug}/{tail}"


def test_writer_patch_of_a_live_brief_answers_202_with_the_draft(writer_api, live):
    response = writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    assert response.status_code == 202
    assert response.data["content"]["title"] == NEW_TITLE
    assert response.data["author"] == "writer"
    assert response.data["stale"] is False
    assert response.data["problems"] == []


def test_writer_patch_leaves_the_live_brief_for_everyone(writer_api, api, live):
    version = live.version
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    live.refresh_from_db()
    assert live.title == "Assembly meets"
    assert live.version == version
    assert api.get(url(live)).json()["title"] == "Assembly meets"
    assert writer_api.get(url(live)).json()["title"] == "Assembly meets"
    titles = [item["title"] for item in api.get("/api/v1/briefs/").json()["results"]]
    assert titles == ["Assembly meets"]


def test_a_second_patch_builds_on_the_pending_draft(writer_api, live):
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    sections = [{"heading": "New heading", "bullets": [{"text": "A new claim."}]}]
    response = writer_api.patch(
        url(live),
        {"sections": sections},
        format="json",
        **if_match(writer_api, url(live)),
    )
    content = response.data["content"]
    assert content["title"] == NEW_TITLE
    assert content["sections"][0]["heading"] == "New heading"


def test_staff_read_the_pending_draft(writer_api, editor_api, live):
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    response = editor_api.get(url(live, "draft/"))
    assert response.status_code == 200
    assert response.data["content"]["title"] == NEW_TITLE
    assert response.data["brief"] == live.slug


def test_readers_cannot_read_a_pending_draft(writer_api, reader_api, api, live):
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    assert reader_api.get(url(live, "draft/")).status_code == 403
    assert api.get(url(live, "draft/")).status_code in (401, 403)


def test_no_pending_draft_is_a_404(editor_api, live):
    assert editor_api.get(url(live, "draft/")).status_code == 404


def test_writer_cannot_publish_the_draft(writer_api, live):
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    response = writer_api.post(url(live, "publish/"))
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.title == "Assembly meets"


def test_editor_publish_makes_the_draft_live(writer_api, editor_api, api, live):
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    response = editor_api.post(url(live, "publish/"))
    assert response.status_code == 200
    assert response.data["title"] == NEW_TITLE
    assert not PendingDraft.objects.exists()
    assert api.get(url(live)).json()["title"] == NEW_TITLE


def test_publish_refuses_a_draft_failing_the_checklist(writer_api, editor_api, live):
    writer_api.patch(
        url(live),
        {"summary": "Far too short."},
        format="json",
        **if_match(writer_api, url(live)),
    )
    response = editor_api.post(url(live, "publish/"))
    assert response.status_code == 400
    assert any("Summary" in m for m in response.data["non_field_errors"])
    assert PendingDraft.objects.filter(brief=live).exists()


def test_publish_of_a_stale_draft_is_a_409_until_forced(writer_api, editor_api, live):
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    brief_update(brief=Brief.objects.get(pk=live.pk), fields={"slug": live.slug})
    response = editor_api.post(url(live, "publish/"))
    assert response.status_code == 409
    assert "changed since" in response.data["detail"]
    response = editor_api.post(url(live, "publish/"), {"force": True}, format="json")
    assert response.status_code == 200
    assert response.data["title"] == NEW_TITLE


def test_editor_discards_the_draft(writer_api, editor_api, live):
    writer_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(live)),
    )
    assert editor_api.delete(url(live, "draft/")).status_code == 204
    assert not PendingDraft.objects.exists()
    live.refresh_from_db()
    assert live.title == "Assembly meets"


def test_editor_patch_of_a_live_brief_is_live_at_once(editor_api, live):
    response = editor_api.patch(
        url(live),
        {"title": NEW_TITLE},
        format="json",
        **if_match(editor_api, url(live)),
    )
    assert response.status_code == 200
    live.refresh_from_db()
    assert live.title == NEW_TITLE


def test_writer_patch_of_an_unpublished_brief_is_saved(writer_api, writer):
    brief = Brief.objects.get(pk=brief_with_content(votes=0).pk)
    Brief.objects.filter(pk=brief.pk).update(status="draft")
    response = writer_api.patch(
        url(brief),
        {"title": NEW_TITLE},
        format="json",
        **if_match(writer_api, url(brief)),
    )
    assert response.status_code == 200
    assert not PendingDraft.objects.exists()


def test_a_stale_if_match_on_a_writer_patch_is_412(writer_api, live):
    response = writer_api.patch(
        url(live), {"title": NEW_TITLE}, format="json", HTTP_IF_MATCH='"nope"'
    )
    assert response.status_code == 412
    assert not PendingDraft.objects.exists()


def test_bad_input_on_a_writer_patch_is_400_and_saves_no_draft(writer_api, live):
    response = writer_api.patch(
        url(live), {"title": ""}, format="json", **if_match(writer_api, url(live))
    )
    assert response.status_code == 400
    assert not PendingDraft.objects.exists()


@pytest.mark.parametrize("size", [1, 6])
def test_draft_read_is_a_constant_number_of_queries(
    editor_api, writer, size, django_assert_max_num_queries
):
    brief = brief_with_content(sections=size, bullets=size, votes=1)
    draft_save(brief=brief, user=writer, fields={"title": NEW_TITLE})
    # The same for both sizes: the draft is worked out in a rolled-back
    # savepoint and read as the detail reads a brief (its lead image included).
    with django_assert_max_num_queries(58):
        assert editor_api.get(url(brief, "draft/")).status_code == 200

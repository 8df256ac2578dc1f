import base64
import datetime
import json
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from rest_framework.test import APIClient

from briefs.models import Brief, BriefRendering, Bullet, Source, Vote
from briefs.services import vote_save
from tests import factories
from tests.api.conftest import (
    brief_with_content,
    if_match,
    published_brief,
    scheduled_brief,
)

LIST = "/api/v1/briefs/"


def detail(brief):
    return f"/api/v1/briefs/{brief.slug}/"


def slugs(response):
    return [row["slug"] for row in response.json()["results"]]


# Representation --------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_a_light_representation(api):
    brief = published_brief()
    topic = factories.TopicFactory(slug="ukraine")
    brief.topics.add(topic)

    response = api.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    row = body["results"][0]
    assert row["slug"] == brief.slug
    assert row["topics"] == ["ukraine"]
    assert row["url"] == f"http://127.0.0.1:8000/briefs/{brief.slug}/"
    assert row["api_url"].endswith(detail(brief))
    assert "sections" not in row


@pytest.mark.django_db
def test_detail_nests_sections_bullets_votes_sources_and_corrections(api):
    brief = brief_with_content(sections=2, bullets=2, votes=1)
    bullet_source = factories.SourceFactory(title="Only a bullet cites this")
    first_bullet = Bullet.objects.filter(section__brief=brief).first()
    first_bullet.sources.add(bullet_source)

    data = api.get(detail(brief)).json()

    assert [len(s["bullets"]) for s in data["sections"]] == [2, 2]
    bullet = data["sections"][0]["bullets"][0]
    assert set(bullet) == {"id", "text", "attribution", "position", "sources"}
    assert bullet_source.pk in bullet["sources"]
    # Every id a bullet cites is in the brief's own list of sources.
    listed = {s["id"] for s in data["sources"]}
    cited = {i for s in data["sections"] for b in s["bullets"] for i in b["sources"]}
    assert cited <= listed
    vote = data["votes"][0]
    assert (vote["yes"], vote["no"], vote["abstain"]) == (93, 18, 65)
    assert len(vote["positions"]) == 193
    assert data["corrections"][0]["kind"] == "correction"
    assert data["first_published_at"] and data["last_updated_at"]
    assert data["url"].endswith(f"/briefs/{brief.slug}/")
    assert data["topics"][0]["slug"]


# Visibility -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["api", "reader_api"])
def test_readers_see_no_drafts_scheduled_or_archived_briefs(request, client_name):
    client = request.getfixturevalue(client_name)
    visible = published_brief()
    hidden = [
        factories.BriefFactory(),
        scheduled_brief(),
        factories.BriefFactory(status="archived"),
    ]

    assert slugs(client.get(LIST)) == [visible.slug]
    for brief in hidden:
        assert client.get(detail(brief)).status_code == 404


@pytest.mark.django_db
def test_staff_with_view_permission_see_drafts(writer_api):
    draft = factories.BriefFactory()

    assert draft.slug in slugs(writer_api.get(LIST))
    assert writer_api.get(detail(draft)).status_code == 200


# Filters --------------------------------------------------------------------


@pytest.mark.django_db
def test_filter_by_topic(api):
    topic = factories.TopicFactory(slug="gaza")
    on_topic = published_brief(topics=[topic, factories.TopicFactory()])
    published_brief()

    assert slugs(api.get(LIST, {"topic": "gaza"})) == [on_topic.slug]


@pytest.mark.django_db
def test_filter_by_unknown_topic_is_a_400_naming_it(api):
    response = api.get(LIST, {"topic": "no-such-topic"})

    assert response.status_code == 400
    assert "topic" in response.json()


@pytest.mark.django_db
def test_filter_by_publication_window(api):
    now = timezone.now()
    old = published_brief(published_at=now - datetime.timedelta(days=10))
    recent = published_brief(published_at=now - datetime.timedelta(days=1))
    middle = (now - datetime.timedelta(days=5)).isoformat()

    assert slugs(api.get(LIST, {"published_after": middle})) == [recent.slug]
    assert slugs(api.get(LIST, {"published_before": middle})) == [old.slug]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "parameter", ["published_after", "published_before", "updated_after"]
)
def test_bad_date_filter_is_a_400_naming_the_parameter(api, parameter):
    response = api.get(LIST, {parameter: "last tuesday"})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


@pytest.mark.django_db
def test_filter_updated_after_finds_briefs_changed_since(api):
    unchanged = published_brief()
    Brief.objects.filter(pk=unchanged.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    changed = published_brief()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    assert slugs(api.get(LIST, {"updated_after": since})) == [changed.slug]


@pytest.mark.django_db
def test_search_matches_title_and_summary_words(api):
    by_title = published_brief(title="Assembly condemns the annexation")
    by_summary = published_brief(
        title="A vote in New York",
        summary="The annexation was condemned by a large majority of members "
        "present and voting.",
    )
    published_brief(title="Unrelated story about budgets")

    assert set(slugs(api.get(LIST, {"search": "annexation"}))) == {
        by_title.slug,
        by_summary.slug,
    }


@pytest.mark.django_db
def test_ordering_by_title_and_by_oldest(api):
    now = timezone.now()
    b = published_brief(title="Bravo", published_at=now - datetime.timedelta(days=2))
    a = published_brief(title="Alpha", published_at=now - datetime.timedelta(days=1))

    assert slugs(api.get(LIST)) == [a.slug, b.slug]
    assert slugs(api.get(LIST, {"ordering": "title"})) == [a.slug, b.slug]
    assert slugs(api.get(LIST, {"ordering": "-title"})) == [b.slug, a.slug]
    assert slugs(api.get(LIST, {"ordering": "published_at"})) == [b.slug, a.slug]


@pytest.mark.django_db
def test_unknown_ordering_is_a_400(api):
    response = api.get(LIST, {"ordering": "summary"})

    assert response.status_code == 400
    assert "ordering" in response.json()


# Pagination -----------------------------------------------------------------


def walk(client, url, params):
    seen, pages = [], 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200
        seen += slugs(response)
        pages += 1
        if not response.json()["next"]:
            return seen, pages
        response = client.get(response.json()["next"])


@pytest.mark.django_db
def test_pages_follow_next_without_gaps_or_repeats(api):
    same_time = timezone.now() - datetime.timedelta(hours=2)
    briefs = [published_brief(published_at=same_time) for _ in range(5)]
    briefs += [published_brief() for _ in range(2)]

    seen, pages = walk(api, LIST, {"page_size": 2})

    assert pages == 4
    assert sorted(seen) == sorted(b.slug for b in briefs)
    assert len(seen) == len(set(seen))


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ["-published_at", "published_at", "title"])
def test_staff_pages_include_drafts_without_a_publication_time(writer_api, ordering):
    briefs = [factories.BriefFactory() for _ in range(3)]
    briefs += [published_brief() for _ in range(3)]

    seen, _ = walk(writer_api, LIST, {"page_size": 2, "ordering": ordering})

    assert sorted(seen) == sorted(b.slug for b in briefs)
    assert len(seen) == len(set(seen))


@pytest.mark.django_db
def test_page_size_is_capped_at_100(api):
    factories.BriefFactory.create_batch(101, published=True)

    response = api.get(LIST, {"page_size": 500})

    assert len(response.json()["results"]) == 100
    assert response.json()["next"]


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"page_size": "0"}, {"cursor": "not-a-cursor"}])
def test_bad_page_parameters_are_400s(api, params):
    response = api.get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


@pytest.mark.django_db
def test_list_does_not_count_the_table(api):
    factories.BriefFactory.create_batch(3, published=True)

    with CaptureQueriesContext(connection) as queries:
        api.get(LIST)

    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


# Query counts ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 100])
def test_list_of_100_uses_as_many_queries_as_a_list_of_one(
    api, size, django_assert_num_queries
):
    topics = factories.TopicFactory.create_batch(3)
    factories.BriefFactory.create_batch(size, published=True, topics=topics)

    # The briefs, then their topics.
    with django_assert_num_queries(2):
        response = api.get(LIST, {"page_size": 100})

    assert len(response.json()["results"]) == size


@pytest.mark.django_db
@pytest.mark.parametrize(
    "shape", [(1, 1, 1), (12, 10, 3)], ids=["small", "12x10-3x193"]
)
def test_detail_query_count_does_not_grow_with_content(
    api, shape, django_assert_num_queries
):
    sections, bullets, votes = shape
    brief = brief_with_content(sections=sections, bullets=bullets, votes=votes)

    # Brief; topics, authors, sources, corrections; sections, bullets, their
    # sources; votes (with bodies), positions; the lead image.
    with django_assert_num_queries(11):
        response = api.get(detail(brief))

    data = response.json()
    assert sum(len(s["bullets"]) for s in data["sections"]) == sections * bullets
    assert sum(len(v["positions"]) for v in data["votes"]) == votes * 193


# HTTP caching ---------------------------------------------------------------


@pytest.mark.django_db
def test_detail_has_etag_last_modified_and_answers_304_when_unchanged(api):
    brief = published_brief()

    first = api.get(detail(brief))
    again = api.get(detail(brief), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith(f'"{brief.version}-')
    assert first["Last-Modified"]
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_changed_brief_answers_200_to_an_old_etag(api):
    brief = published_brief()
    etag = api.get(detail(brief))["ETag"]
    brief.title = "A new headline for the same story"
    brief.save()

    assert api.get(detail(brief), HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_anonymous_answers_are_public_and_signed_in_ones_private(api, writer_api):
    brief = published_brief()

    assert api.get(detail(brief))["Cache-Control"].startswith("public, max-age=")
    assert writer_api.get(detail(brief))["Cache-Control"] == "private, no-store"
    assert "Authorization" in api.get(LIST)["Vary"]


# Writes ---------------------------------------------------------------------


def payload(**overrides):
    source = factories.SourceFactory()
    topic = factories.TopicFactory(slug="security-council")
    vote = factories.VoteFactory()
    data = {
        "title": "Council renews the mission for a year",
        "summary": "Members renewed the peacekeeping mission for twelve months "
        "after a short debate about its budget.",
        "topics": [topic.slug],
        "sources": [source.pk],
        "votes": [vote.pk],
        "sections": [
            {
                "heading": "The decision",
                "bullets": [
                    {"text": "The mission continues until next year."},
                    {
                        "text": "Diplomats reportedly argued over the budget.",
                        "attribution": "reported",
                        "sources": [source.pk],
                    },
                ],
            },
            {"heading": "What comes next", "bullets": [{"text": "A review."}]},
        ],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_writer_creates_a_draft_with_sections_and_bullets_in_one_request(writer_api):
    response = writer_api.post(LIST, payload(), format="json")

    assert response.status_code == 201, response.json()
    brief = Brief.objects.get(slug=response.json()["slug"])
    assert brief.status == Brief.Status.DRAFT
    assert list(brief.authors.all()) == [writer_api.user]
    assert [s.heading for s in brief.sections.all()] == [
        "The decision",
        "What comes next",
    ]
    reported = Bullet.objects.get(attribution="reported")
    assert reported.sources.count() == 1
    assert response["Location"].endswith(f"/api/v1/briefs/{brief.slug}/")
    # WSGI servers accept only plain str header values.
    assert all(type(value) is str for value in response.headers.values())
    assert response.json()["votes"][0]["yes"] == 93


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="writers at the same moment need PostgreSQL, as SQLite lets one write"
    " (set DATABASE_URL=postgres://... to run it)",
)
@pytest.mark.django_db(transaction=True)
def test_two_briefs_with_the_same_title_created_at_once_both_get_a_slug(
    editor, monkeypatch
):
    data = payload()
    choose = Brief.unique_slug
    both_chose = threading.Barrier(2, timeout=10)
    first_choices = iter(range(2))

    def choose_together(title, exclude_pk=None):
        slug = choose(title, exclude_pk=exclude_pk)
        if next(first_choices, None) is not None:
            both_chose.wait()  # both requests now hold the same free slug
        return slug

    monkeypatch.setattr(Brief, "unique_slug", staticmethod(choose_together))
    answers = []

    def create():
        client = APIClient()
        client.force_authenticate(editor)
        try:
            answers.append(client.post(LIST, data, format="json").status_code)
        except Exception as error:  # a 500 in the test client
            answers.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers == [201, 201]
    assert sorted(Brief.objects.values_list("slug", flat=True)) == [
        "council-renews-the-mission-for-a-year",
        "council-renews-the-mission-for-a-year-2",
    ]


@pytest.mark.django_db
def test_invalid_nested_payload_is_a_400_with_field_errors_and_saves_nothing(
    writer_api,
):
    bad = payload(
        title="",
        sections=[
            {"heading": "Fine", "bullets": [{"text": "Ok."}]},
            {"heading": "x" * 201, "bullets": [{"text": "", "attribution": "rumour"}]},
        ],
    )

    response = writer_api.post(LIST, bad, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert "title" in errors
    # Keyed by the index of the section and bullet at fault.
    assert "0" not in errors["sections"]
    assert "heading" in errors["sections"]["1"]
    assert set(errors["sections"]["1"]["bullets"]["0"]) == {"text", "attribution"}
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_unknown_related_ids_are_field_errors(writer_api):
    response = writer_api.post(
        LIST, payload(sources=[999999], topics=["nope"]), format="json"
    )

    assert response.status_code == 400
    assert {"sources", "topics"} <= set(response.json())


@pytest.mark.django_db
def test_update_replaces_sections(writer_api):
    brief = factories.BriefFactory()
    factories.SectionFactory(brief=brief, heading="Old heading")

    response = writer_api.patch(
        detail(brief),
        {"sections": [{"heading": "New heading", "bullets": [{"text": "One."}]}]},
        format="json",
        **if_match(writer_api, detail(brief)),
    )

    assert response.status_code == 200, response.json()
    assert [s.heading for s in brief.sections.all()] == ["New heading"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("status", "published", "publish/"),
        ("status", "review", "submit/"),
        ("published_at", "2030-01-01T00:00:00Z", "publish/"),
        ("first_published_at", "2030-01-01T00:00:00Z", "publish/"),
        ("version", 7, "If-Match"),
        ("authors", ["Someone"], "admin"),
        ("updated_at", "2030-01-01T00:00:00Z", "read-only"),
        ("api_url", "https://example.org/", "read-only"),
        ("corrections", [], "admin"),
    ],
)
@pytest.mark.parametrize("method", ["patch", "put"])
def test_writing_a_field_clients_may_not_set_is_a_400_naming_it(
    writer_api, method, field, value, hint
):
    brief = factories.BriefFactory(title="Kept title")
    data = {"title": "A new title", "summary": brief.summary, field: value}

    response = getattr(writer_api, method)(
        detail(brief), data, format="json", **if_match(writer_api, detail(brief))
    )

    assert response.status_code == 400, response.json()
    (message,) = response.json()[field]
    assert hint.lower() in message.lower()
    brief.refresh_from_db()
    assert (brief.title, brief.status, brief.version) == ("Kept title", "draft", 1)


@pytest.mark.django_db
def test_creating_a_brief_with_a_status_is_a_400_naming_the_action(writer_api):
    response = writer_api.post(LIST, payload(status="published"), format="json")

    assert response.status_code == 400
    assert "publish/" in response.json()["status"][0]
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_writing_an_unknown_field_is_a_400_naming_it(writer_api):
    brief = factories.BriefFactory(title="Kept title")

    response = writer_api.patch(
        detail(brief),
        {"title": "New", "headline": "New"},
        format="json",
        **if_match(writer_api, detail(brief)),
    )

    assert response.status_code == 400
    assert "headline" in response.json()
    assert Brief.objects.get(pk=brief.pk).title == "Kept title"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize(
    ("section", "missing"),
    [({"heading": "H"}, "bullets"), ({"bullets": [{"text": "One."}]}, "heading")],
)
def test_a_section_missing_a_field_is_a_400_naming_it(
    writer_api, method, section, missing
):
    brief = factories.BriefFactory()
    factories.SectionFactory(brief=brief, heading="Kept")
    data = {"title": brief.title, "summary": brief.summary, "sections": [section]}

    response = getattr(writer_api, method)(
        detail(brief), data, format="json", **if_match(writer_api, detail(brief))
    )

    assert response.status_code == 400, response.content
    assert missing in response.json()["sections"]["0"]
    assert [s.heading for s in brief.sections.all()] == ["Kept"]


@pytest.mark.django_db
def test_a_bullet_without_text_is_a_400_naming_it_in_a_patch(writer_api):
    brief = factories.BriefFactory()
    data = {"sections": [{"heading": "H", "bullets": [{"attribution": "fact"}]}]}

    response = writer_api.patch(
        detail(brief), data, format="json", **if_match(writer_api, detail(brief))
    )

    assert response.status_code == 400, response.content
    assert "text" in response.json()["sections"]["0"]["bullets"]["0"]


@pytest.mark.django_db
def test_a_bullet_naming_a_read_only_field_is_a_400_naming_it(writer_api):
    brief = factories.BriefFactory()
    bullet = {"text": "One.", "position": 4}

    response = writer_api.patch(
        detail(brief),
        {"sections": [{"heading": "H", "bullets": [bullet]}]},
        format="json",
        **if_match(writer_api, detail(brief)),
    )

    assert response.status_code == 400, response.content
    (message,) = response.json()["sections"]["0"]["bullets"]["0"]["position"]
    assert "place in the list" in message


@pytest.mark.django_db
def test_patch_without_sections_keeps_them(writer_api):
    brief = factories.BriefFactory()
    factories.SectionFactory(brief=brief, heading="Kept")

    writer_api.patch(
        detail(brief),
        {"title": "Retitled brief"},
        format="json",
        **if_match(writer_api, detail(brief)),
    )

    brief.refresh_from_db()
    assert brief.title == "Retitled brief"
    assert [s.heading for s in brief.sections.all()] == ["Kept"]


@pytest.mark.django_db
def test_stale_if_match_is_a_412_and_changes_nothing(writer_api):
    brief = factories.BriefFactory(title="Original title")
    etag = writer_api.get(detail(brief))["ETag"]
    brief.summary = brief.summary + " Someone else edited this in between."
    brief.save()

    response = writer_api.patch(
        detail(brief), {"title": "My edit"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 412
    brief.refresh_from_db()
    assert brief.title == "Original title"


@pytest.mark.django_db
def test_current_if_match_saves_and_returns_the_new_etag(writer_api):
    brief = factories.BriefFactory()
    etag = writer_api.get(detail(brief))["ETag"]

    response = writer_api.patch(
        detail(brief), {"title": "My edit"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response["ETag"].startswith(f'"{brief.version + 1}-')


@pytest.mark.django_db
def test_if_match_accepts_the_etag_a_compressing_proxy_made_weak(writer_api):
    # nginx's gzip turns the ETag it passes on into W/"..." (deploy/nginx.conf).
    brief = factories.BriefFactory()
    etag = writer_api.get(detail(brief))["ETag"]

    response = writer_api.patch(
        detail(brief), {"title": "My edit"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )

    assert response.status_code == 200
    brief.refresh_from_db()
    assert brief.title == "My edit"


@pytest.mark.django_db
def test_stale_weak_if_match_is_still_a_412(writer_api):
    brief = factories.BriefFactory(title="Original title")
    etag = writer_api.get(detail(brief))["ETag"]
    brief.summary = brief.summary + " Someone else edited this in between."
    brief.save()

    response = writer_api.patch(
        detail(brief), {"title": "My edit"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )

    assert response.status_code == 412
    brief.refresh_from_db()
    assert brief.title == "Original title"


@pytest.mark.django_db
def test_save_racing_another_save_is_a_412(writer_api, monkeypatch):
    brief = factories.BriefFactory(title="Original title")
    original_save = Brief.save

    def someone_saves_first(self, *args, **kwargs):
        if kwargs.get("expected_version") is not None:
            Brief.objects.filter(pk=self.pk).update(version=self.version + 5)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Brief, "save", someone_saves_first)
    response = writer_api.patch(
        detail(brief),
        {"title": "Mine"},
        format="json",
        **if_match(writer_api, detail(brief)),
    )

    assert response.status_code == 412
    assert Brief.objects.get(pk=brief.pk).title == "Original title"


@pytest.mark.django_db
def test_edit_that_breaks_the_checklist_of_a_live_brief_is_refused(editor_api):
    brief = brief_with_content(sections=1, bullets=1, votes=0)

    response = editor_api.patch(
        detail(brief),
        {
            "sections": [
                {
                    "heading": "Claims",
                    "bullets": [{"text": "Allegedly so.", "attribution": "alleged"}],
                }
            ]
        },
        format="json",
        **if_match(editor_api, detail(brief)),
    )

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert brief.sections.get().heading != "Claims"


# Workflow actions -----------------------------------------------------------


def ready_draft():
    brief = factories.BriefFactory()
    section = factories.SectionFactory(brief=brief)
    factories.BulletFactory(section=section)
    return brief


@pytest.mark.django_db
def test_editor_publishes_and_readers_then_see_it(editor_api, api):
    brief = ready_draft()

    response = editor_api.post(f"{detail(brief)}publish/")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    assert api.get(detail(brief)).status_code == 200


@pytest.mark.django_db
def test_editor_schedules_with_a_future_time(editor_api, api):
    brief = ready_draft()
    later = timezone.now() + datetime.timedelta(days=2)

    response = editor_api.post(
        f"{detail(brief)}publish/", {"published_at": later.isoformat()}, format="json"
    )

    assert response.status_code == 200
    assert Brief.objects.get(pk=brief.pk).is_scheduled
    assert api.get(detail(brief)).status_code == 404


@pytest.mark.django_db
def test_publishing_a_brief_failing_the_checklist_is_a_400(editor_api):
    brief = factories.BriefFactory()

    response = editor_api.post(f"{detail(brief)}publish/")

    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.django_db
def test_writer_submits_for_review_but_cannot_publish(writer_api):
    brief = ready_draft()

    assert writer_api.post(f"{detail(brief)}submit/").status_code == 200
    assert writer_api.post(f"{detail(brief)}publish/").status_code == 403
    assert Brief.objects.get(pk=brief.pk).status == Brief.Status.REVIEW


@pytest.mark.django_db
def test_editor_archives_and_unpublishes(editor_api):
    brief = published_brief()
    section = factories.SectionFactory(brief=brief)
    factories.BulletFactory(section=section)

    assert editor_api.post(f"{detail(brief)}archive/").status_code == 200
    assert Brief.objects.get(pk=brief.pk).status == Brief.Status.ARCHIVED
    assert editor_api.post(f"{detail(brief)}unpublish/").status_code == 200
    assert Brief.objects.get(pk=brief.pk).status == Brief.Status.DRAFT


@pytest.mark.django_db
def test_impossible_transition_is_a_400(editor_api):
    brief = factories.BriefFactory()

    response = editor_api.post(f"{detail(brief)}archive/")

    assert response.status_code == 400
    assert "status" in response.json()


# Permission matrix ----------------------------------------------------------


MATRIX = [
    # client, read, create, update, publish, delete
    ("api", 200, 401, 401, 401, 401),
    ("reader_api", 200, 403, 403, 403, 403),
    # A writer's change to a live brief waits as its pending draft: 202.
    ("writer_api", 200, 201, 202, 403, 403),
    ("editor_api", 200, 201, 200, 200, 204),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("client_name", "read", "create", "update", "publish", "delete"), MATRIX
)
def test_permission_matrix(request, client_name, read, create, update, publish, delete):
    client = request.getfixturevalue(client_name)
    live = published_brief()
    section = factories.SectionFactory(brief=live)
    factories.BulletFactory(section=section)

    assert client.get(detail(live)).status_code == read
    assert client.post(LIST, payload(), format="json").status_code == create
    patched = client.patch(
        detail(live),
        {"title": "Retitled"},
        format="json",
        **if_match(client, detail(live)),
    )
    assert patched.status_code == update
    assert client.post(f"{detail(live)}publish/").status_code == publish
    assert client.delete(detail(live)).status_code == delete


@pytest.mark.django_db
def test_anonymous_write_is_refused_with_401_and_a_challenge(api):
    response = api.post(LIST, payload(), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# ninjs ----------------------------------------------------------------------


@pytest.mark.django_db
def test_ninjs_renders_a_published_brief(api):
    brief = brief_with_content(sections=1, bullets=1, votes=0)
    Bullet.objects.filter(section__brief=brief).update(text="Tom <b>& Jerry</b>")

    data = api.get(f"{detail(brief)}ninjs/").json()

    assert data["uri"] == f"urn:uuid:{brief.uuid}"
    assert data["renditions"][0]["href"].endswith(f"/briefs/{brief.slug}/")
    assert data["type"] == "text"
    assert data["pubstatus"] == "usable"
    assert data["headlines"][0]["value"] == brief.title
    assert data["descriptions"][0]["value"] == brief.summary
    assert "Tom &lt;b&gt;&amp; Jerry&lt;/b&gt;" in data["bodies"][0]["value"]
    assert data["subjects"][0]["name"]
    assert data["infosources"][0]["uri"].startswith("https://")
    assert data["firstcreated"] and data["versioncreated"]


@pytest.mark.django_db
def test_ninjs_and_the_detail_have_different_etags(api):
    brief = brief_with_content(sections=1, bullets=1, votes=0)
    detail_etag = api.get(detail(brief))["ETag"]

    ninjs = api.get(f"{detail(brief)}ninjs/", HTTP_IF_NONE_MATCH=detail_etag)

    assert ninjs.status_code == 200
    assert ninjs["ETag"] != detail_etag
    again = api.get(f"{detail(brief)}ninjs/", HTTP_IF_NONE_MATCH=ninjs["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_ninjs_is_only_for_published_briefs_even_for_staff(writer_api):
    draft = factories.BriefFactory()

    assert writer_api.get(f"{detail(draft)}ninjs/").status_code == 404


@pytest.mark.django_db
def test_api_urls_are_named_in_the_api_namespace():
    assert reverse("api:brief-list") == LIST


@pytest.mark.django_db
def test_date_time_filters_accept_any_offset_python_accepts(api):
    # PostgreSQL refuses offsets beyond 16 hours; the filter sends UTC.
    brief = published_brief()

    response = api.get(LIST, {"published_after": "2000-01-01T00:00:00-20:31"})

    assert slugs(response) == [brief.slug]


@pytest.mark.django_db
def test_cursor_with_an_id_out_of_range_is_a_400(api):
    raw = json.dumps({"k": "published_at", "v": None, "id": 10**30}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode()

    response = api.get(LIST, {"cursor": cursor})

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


@pytest.mark.django_db
def test_last_modified_moves_when_a_reported_vote_changes(api):
    brief = brief_with_content(sections=1, bullets=1, votes=1, positions=False)
    vote = brief.votes.get()
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    Brief.objects.filter(pk=brief.pk).update(updated_at=two_days_ago)
    Vote.objects.filter(pk=vote.pk).update(updated_at=two_days_ago)
    Source.objects.update(updated_at=two_days_ago)
    BriefRendering.objects.filter(brief=brief).update(changed_at=two_days_ago)
    before = api.get(detail(brief))["Last-Modified"]
    vote.title = "A clearer title for the same measure"
    vote_save(vote=vote)

    after = api.get(detail(brief), HTTP_IF_MODIFIED_SINCE=before)

    assert before == http_date(two_days_ago.timestamp())
    assert after.status_code == 200
    assert after["Last-Modified"] != before


@pytest.mark.django_db
def test_authors_are_shown_by_public_name_and_login_names_never(api, settings):
    brief = published_brief()
    brief.authors.add(
        factories.UserFactory(username="jdoe", first_name="Jane", last_name="Doe"),
        factories.UserFactory(username="secret-login"),
    )

    data = api.get(detail(brief)).json()
    ninjs = api.get(f"{detail(brief)}ninjs/").json()

    # The account without a byline or full name is credited as the newsroom.
    assert data["authors"] == ["Jane Doe", settings.SITE_NAME]
    assert ninjs["by"] == f"Jane Doe, {settings.SITE_NAME}"
    assert "secret-login" not in str(data) + str(ninjs)


@pytest.mark.django_db
def test_publish_time_with_any_iso_offset_is_stored_in_utc(editor_api):
    brief = ready_draft()

    response = editor_api.post(
        f"{detail(brief)}publish/",
        {"published_at": "2030-01-01T00:00:00-20:31"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert Brief.objects.get(pk=brief.pk).published_at == datetime.datetime(
        2030, 1, 1, 20, 31, tzinfo=datetime.UTC
    )


@pytest.mark.django_db
@pytest.mark.parametrize("topic", ["nul\x00byte", "two words", 5])
def test_topic_that_is_no_slug_is_a_field_error(writer_api, topic):
    response = writer_api.post(LIST, payload(topics=[topic]), format="json")

    assert response.status_code == 400
    assert "topics" in response.json()


@pytest.mark.django_db
def test_publishing_with_a_stale_if_match_is_a_412(editor_api):
    brief = ready_draft()
    etag = editor_api.get(detail(brief))["ETag"]
    brief.title = "Changed since the editor looked"
    brief.save()

    response = editor_api.post(f"{detail(brief)}publish/", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert Brief.objects.get(pk=brief.pk).status == Brief.Status.DRAFT


@pytest.mark.django_db
def test_later_pages_seek_instead_of_skipping_rows(api):
    factories.BriefFactory.create_batch(5, published=True)
    next_page = api.get(LIST, {"page_size": 2}).json()["next"]

    with CaptureQueriesContext(connection) as queries:
        api.get(next_page)

    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


def nested_payload(sections, bullets):
    source = factories.SourceFactory()
    return {
        "title": f"A brief of {sections} sections",
        "summary": "A summary that is long enough for the publication checklist.",
        "sources": [source.pk],
        "sections": [
            {
                "heading": f"Section {s}",
                "bullets": [
                    {"text": f"Point {b}.", "sources": [source.pk]}
                    for b in range(bullets)
                ],
            }
            for s in range(sections)
        ],
    }


def queries_to_create(client, sections, bullets):
    data = nested_payload(sections, bullets)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(LIST, data, format="json")
    assert response.status_code == 201
    return [q["sql"] for q in queries.captured_queries]


def writes(queries):
    return [sql for sql in queries if sql.startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.django_db
def test_nested_create_writes_in_bulk_whatever_the_content(writer_api):
    small = queries_to_create(writer_api, 1, 1)
    large = queries_to_create(writer_api, 12, 10)

    # Sections, bullets and their sources are inserted in bulk. (The revision
    # snapshot that follows reads each section's bullets, so reads grow.)
    assert len(writes(large)) == len(writes(small))
    assert Bullet.objects.count() == 1 + 120


@pytest.mark.django_db
def test_unknown_bullet_source_is_an_error_at_that_bullet(writer_api):
    data = nested_payload(2, 2)
    data["sections"][1]["bullets"][0]["sources"] = [999999]

    response = writer_api.post(LIST, data, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "sections": {
            "1": {"bullets": {"0": {"sources": ["No source with id 999999."]}}}
        }
    }


@pytest.mark.django_db
def test_a_source_cited_twice_by_a_bullet_is_saved_once(writer_api):
    data = nested_payload(1, 1)
    source_id = data["sources"][0]
    data["sections"][0]["bullets"][0]["sources"] = [source_id, source_id]
    data["sources"] = [source_id, source_id]

    response = writer_api.post(LIST, data, format="json")

    assert response.status_code == 201
    assert Bullet.objects.get().sources.count() == 1


@pytest.mark.django_db
def test_ids_beyond_64_bits_are_field_errors(writer_api):
    data = nested_payload(1, 1)
    data["votes"] = [2**70]
    data["sections"][0]["bullets"][0]["sources"] = [2**70]

    response = writer_api.post(LIST, data, format="json")

    assert response.status_code == 400
    assert {"votes", "sections"} <= set(response.json())


@pytest.mark.django_db
def test_search_finds_words_in_bullets_and_keeps_drafts_from_readers(api):
    live = published_brief(title="A quiet week in New York")
    factories.BulletFactory(
        section=factories.SectionFactory(brief=live),
        text="Observers noted the moratorium was extended.",
    )
    live.refresh_search_document()
    factories.BriefFactory(title="Draft about the moratorium")

    assert slugs(api.get(LIST, {"search": "moratorium"})) == [live.slug]


@pytest.mark.django_db
def test_a_patched_bullet_is_found_by_search_at_once(editor_api, api, client):
    brief = published_brief(title="Council talks")
    old = {"heading": "What happened", "bullets": [{"text": "Envoys met at dawn."}]}
    editor_api.patch(
        detail(brief),
        {"sections": [old]},
        format="json",
        **if_match(editor_api, detail(brief)),
    )
    new = {
        "heading": "What happened",
        "bullets": [{"text": "Envoys agreed on a moratorium."}],
    }

    response = editor_api.patch(
        detail(brief),
        {"sections": [new]},
        format="json",
        **if_match(editor_api, detail(brief)),
    )

    assert response.status_code == 200, response.json()
    assert slugs(api.get(LIST, {"search": "moratorium"})) == [brief.slug]
    assert slugs(api.get(LIST, {"search": "dawn"})) == []
    assert brief.title in client.get("/search/", {"q": "moratorium"}).text
    assert brief.title not in client.get("/search/", {"q": "dawn"}).text


@pytest.mark.django_db
def test_the_browsable_page_and_the_json_detail_have_different_etags(api):
    brief = brief_with_content(sections=1, bullets=1, votes=0)
    json_etag = api.get(detail(brief), HTTP_ACCEPT="application/json")["ETag"]

    page = api.get(detail(brief), HTTP_ACCEPT="text/html", HTTP_IF_NONE_MATCH=json_etag)

    assert page.status_code == 200
    assert page["ETag"] != json_etag

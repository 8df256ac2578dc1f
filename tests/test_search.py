import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from briefs import services
from briefs.models import Brief
from briefs.search import search_briefs
from briefs.services import brief_import
from tests.factories import BriefFactory, BulletFactory, SectionFactory, TopicFactory
from tests.test_views import HIDDEN

on_postgresql = connection.vendor == "postgresql"


def search(client, q, **params):
    response = client.get(reverse("briefs:search"), {"q": q, **params})
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_search_finds_words_in_title_summary_and_bullets(client):
    in_title = BriefFactory(published=True, title="Glaciers retreat in the Alps")
    in_summary = BriefFactory(
        published=True, summary="A long summary that mentions glaciers in passing."
    )
    in_bullet = BriefFactory(published=True)
    BulletFactory(section=SectionFactory(brief=in_bullet), text="Glaciers melted.")
    BriefFactory(published=True, title="Budget talks stall")
    found = set(search(client, "glaciers").context["briefs"])
    assert found == {in_title, in_summary, in_bullet}


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_search_hides_what_readers_cannot_see(client, fields):
    hidden = BriefFactory(title="Glaciers hidden from readers", **fields)
    BulletFactory(section=SectionFactory(brief=hidden), text="Glaciers.")
    response = search(client, "glaciers")
    assert list(response.context["briefs"]) == []
    assert hidden.title not in response.text


@pytest.mark.django_db
def test_empty_search_helps_the_reader(client):
    topic = TopicFactory(name="Climate")
    BriefFactory(published=True, topics=[topic])
    response = search(client, "   ")
    assert list(response.context["briefs"]) == []
    assert "Type a word or two" in response.text
    assert f'href="{topic.get_absolute_url()}"' in response.text
    assert response.templates[0].name == "briefs/search.html"


@pytest.mark.django_db
def test_search_without_results_says_so_and_suggests_topics(client):
    topic = TopicFactory(name="Climate")
    BriefFactory(published=True, topics=[topic])
    response = search(client, "zeppelins")
    assert "No published brief matches “zeppelins”" in response.text
    assert f'href="{topic.get_absolute_url()}"' in response.text


@pytest.mark.django_db
def test_search_escapes_the_query(client):
    response = search(client, "<script>alert(1)</script>")
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.django_db
def test_search_results_paginate_and_keep_the_query(client):
    for n in range(21):
        BriefFactory(published=True, title=f"Glaciers report {n}")
    response = search(client, "glaciers", page=2)
    assert len(response.context["briefs"]) == 1
    assert 'href="?q=glaciers&amp;page=1"' in response.text


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_results(
    client, django_assert_max_num_queries
):
    for _ in range(20):
        BriefFactory(published=True, title="Glaciers again", topics=[TopicFactory()])
    with django_assert_max_num_queries(4):
        search(client, "glaciers")


def dated_briefs(count, title, **fields):
    """Return `count` published briefs titled `title`, newest first, a day apart."""
    now = timezone.now()
    return [
        BriefFactory(
            published=True,
            title=title,
            published_at=now - datetime.timedelta(days=n + 1),
            **fields,
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_search_page_counts_the_results_without_a_count_query(client):
    dated_briefs(21, "Glaciers report")
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "glaciers")
    assert "21 briefs match" in response.text
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.django_db
def test_search_pages_follow_the_ranking_across_pages(client):
    in_bullets = dated_briefs(3, "Weekly round-up")
    for brief in in_bullets:
        BulletFactory(section=SectionFactory(brief=brief), text="Glaciers shrank.")
    in_titles = dated_briefs(20, "Glaciers shrink")
    first = search(client, "glaciers").context["briefs"]
    second = search(client, "glaciers", page=2).context["briefs"]
    assert list(first) + list(second) == in_titles + in_bullets
    assert list(first) + list(second) == list(search_briefs("glaciers"))


@pytest.mark.django_db
def test_search_page_past_the_last_is_not_found(client):
    dated_briefs(21, "Glaciers report")
    response = client.get(reverse("briefs:search"), {"q": "glaciers", "page": 3})
    assert response.status_code == 404


@pytest.mark.django_db
def test_search_reads_the_page_without_the_search_text():
    dated_briefs(2, "Glaciers report")
    for brief in search_briefs("glaciers")[0:2]:
        assert {"search_document", "search_vector"} <= brief.get_deferred_fields()


@pytest.mark.django_db
def test_search_leaves_out_a_brief_unpublished_after_ranking():
    kept, withdrawn = dated_briefs(2, "Glaciers report")
    results = search_briefs("glaciers")
    withdrawn.archive()
    assert results[0:2] == [kept]


@pytest.mark.django_db
def test_search_ranks_equal_matches_newest_first():
    newest, older, oldest = dated_briefs(3, "Glaciers report")
    assert list(search_briefs("glaciers")) == [newest, older, oldest]


@pytest.mark.django_db
def test_api_search_finds_the_same_briefs_as_the_site(monkeypatch):
    from briefs import search

    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 2)
    dated_briefs(3, "Glaciers report")
    found = search.matching_briefs("glaciers", Brief.objects.published())
    assert set(found) == set(search_briefs("glaciers"))
    assert found.count() == 2


@pytest.mark.django_db
def test_search_document_follows_bullet_edits():
    brief = BriefFactory(published=True)
    BulletFactory(section=SectionFactory(brief=brief), text="Monsoon.")
    assert list(search_briefs("monsoon")) == [brief]
    drought = [{"heading": "Weather", "bullets": [{"text": "Drought."}]}]
    services.brief_update(brief=brief, sections=drought)
    assert list(search_briefs("monsoon")) == []
    assert list(search_briefs("drought")) == [brief]
    flood = [{"heading": "Weather", "bullets": [{"text": "Flood."}]}]
    services.brief_update(brief=brief, sections=flood)
    assert list(search_briefs("drought")) == []


@pytest.mark.django_db
def test_search_document_follows_title_edits():
    brief = BriefFactory(published=True, title="Harbour reopens")
    brief.title = "Port reopens"
    brief.save()
    assert list(search_briefs("harbour")) == []
    assert list(search_briefs("port")) == [brief]


@pytest.mark.django_db
def test_search_document_holds_title_summary_and_bullets():
    brief = BriefFactory(title="Harbour", summary="A summary of the harbour story.")
    BulletFactory(section=SectionFactory(brief=brief), text="Ships wait.")
    brief.refresh_from_db()
    assert brief.search_document.split("\n") == [
        "Harbour",
        "A summary of the harbour story.",
        "Ships wait.",
    ]


@pytest.mark.django_db
def test_search_ranks_title_matches_above_newer_bullet_matches():
    in_title = BriefFactory(
        published=True,
        title="Glaciers shrink faster",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    in_bullet = BriefFactory(published=True, title="Weekly round-up")
    BulletFactory(section=SectionFactory(brief=in_bullet), text="Glaciers shrank.")
    assert list(search_briefs("glaciers")) == [in_title, in_bullet]


@pytest.mark.django_db
def test_search_leaves_out_words_with_a_minus_sign():
    wanted = BriefFactory(published=True, title="Glaciers in the Andes")
    BriefFactory(published=True, title="Glaciers in the Alps")
    assert list(search_briefs("glaciers -alps")) == [wanted]


@pytest.mark.django_db
@pytest.mark.skipif(
    not on_postgresql,
    reason="stemming needs PostgreSQL (set DATABASE_URL=postgres://... to run it)",
)
def test_postgresql_matches_other_forms_of_a_word():
    brief = BriefFactory(published=True, title="Council votes on sanctions")
    assert list(search_briefs("voting sanction")) == [brief]


@pytest.mark.django_db
@pytest.mark.skipif(
    not on_postgresql,
    reason="the GIN index is PostgreSQL's (set DATABASE_URL=postgres://... to run it)",
)
def test_postgresql_search_can_use_the_gin_index():
    from django.contrib.postgres.search import SearchQuery

    from briefs.models.briefs import SEARCH_CONFIG

    BriefFactory.create_batch(3, published=True)
    query = SearchQuery("glaciers", config=SEARCH_CONFIG)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Brief.objects.filter(search_vector=query).explain()
    assert "brief_search_vector_gin" in plan


@pytest.mark.django_db
@pytest.mark.skipif(
    not on_postgresql,
    reason="TOAST is PostgreSQL's (set DATABASE_URL=postgres://... to run it)",
)
def test_postgresql_keeps_the_search_vector_in_the_row():
    # Ranking reads every candidate's vector: from the TOAST table that costs
    # a lookup per brief.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = "
            "'briefs_brief'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)


@pytest.mark.django_db
def test_search_needs_every_word():
    both = BriefFactory(published=True, title="Glaciers and rivers")
    BriefFactory(published=True, title="Glaciers only")
    assert list(search_briefs("rivers glaciers")) == [both]


@pytest.mark.django_db
def test_imported_brief_is_searchable_by_its_bullets():
    text = (
        "Harbour strike ends after a week\n"
        "Dock workers returned to work on Monday after a week-long strike over pay.\n"
        "What was agreed\n"
        "- The port authority raised night-shift pay by a tenth.\n"
    )
    brief = brief_import(text=text)
    brief.refresh_from_db()
    assert "night-shift pay" in brief.search_document


@pytest.mark.django_db
def test_search_ranks_only_the_newest_matches(monkeypatch):
    from briefs import search

    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 2)
    old = BriefFactory(
        published=True,
        title="Glaciers retreat",
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    newer = [BriefFactory(published=True, title="Glaciers again") for _ in range(2)]
    results = list(search_briefs("glaciers"))
    assert old not in results
    assert set(results) == set(newer)


@pytest.mark.django_db
def test_generated_briefs_are_ranked_by_postgresql_or_matched_elsewhere():
    from briefs.generator import BriefGenerator

    BriefGenerator(seed=5).generate(3)
    brief = Brief.objects.published().first()
    word = brief.title.split()[-1]
    assert brief in search_briefs(word)

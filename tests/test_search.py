import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

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


@pytest.mark.django_db
def test_search_document_follows_bullet_edits():
    brief = BriefFactory(published=True)
    bullet = BulletFactory(section=SectionFactory(brief=brief), text="Monsoon.")
    assert list(search_briefs("monsoon")) == [brief]
    bullet.text = "Drought."
    bullet.save()
    assert list(search_briefs("monsoon")) == []
    assert list(search_briefs("drought")) == [brief]
    bullet.delete()
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
@pytest.mark.skipif(not on_postgresql, reason="stemming needs PostgreSQL")
def test_postgresql_matches_other_forms_of_a_word():
    brief = BriefFactory(published=True, title="Council votes on sanctions")
    assert list(search_briefs("voting sanction")) == [brief]


@pytest.mark.django_db
@pytest.mark.skipif(not on_postgresql, reason="the GIN index exists on PostgreSQL")
def test_postgresql_search_can_use_the_gin_index():
    from django.contrib.postgres.search import SearchQuery

    from briefs.search import INDEXED_VECTOR, SEARCH_CONFIG

    BriefFactory.create_batch(3, published=True)
    query = SearchQuery("glaciers", config=SEARCH_CONFIG)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Brief.objects.annotate(v=INDEXED_VECTOR).filter(v=query).explain()
    assert "brief_search_document_gin" in plan


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

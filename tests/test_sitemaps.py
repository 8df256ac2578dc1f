import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import BriefFactory, TopicFactory
from tests.test_views import HIDDEN

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)], root


@pytest.mark.django_db
def test_sitemap_index_lists_every_section_and_the_news_sitemap(client):
    locs, _ = locations(client, "/sitemap.xml")
    assert locs == [
        "http://testserver/sitemap-briefs.xml",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-news.xml",
    ]


@pytest.mark.django_db
def test_briefs_sitemap_lists_published_briefs_with_lastmod(client):
    brief = BriefFactory(published=True)
    locs, root = locations(client, "/sitemap-briefs.xml")
    assert locs == [f"http://testserver{brief.get_absolute_url()}"]
    assert root.find(".//sm:lastmod", NS).text == brief.last_updated_at.strftime(
        "%Y-%m-%d"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["briefs", "news"])
@pytest.mark.parametrize("fields", HIDDEN)
def test_sitemaps_hide_what_readers_cannot_see(client, section, fields):
    hidden = BriefFactory(**fields)
    response = client.get(f"/sitemap-{section}.xml")
    assert hidden.slug not in response.text


@pytest.mark.django_db
def test_topics_sitemap_lists_only_topics_with_published_briefs(client):
    used, unused = TopicFactory(), TopicFactory()
    BriefFactory(published=True, topics=[used])
    BriefFactory(topics=[unused])
    locs, _ = locations(client, "/sitemap-topics.xml")
    assert locs == [f"http://testserver{used.get_absolute_url()}"]


@pytest.mark.django_db
def test_news_sitemap_lists_only_the_last_two_days(client, settings):
    now = timezone.now()
    fresh = BriefFactory(published=True, published_at=now - datetime.timedelta(hours=5))
    BriefFactory(published=True, published_at=now - datetime.timedelta(days=3))
    locs, root = locations(client, "/sitemap-news.xml")
    assert locs == [f"http://testserver{fresh.get_absolute_url()}"]
    news = root.find(".//news:news", NS)
    assert news.find("news:title", NS).text == fresh.title
    assert news.find("news:publication/news:name", NS).text == settings.SITE_NAME
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:publication_date", NS).text.startswith(
        fresh.first_published_at.strftime("%Y-%m-%dT%H:%M")
    )


@pytest.mark.django_db
def test_news_sitemap_escapes_titles(client):
    BriefFactory(published=True, title="Aid & arms <talks>")
    _, root = locations(client, "/sitemap-news.xml")
    assert root.find(".//news:title", NS).text == "Aid & arms <talks>"


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["briefs", "news", "topics"])
def test_sitemap_queries_do_not_grow(
    client, settings, section, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # measure the sitemap, not the page cache
    url = f"/sitemap-{section}.xml"
    BriefFactory.create_batch(2, published=True, topics=[TopicFactory()])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    BriefFactory.create_batch(30, published=True, topics=[TopicFactory()])
    with django_assert_num_queries(len(few)):
        client.get(url)


@pytest.mark.django_db
def test_brief_sitemap_pages_by_id_range_hold_every_published_brief_once(
    client, monkeypatch
):
    monkeypatch.setattr("briefs.sitemaps.BriefSitemap.limit", 5)
    briefs = BriefFactory.create_batch(12, published=True)
    BriefFactory.create_batch(3)
    index, _ = locations(client, "/sitemap.xml")
    pages = [loc for loc in index if "sitemap-briefs.xml" in loc]
    seen = []
    for page in pages:
        seen += locations(client, page.removeprefix("http://testserver"))[0]
    expected = {f"http://testserver{brief.get_absolute_url()}" for brief in briefs}
    assert sorted(seen) == sorted(expected)
    assert len(pages) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-briefs.xml?p=2"])
def test_sitemaps_never_count_or_skip_rows(client, settings, monkeypatch, url):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr("briefs.sitemaps.BriefSitemap.limit", 5)
    BriefFactory.create_batch(12, published=True)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # Counting topics, or the two days of the news sitemap, is bounded.
    unbounded = [
        query["sql"]
        for query in queries.captured_queries
        if ("COUNT(" in query["sql"].upper() or "OFFSET" in query["sql"].upper())
        and 'COUNT(*) AS "__count" FROM "briefs_topic"' not in query["sql"]
        and "first_published_at" not in query["sql"]
    ]
    assert unbounded == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "99", "two"])
def test_a_brief_sitemap_page_out_of_range_is_not_found(client, page):
    BriefFactory(published=True)
    assert client.get(f"/sitemap-briefs.xml?p={page}").status_code == 404


@pytest.mark.django_db
def test_sitemap_index_queries_do_not_grow(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    BriefFactory.create_batch(2, published=True, topics=[TopicFactory()])
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap.xml")
    BriefFactory.create_batch(30, published=True, topics=[TopicFactory()])
    with django_assert_num_queries(len(few)):
        client.get("/sitemap.xml")

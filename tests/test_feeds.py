import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from briefs import services
from tests.factories import (
    BriefFactory,
    BulletFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)
from tests.test_injection import Markup, hostile_brief
from tests.test_views import HIDDEN

FEEDS = ["briefs:feed-rss", "briefs:feed-atom"]


def parse(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response, feedparser.parse(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEEDS)
def test_feed_parses_without_a_bozo_flag(client, name):
    author = UserFactory(first_name="Lin", last_name="Okafor")
    brief = BriefFactory(
        published=True, title="Ceasefire & aid: a <vote>", topics=[TopicFactory()]
    )
    brief.authors.add(author)
    response, feed = parse(client, reverse(name))
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.title == brief.title
    assert entry.link.endswith(brief.get_absolute_url())
    assert entry.summary == brief.summary


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEEDS)
def test_feed_lists_the_latest_20_newest_first(client, name):
    now = timezone.now()
    briefs = [
        BriefFactory(published=True, published_at=now - datetime.timedelta(hours=n))
        for n in range(1, 23)
    ]
    _, feed = parse(client, reverse(name))
    assert [e.title for e in feed.entries] == [b.title for b in briefs[:20]]


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("fields", HIDDEN)
def test_feed_hides_what_readers_cannot_see(client, name, fields):
    hidden = BriefFactory(**fields)
    shown = BriefFactory(published=True)
    _, feed = parse(client, reverse(name))
    assert [e.title for e in feed.entries] == [shown.title]
    assert hidden.title not in str(feed)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["briefs:topic-feed-rss", "briefs:topic-feed-atom"])
def test_topic_feed_lists_only_that_topic(client, name):
    topic = TopicFactory(name="Sanctions")
    on_topic = BriefFactory(published=True, topics=[topic])
    BriefFactory(published=True, topics=[TopicFactory()])
    BriefFactory(topics=[topic])
    _, feed = parse(client, reverse(name, args=[topic.slug]))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [on_topic.title]
    assert "Sanctions" in feed.feed.title


@pytest.mark.django_db
def test_topic_feed_for_an_unknown_topic_is_404(client):
    assert (
        client.get(reverse("briefs:topic-feed-rss", args=["nope"])).status_code == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEEDS)
def test_feed_answers_304_to_a_matching_etag(client, name):
    BriefFactory(published=True)
    first = client.get(reverse(name))
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEEDS)
def test_feed_etag_changes_when_a_brief_is_published(
    client, name, django_capture_on_commit_callbacks
):
    BriefFactory(published=True)
    before = client.get(reverse(name))["ETag"]
    draft = BriefFactory()
    BulletFactory(section=SectionFactory(brief=draft))
    with django_capture_on_commit_callbacks(execute=True):
        services.brief_transition(brief=draft, action="publish")
    after = client.get(reverse(name), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEEDS)
def test_feed_is_cacheable_for_anonymous_readers(client, name):
    assert client.get(reverse(name))["Cache-Control"] == "public, max-age=60"


@pytest.mark.django_db
@pytest.mark.parametrize("name", FEEDS)
def test_feed_queries_do_not_grow_with_the_briefs(
    client, name, django_assert_max_num_queries
):
    author = UserFactory()
    for _ in range(20):
        brief = BriefFactory(published=True, topics=[TopicFactory(), TopicFactory()])
        brief.authors.add(author)
    with django_assert_max_num_queries(6):
        client.get(reverse(name))


@pytest.mark.django_db
def test_feed_etag_follows_an_edit_to_a_listed_brief(
    client, django_capture_on_commit_callbacks
):
    brief = BriefFactory(published=True)
    BulletFactory(section=SectionFactory(brief=brief))
    etag = client.get("/feeds/rss/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        services.brief_update(brief=brief, fields={"title": "A corrected headline"})
    assert client.get("/feeds/rss/")["ETag"] != etag


HOSTILE_FEEDS = ["/feeds/rss/", "/feeds/atom/", "/feeds/rss/{}/", "/feeds/atom/{}/"]


def html_fields(parsed):
    """Yield (where, value) for every part of a parsed feed a reader renders as HTML."""
    for where, item in [("feed", parsed.feed), *enumerate(parsed.entries)]:
        details = [(k, v) for k, v in item.items() if k.endswith("_detail")]
        details += [(f"content {n}", c) for n, c in enumerate(item.get("content", []))]
        for key, detail in details:
            if "html" in detail.get("type", ""):
                yield f"{where} {key}", detail["value"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_FEEDS)
def test_feed_carries_no_live_markup_from_hostile_text(client, url):
    brief = hostile_brief()
    response = client.get(url.format(brief.topics.get().slug))
    # Parsed as a feed reader that trusts its feeds would: no sanitising.
    parsed = feedparser.parse(response.content, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")

    fields = dict(html_fields(parsed))

    assert any("summary" in where for where in fields)
    for where, value in fields.items():
        markup = Markup(value)
        assert markup.elements == [], (where, value)
    (entry,) = parsed.entries
    assert Markup(entry.summary).text == brief.summary

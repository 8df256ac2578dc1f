"""Home and topic pages go back in time by position, never by counting."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs.paging import decode_position, encode_position
from tests.factories import BriefFactory, TopicFactory

HOME = reverse("briefs:brief-list")


def briefs_an_hour_apart(count, **kwargs):
    start = timezone.now() - datetime.timedelta(days=30)
    return [
        BriefFactory(
            published=True,
            published_at=start + datetime.timedelta(hours=n),
            **kwargs,
        )
        for n in range(count)
    ]


def link(response, rel):
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', response.text)
    return found and found.group(1).replace("&amp;", "&")


def titles(response):
    return [brief.title for brief in response.context["briefs"]]


@pytest.mark.django_db
def test_older_and_newer_links_walk_the_whole_list_once(client):
    briefs = briefs_an_hour_apart(45)
    newest_first = [brief.title for brief in reversed(briefs)]
    first = client.get(HOME)
    second = client.get(link(first, "next"))
    third = client.get(link(second, "next"))
    assert titles(first) + titles(second) + titles(third) == newest_first
    assert link(third, "next") is None
    assert titles(client.get(link(third, "prev"))) == newest_first[20:40]
    assert titles(client.get(link(second, "prev"))) == newest_first[:20]


@pytest.mark.django_db
def test_the_first_page_has_no_newer_link(client):
    briefs_an_hour_apart(21)
    response = client.get(HOME)
    assert link(response, "prev") is None
    assert link(response, "next").startswith("/?before=")


@pytest.mark.django_db
def test_briefs_published_at_the_same_moment_are_neither_lost_nor_repeated(client):
    moment = timezone.now() - datetime.timedelta(days=1)
    briefs = BriefFactory.create_batch(25, published=True, published_at=moment)
    first = client.get(HOME)
    second = client.get(link(first, "next"))
    seen = titles(first) + titles(second)
    assert sorted(seen) == sorted(brief.title for brief in briefs)
    assert len(set(seen)) == 25


@pytest.mark.django_db
def test_a_newer_page_near_the_top_becomes_the_first_page(client):
    briefs = briefs_an_hour_apart(25)
    response = client.get(HOME, {"after": encode_position(briefs[10])})
    assert titles(response) == [brief.title for brief in reversed(briefs)][:20]
    assert link(response, "prev") is None


@pytest.mark.django_db
def test_pages_never_count_or_skip_rows(client, django_assert_max_num_queries):
    briefs = briefs_an_hour_apart(30, topics=[TopicFactory()])
    with django_assert_max_num_queries(4) as captured:
        client.get(HOME, {"before": encode_position(briefs[25])})
    sql = " ".join(query["sql"].upper() for query in captured.captured_queries)
    assert "COUNT(" not in sql
    assert "OFFSET" not in sql


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"before": "soon"}, {"after": "12-x"}, {"before": "1-1", "after": "1-1"}],
)
def test_a_malformed_position_is_not_found(client, params):
    assert client.get(HOME, params).status_code == 404


@pytest.mark.django_db
def test_topic_pages_go_back_within_the_topic(client):
    topic = TopicFactory()
    inside = briefs_an_hour_apart(22, topics=[topic])
    briefs_an_hour_apart(5)
    first = client.get(topic.get_absolute_url())
    second = client.get(link(first, "next"))
    assert link(first, "next").startswith(topic.get_absolute_url() + "?before=")
    assert titles(second) == [brief.title for brief in inside[:2]][::-1]


@pytest.mark.django_db
def test_an_older_page_names_itself_as_canonical(client):
    briefs = briefs_an_hour_apart(21)
    position = encode_position(briefs[5])
    response = client.get(HOME, {"before": position, "utm_source": "mail"})
    assert (
        f'rel="canonical" href="http://testserver/?before={position}"'
        in (response.text)
        or f'/?before={position}"' in response.text
    )


def test_a_position_reads_back_as_the_same_moment_and_id():
    brief = BriefFactory.build(
        pk=42,
        published_at=datetime.datetime(2026, 3, 1, 9, 30, 0, 123456, datetime.UTC),
    )
    assert decode_position(encode_position(brief)) == (brief.published_at, 42)

"""Every list links its `previous` page as well as its `next`."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.api.conftest import published_brief

pytestmark = pytest.mark.django_db
LIST = "/api/v1/briefs/"


def keys(response, key="slug"):
    return [row[key] for row in response.json()["results"]]


def pages_there_and_back(client, url, params, key="slug"):
    """Walk to the last page by `next`, then back by `previous`; return both."""
    forward, response = [], client.get(url, params)
    assert response.json()["previous"] is None
    while True:
        assert response.status_code == 200, response.content
        forward.append(keys(response, key))
        if not response.json()["next"]:
            break
        response = client.get(response.json()["next"])
    backward = [keys(response, key)]
    while response.json()["previous"]:
        response = client.get(response.json()["previous"])
        assert response.status_code == 200, response.content
        backward.append(keys(response, key))
    return forward, backward[::-1]


def test_anonymous_pages_link_back_to_the_same_pages(api):
    same_time = timezone.now() - datetime.timedelta(hours=2)
    for _ in range(5):
        published_brief(published_at=same_time)
    for _ in range(2):
        published_brief()

    forward, backward = pages_there_and_back(api, LIST, {"page_size": 2})

    assert len(forward) == 4
    assert backward == forward


@pytest.mark.parametrize("ordering", ["-published_at", "published_at", "title"])
def test_staff_pages_with_drafts_link_back_in_any_order(writer_api, ordering):
    for _ in range(3):
        factories.BriefFactory()
    for _ in range(4):
        published_brief()

    forward, backward = pages_there_and_back(
        writer_api, LIST, {"page_size": 2, "ordering": ordering}
    )

    assert backward == forward
    assert len({slug for page in forward for slug in page}) == 7


def test_the_first_page_has_no_previous_and_the_second_links_to_it(api):
    for _ in range(3):
        published_brief()
    first = api.get(LIST, {"page_size": 2})

    second = api.get(first.json()["next"])
    back = api.get(second.json()["previous"])

    assert first.json()["previous"] is None
    assert keys(back) == keys(first)
    assert back.json()["previous"] is None
    assert back.json()["next"]


def test_topics_and_votes_link_previous_pages_too(api):
    for n in range(5):
        published_brief().topics.add(factories.TopicFactory(name=f"Topic {n:02d}"))

    forward, backward = pages_there_and_back(
        api, "/api/v1/topics/", {"page_size": 2}, key="slug"
    )

    assert backward == forward


def test_a_previous_cursor_that_was_tampered_with_is_a_400(api):
    published_brief()

    response = api.get(LIST, {"cursor": "eyJrIjogInB1Ymxpc2hlZF9hdCIsICJkIjogIngifQ=="})

    assert response.status_code == 400
    assert "cursor" in response.json()

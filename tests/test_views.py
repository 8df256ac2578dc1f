import datetime
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    BriefFactory,
    BulletFactory,
    CorrectionFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    VoteFactory,
)

HIDDEN = [
    {"status": "draft"},
    {"status": "review", "published_at": timezone.now()},
    {"status": "archived", "published_at": timezone.now()},
    {
        "status": "published",
        "published_at": timezone.now() + datetime.timedelta(days=1),
    },
]


@pytest.mark.django_db
def test_home_lists_published_briefs_newest_first(client):
    older = BriefFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(days=2)
    )
    newer = BriefFactory(published=True)
    response = client.get(reverse("briefs:brief-list"))
    assert response.status_code == 200
    assert list(response.context["briefs"]) == [newer, older]


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_home_hides_what_readers_cannot_see(client, fields):
    hidden = BriefFactory(**fields)
    response = client.get(reverse("briefs:brief-list"))
    assert hidden.title not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_brief_page_is_404_for_what_readers_cannot_see(client, fields):
    hidden = BriefFactory(**fields)
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_topic_page_hides_what_readers_cannot_see(client, fields):
    topic = TopicFactory()
    hidden = BriefFactory(topics=[topic], **fields)
    shown = BriefFactory(published=True, topics=[topic])
    response = client.get(topic.get_absolute_url())
    assert list(response.context["briefs"]) == [shown]
    assert hidden.title not in response.text


@pytest.mark.django_db
def test_brief_page_shows_sections_votes_sources_and_corrections(client):
    brief = BriefFactory(published=True, title="Assembly <b>split</b>")
    section = SectionFactory(brief=brief, heading="How it went")
    BulletFactory(section=section, text="Delegates walked out.", attribution="alleged")
    brief.votes.add(VoteFactory())
    brief.sources.add(SourceFactory(title="Official record"))
    CorrectionFactory(brief=brief, text="We misstated the date.")
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    assert "Assembly &lt;b&gt;split&lt;/b&gt;" in response.text
    assert "How it went" in response.text
    assert "Alleged:" in response.text
    assert "Adopted, 93-18-65" in response.text
    assert "Official record" in response.text
    assert "We misstated the date." in response.text


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def build_large_brief(sections, bullets, votes):
    brief = BriefFactory(published=True, topics=[TopicFactory(), TopicFactory()])
    source = SourceFactory()
    for _ in range(sections):
        section = SectionFactory(brief=brief)
        for _ in range(bullets):
            BulletFactory(section=section, sources=[source])
    brief.votes.add(*[VoteFactory() for _ in range(votes)])
    return brief


@pytest.mark.django_db
def test_brief_page_queries_do_not_grow_with_the_brief(
    client, django_assert_max_num_queries
):
    small = build_large_brief(1, 1, 1)
    large = build_large_brief(12, 10, 3)
    small_queries = count_queries(client, small.get_absolute_url())
    with django_assert_max_num_queries(small_queries):
        client.get(large.get_absolute_url())


@pytest.mark.django_db
def test_home_queries_do_not_grow_with_the_page(client, django_assert_max_num_queries):
    BriefFactory.create_batch(2, published=True, topics=[TopicFactory()])
    few = count_queries(client, reverse("briefs:brief-list"))
    BriefFactory.create_batch(48, published=True, topics=[TopicFactory()])
    with django_assert_max_num_queries(few):
        client.get(reverse("briefs:brief-list"))


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=DatabaseError("down"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"

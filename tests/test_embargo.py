"""Embargoes: partners get a published brief at once, readers from its time."""

import datetime

import pytest
import time_machine

from briefs import services
from briefs.cache import read_generation
from briefs.models import Brief
from tests import factories
from tests.api.conftest import brief_with_content

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("published_at", "embargo_until", "visible"),
    [
        (NOW - HOUR, None, True),
        (NOW - HOUR, NOW - HOUR, True),
        (NOW - HOUR, NOW, True),
        (NOW - HOUR, NOW + HOUR, False),
        (NOW + HOUR, None, False),
        (NOW + HOUR, NOW - HOUR, False),
    ],
)
def test_published_and_is_published_agree_on_embargoes(
    published_at, embargo_until, visible
):
    with time_machine.travel(NOW, tick=False):
        brief = factories.BriefFactory(
            published=True, published_at=published_at, embargo_until=embargo_until
        )

        assert brief.is_published is visible
        assert Brief.objects.published().filter(pk=brief.pk).exists() is visible


@pytest.mark.django_db
def test_partners_see_embargoed_briefs_and_readers_do_not():
    with time_machine.travel(NOW, tick=False):
        brief = factories.BriefFactory(published=True, embargo_until=NOW + HOUR)

        assert brief.is_embargoed
        assert list(Brief.objects.published(embargoed=True)) == [brief]
        assert list(Brief.objects.published()) == []


@pytest.mark.django_db
def test_an_embargo_end_is_the_next_public_change():
    with time_machine.travel(NOW, tick=False):
        factories.BriefFactory(
            status="published", published_at=NOW + 3 * HOUR, embargo_until=None
        )
        factories.BriefFactory(published=True, embargo_until=NOW + HOUR)

        assert Brief.objects.next_public_change() == NOW + HOUR


@pytest.mark.django_db
def test_the_page_cache_moves_on_when_an_embargo_ends(
    client, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False) as clock:
        brief = brief_with_content(votes=0)
        with django_capture_on_commit_callbacks(execute=True):
            services.brief_update(brief=brief, fields={"embargo_until": NOW + HOUR})
        assert read_generation()[2] == NOW + HOUR
        assert brief.title not in client.get("/").content.decode()
        assert client.get("/")["X-Page-Cache"] == "hit"

        clock.move_to(NOW + HOUR + datetime.timedelta(seconds=1))

        assert brief.title in client.get("/").content.decode()


@pytest.mark.django_db
def test_feeds_name_briefs_by_uuid_not_by_address(client):
    brief = brief_with_content(votes=0)

    rss = client.get("/feeds/rss/").content.decode()
    atom = client.get("/feeds/atom/").content.decode()

    assert f'<guid isPermaLink="false">urn:uuid:{brief.uuid}</guid>' in rss
    assert f"<id>urn:uuid:{brief.uuid}</id>" in atom


@pytest.mark.django_db
def test_a_feed_is_modified_when_an_embargo_ends(client):
    with time_machine.travel(NOW, tick=False) as clock:
        brief = brief_with_content(votes=0)
        services.brief_update(brief=brief, fields={"embargo_until": NOW + HOUR})
        before = client.get("/feeds/rss/")["Last-Modified"]
        clock.move_to(NOW + 2 * HOUR)

        answer = client.get(
            "/feeds/rss/", HTTP_IF_MODIFIED_SINCE=before, HTTP_CACHE_CONTROL="no-cache"
        )

    assert answer.status_code == 200

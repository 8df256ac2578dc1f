"""The change feed: every change partners can see, numbered, never missed."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from briefs import services
from briefs.models import Brief, Change
from tests import factories
from tests.api.conftest import client_for

FEED = "/api/v1/changes/"
LIST = "/api/v1/briefs/"


@pytest.fixture
def partner_api(db):
    return client_for(factories.UserFactory(username="partner", partner=True))


def ready_brief(**kwargs):
    brief = factories.BriefFactory(**kwargs)
    factories.BulletFactory(section=factories.SectionFactory(brief=brief))
    return brief


def publish(brief, at=None):
    return services.brief_transition(brief=brief, action="publish", at=at)


def feed(client, after=0, **params):
    response = client.get(FEED, {"after": after, **params})
    assert response.status_code == 200, response.content
    return response.json()


def kinds(client, after=0):
    return [(c["kind"], c["slug"]) for c in feed(client, after)["results"]]


def last_seq(client):
    return feed(client)["latest_seq"]


def sync(client, since):
    query = {
        "updated_after": since.isoformat(),
        "ordering": "updated_at",
        "include_withdrawn": "1",
    }
    return [item["id"] for item in client.get(LIST, query).json()["results"]]


@pytest.mark.django_db
def test_publishing_a_brief_adds_a_published_change(api):
    brief = publish(ready_brief(slug="assembly-vote"))

    [change] = feed(api)["results"]

    assert change["kind"] == "published"
    assert change["id"] == str(brief.uuid)
    assert change["slug"] == "assembly-vote"
    assert change["version"] == Brief.objects.get(pk=brief.pk).version
    assert change["seq"] == Change.objects.get().pk


@pytest.mark.django_db
def test_saving_a_draft_adds_no_change(api, editor_api):
    services.brief_update(brief=ready_brief(), fields={"title": "Still a draft"})

    assert feed(editor_api)["results"] == []


@pytest.mark.django_db
def test_edits_withdrawals_and_deletes_follow_in_order(api):
    brief = publish(ready_brief(slug="first"))
    other = publish(ready_brief(slug="other"))
    services.brief_update(brief=brief, fields={"title": "A title that changed"})
    services.brief_update(brief=brief, fields={"slug": "renamed"})
    services.brief_transition(brief=brief, action="archive")
    services.brief_delete(brief=Brief.objects.get(pk=other.pk))

    assert kinds(api) == [
        ("published", "first"),
        ("published", "other"),
        ("updated", "first"),
        ("slug_changed", "renamed"),
        ("withdrawn", "renamed"),
        ("deleted", "other"),
    ]


@pytest.mark.django_db
def test_seqs_only_grow_and_after_skips_what_was_read(api):
    publish(ready_brief(slug="one"))
    seen = last_seq(api)
    publish(ready_brief(slug="two"))

    results = feed(api, after=seen)["results"]

    assert [c["slug"] for c in results] == ["two"]
    assert results[0]["seq"] > seen


@pytest.mark.django_db
def test_a_scheduled_go_live_after_the_watermark_reaches_feed_and_sync(api):
    start = timezone.now()
    scheduled = publish(
        ready_brief(slug="later"), at=start + datetime.timedelta(minutes=1)
    )
    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        publish(ready_brief(slug="meanwhile"))
        watermark_seq = last_seq(api)
        watermark_time = timezone.now()

    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        services.timed_changes_record()
        after = kinds(api, watermark_seq)
        synced = sync(api, watermark_time)

    assert after == [("published", "later")]
    assert str(scheduled.uuid) in synced


@pytest.mark.django_db
def test_a_scheduled_brief_is_not_in_the_feed_before_its_time(partner_api):
    publish(ready_brief(), at=timezone.now() + datetime.timedelta(hours=1))

    services.timed_changes_record()

    assert feed(partner_api)["results"] == []


@pytest.mark.django_db
def test_an_embargo_end_reaches_readers_feed_and_sync(api, partner_api):
    start = timezone.now()
    brief = ready_brief(
        slug="embargoed", embargo_until=start + datetime.timedelta(hours=1)
    )
    publish(brief)
    assert kinds(api) == []
    assert kinds(partner_api) == [("published", "embargoed")]
    seen = last_seq(partner_api)

    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        since = timezone.now() - datetime.timedelta(minutes=1)
        services.timed_changes_record()
        for_readers = kinds(api)
        for_partners = kinds(partner_api, seen)
        synced = sync(api, since)

    assert for_readers == [("embargo_ended", "embargoed")]
    assert for_partners == [("embargo_ended", "embargoed")]
    assert str(brief.uuid) in synced


@pytest.mark.django_db
def test_timed_changes_are_recorded_once(api):
    start = timezone.now()
    publish(ready_brief(), at=start + datetime.timedelta(minutes=1))

    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        first = services.timed_changes_record()
        second = services.timed_changes_record()

    assert (first, second) == (1, 0)
    assert Change.objects.count() == 1


@pytest.mark.django_db
def test_renaming_a_topic_moves_its_briefs_and_reaches_feed_and_sync(api, editor_api):
    topic = factories.TopicFactory(name="Norland", slug="norland")
    brief = ready_brief(slug="tagged")
    brief.topics.add(topic)
    publish(brief)
    before = Brief.objects.get(pk=brief.pk)
    seen = last_seq(api)

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        since = timezone.now()
        response = editor_api.patch(
            "/api/v1/topics/norland/", {"name": "North Land"}, format="json"
        )
        assert response.status_code == 200, response.content
        after = Brief.objects.get(pk=brief.pk)
        [change] = feed(api, seen)["results"]
        synced = sync(api, since)

    assert after.version == before.version + 1
    assert after.updated_at > before.updated_at
    assert (change["kind"], change["version"]) == ("updated", after.version)
    assert str(brief.uuid) in synced


@pytest.mark.django_db
def test_readers_do_not_see_changes_of_embargoed_briefs(api, partner_api):
    brief = ready_brief(embargo_until=timezone.now() + datetime.timedelta(hours=1))
    publish(brief)
    services.brief_transition(brief=brief, action="return_to_draft")

    assert kinds(api) == []
    assert [kind for kind, _ in kinds(partner_api)] == ["published", "withdrawn"]


@pytest.mark.django_db
def test_expand_brief_gives_the_representation_or_a_tombstone(api):
    live = publish(ready_brief(slug="live"))
    gone = publish(ready_brief(slug="gone"))
    services.brief_transition(brief=gone, action="archive")

    results = feed(api, expand="brief")["results"]

    detail = api.get(f"{LIST}live/").json()
    assert results[0]["brief"] == detail
    assert results[1]["brief"]["status"] == "withdrawn"
    assert results[2]["brief"] == {
        "id": str(gone.uuid),
        "slug": "gone",
        "status": "withdrawn",
        "withdrawn_at": results[2]["brief"]["withdrawn_at"],
    }
    assert live.uuid != gone.uuid


@pytest.mark.django_db
def test_pages_link_to_the_next_by_after(api):
    for number in range(3):
        publish(ready_brief(slug=f"brief-{number}"))

    first = feed(api, limit=2)
    second = api.get(first["next"]).json()

    assert [c["slug"] for c in first["results"]] == ["brief-0", "brief-1"]
    assert f"after={first['last_seq']}" in first["next"]
    assert [c["slug"] for c in second["results"]] == ["brief-2"]
    assert second["next"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{"limit": 101}, {"limit": 0}, {"after": "x"}, {"expand": "votes"}]
)
def test_bad_parameters_are_refused(api, params):
    response = api.get(FEED, params)

    assert response.status_code == 400
    assert set(response.json()) == set(params)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 40])
def test_the_expanded_feed_costs_the_same_whatever_its_size(
    api, size, django_assert_max_num_queries
):
    topic = factories.TopicFactory()
    for _ in range(size):
        brief = ready_brief()
        brief.topics.add(topic)
        publish(brief)
    services.brief_transition(brief=brief, action="archive")

    with django_assert_max_num_queries(16):
        response = api.get(FEED, {"expand": "brief"})

    assert len(response.json()["results"]) == size + 1

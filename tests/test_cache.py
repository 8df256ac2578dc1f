"""The anonymous page cache never shows a reader something stale."""

import datetime
import time

import pytest
import redis
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from briefs import cache as page_cache
from briefs import services
from briefs.cache import RecentPages
from briefs.models import Brief, Correction
from newsroom.routers import ReplicaRouter
from tests.factories import (
    BriefFactory,
    BulletFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    VoteFactory,
)

HOME = reverse("briefs:brief-list")


def get(client, url, **extra):
    response = client.get(url, **extra)
    return response, response.get("X-Page-Cache")


def publishable_brief(**kwargs):
    brief = BriefFactory(**kwargs)
    BulletFactory(section=SectionFactory(brief=brief))
    return brief


@pytest.mark.django_db
def test_a_second_anonymous_request_is_served_from_the_cache(client):
    BriefFactory(published=True)
    assert get(client, HOME)[1] == "miss"
    assert get(client, HOME)[1] == "hit"


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what a change does once its transaction commits, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.django_db
def test_editing_a_brief_retires_the_cached_page(client, commits):
    brief = publishable_brief(published=True, title="Old headline")
    get(client, brief.get_absolute_url())
    with commits():
        services.brief_update(brief=brief, fields={"title": "New headline"})
    response, state = get(client, brief.get_absolute_url())
    assert state == "miss"
    assert "New headline" in response.text


@pytest.mark.django_db
def test_publishing_shows_the_brief_at_once(client, commits):
    brief = publishable_brief()
    assert brief.title not in get(client, HOME)[0].text
    with commits():
        services.brief_transition(brief=brief, action="publish")
    assert brief.title in get(client, HOME)[0].text


@pytest.mark.django_db
def test_unpublishing_hides_the_brief_at_once(client, editor, commits):
    brief = publishable_brief()
    with commits():
        services.brief_transition(brief=brief, action="publish")
    assert get(client, brief.get_absolute_url())[0].status_code == 200
    with commits():
        services.brief_transition(brief=brief, action="return_to_draft", user=editor)
    assert get(client, brief.get_absolute_url())[0].status_code == 404
    assert brief.title not in get(client, HOME)[0].text


@pytest.mark.django_db
def test_a_correction_shows_at_once(client, commits):
    brief = publishable_brief(published=True)
    get(client, brief.get_absolute_url())
    with commits():
        services.correction_save(
            correction=Correction(brief=brief, text="The date was wrong.")
        )
    assert "The date was wrong." in get(client, brief.get_absolute_url())[0].text


@pytest.mark.django_db
def test_a_bullet_edit_shows_at_once(client, commits):
    brief = BriefFactory(published=True)
    BulletFactory(section=SectionFactory(brief=brief), text="First take.")
    get(client, brief.get_absolute_url())
    sections = [{"heading": "What happened", "bullets": [{"text": "Second take."}]}]
    with commits():
        services.brief_update(brief=brief, sections=sections)
    assert "Second take." in get(client, brief.get_absolute_url())[0].text


@pytest.mark.django_db
def test_a_vote_change_shows_at_once(client, commits):
    brief = BriefFactory(published=True)
    vote = VoteFactory(yes=93, no=18, abstain=65)
    brief.votes.add(vote)
    assert "93-18-65" in get(client, brief.get_absolute_url())[0].text
    vote.abstain = 60
    with commits():
        services.vote_save(vote=vote)
    assert "93-18-60" in get(client, brief.get_absolute_url())[0].text


@pytest.mark.django_db
def test_linking_a_vote_shows_at_once(client, commits):
    brief = publishable_brief(published=True)
    get(client, brief.get_absolute_url())
    with commits():
        services.brief_update(
            brief=brief, votes=[VoteFactory(yes=93, no=18, abstain=65)]
        )
    assert "93-18-65" in get(client, brief.get_absolute_url())[0].text


@pytest.mark.django_db
def test_a_source_change_shows_at_once(client, commits):
    brief = BriefFactory(published=True)
    source = SourceFactory(title="Draft record")
    brief.sources.add(source)
    get(client, brief.get_absolute_url())
    source.title = "Final record"
    with commits():
        services.shared_save(obj=source)
    assert "Final record" in get(client, brief.get_absolute_url())[0].text


@pytest.mark.django_db
def test_a_topic_rename_shows_at_once(client, commits):
    topic = TopicFactory(name="Old name")
    BriefFactory(published=True, topics=[topic])
    get(client, HOME)
    topic.name = "New name"
    with commits():
        services.shared_save(obj=topic)
    assert "New name" in get(client, HOME)[0].text


@pytest.mark.django_db
def test_deleting_a_brief_hides_it_at_once(client, commits):
    brief = BriefFactory(published=True)
    get(client, brief.get_absolute_url())
    with commits():
        services.brief_delete(brief=brief)
    assert get(client, brief.get_absolute_url())[0].status_code == 404


@pytest.mark.django_db
def test_saving_a_draft_keeps_the_cached_pages(client, commits):
    published = BriefFactory(published=True)
    draft = BriefFactory(title="A draft nobody reads yet")
    get(client, published.get_absolute_url())
    with commits():
        services.brief_update(brief=draft, fields={"title": "Still a draft"})
        services.brief_transition(brief=draft, action="submit_for_review")
        services.brief_update(brief=draft, fields={"title": "In review"})
    assert get(client, published.get_absolute_url())[1] == "hit"


@pytest.mark.django_db
def test_a_scheduled_brief_appears_at_its_time_without_any_change(client, commits):
    now = timezone.now()
    brief = publishable_brief()
    with commits():
        services.brief_transition(
            brief=brief, action="publish", at=now + datetime.timedelta(minutes=5)
        )
    BriefFactory(published=True)
    assert brief.title not in get(client, HOME)[0].text
    assert get(client, HOME)[1] == "hit"
    with time_machine.travel(now + datetime.timedelta(minutes=6)):
        assert brief.title in get(client, HOME)[0].text


@pytest.mark.django_db
def test_signed_in_staff_are_never_served_or_stored(client):
    brief = BriefFactory(published=True)
    client.force_login(UserFactory(username="staffer"))
    response, state = get(client, brief.get_absolute_url())
    assert response.status_code == 200
    assert state is None
    client.logout()
    assert get(client, brief.get_absolute_url())[1] == "miss"


@pytest.mark.django_db
def test_requests_with_credentials_bypass_the_cache(client):
    brief = BriefFactory(published=True)
    get(client, brief.get_absolute_url())
    response = client.get(brief.get_absolute_url(), HTTP_AUTHORIZATION="Token abc")
    assert response.get("X-Page-Cache") is None


@pytest.mark.django_db
def test_not_found_pages_are_not_cached(client):
    assert get(client, "/briefs/nothing-here/")[1] is None
    brief = BriefFactory(published=True, slug="nothing-here")
    assert get(client, brief.get_absolute_url())[0].status_code == 200


@pytest.mark.django_db
def test_page_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    BriefFactory(published=True)
    assert get(client, HOME)[1] is None
    assert get(client, HOME)[1] is None


@pytest.mark.django_db
def test_paths_under_the_excluded_prefixes_setting_are_never_cached(client, settings):
    settings.PAGE_CACHE_EXCLUDED_PREFIXES = ["/topics/"]
    topic = TopicFactory()
    BriefFactory(published=True, topics=[topic])
    assert get(client, topic.get_absolute_url())[1] is None
    assert get(client, topic.get_absolute_url())[1] is None
    assert get(client, HOME)[1] == "miss"


@pytest.mark.django_db
def test_renaming_an_author_shows_at_once(client, commits):
    author = UserFactory(username="reporter", first_name="Ana", last_name="Lima")
    brief = BriefFactory(published=True)
    brief.authors.add(author)
    assert "Ana Lima" in get(client, brief.get_absolute_url())[0].text
    author.last_name = "Silva"
    with commits():
        services.author_save(user=author)
    response, state = get(client, brief.get_absolute_url())
    assert state == "miss"
    assert "Ana Silva" in response.text


@pytest.mark.django_db
def test_signing_in_keeps_the_cached_pages(client):
    user = UserFactory(username="staffer")
    brief = BriefFactory(published=True)
    get(client, brief.get_absolute_url())
    type(client)().force_login(user)
    user.refresh_from_db()
    assert user.last_login is not None
    assert get(client, brief.get_absolute_url())[1] == "hit"


@pytest.mark.django_db
def test_a_hit_carries_the_headers_of_the_whole_stack(client):
    brief = BriefFactory(published=True)
    miss, _ = get(client, brief.get_absolute_url())
    hit, state = get(client, brief.get_absolute_url())
    assert state == "hit"
    for header in ("X-Content-Type-Options", "Referrer-Policy", "ETag", "Vary"):
        assert hit[header] == miss[header]


@pytest.mark.django_db
def test_plain_http_is_left_to_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    brief = BriefFactory(published=True)
    get(client, brief.get_absolute_url(), secure=True)
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_a_worker_keeps_recent_pages_within_its_size():
    recent = RecentPages(max_bytes=100)
    recent.put("a", (200, [], b"x" * 40))
    recent.put("b", (200, [], b"x" * 40))
    recent.get("a")
    recent.put("c", (200, [], b"x" * 40))
    assert list(recent.pages) == ["a", "c"]
    assert recent.size <= 100


# Several worker processes, each with a cache of its own ------------------------


def as_worker(settings, name):
    """Make the next request run as the worker `name`, with its own locmem cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"page-cache-test-{name}",
        }
    }


@pytest.mark.django_db
def test_an_unpublish_is_seen_by_every_worker_at_its_next_request(
    settings, commits, editor
):
    brief = publishable_brief(published=True)
    url = brief.get_absolute_url()
    workers = {"first": Client(), "second": Client()}
    for name, client in workers.items():
        as_worker(settings, name)
        get(client, url)
        assert get(client, url)[1] == "hit"

    # A third process (another worker, or a shell) unpublishes.
    as_worker(settings, "shell")
    with commits():
        services.brief_transition(brief=brief, action="return_to_draft", user=editor)

    for name, client in workers.items():
        as_worker(settings, name)
        assert get(client, url)[0].status_code == 404


# Watching Redis for changes ---------------------------------------------------

REDIS_CACHE = {
    "default": {
        "BACKEND": "newsroom.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/9",
        "KEY_PREFIX": "page-watch-test",
    }
}


def redis_is_up():
    try:
        return redis.Redis.from_url(REDIS_CACHE["default"]["LOCATION"]).ping()
    except redis.RedisError:
        return False


_redis_is_up = pytest.mark.skipif(
    not redis_is_up(),
    reason="needs a Redis server on 127.0.0.1:6379 (apt-get install redis-server)",
)


def needs_redis(test):
    """Skip without Redis; run on the parallel worker that has the Redis tests,
    since they share one Redis database and empty it."""
    return pytest.mark.xdist_group("redis")(_redis_is_up(test))


@pytest.fixture
def redis_cache(settings):
    from django.core.cache import caches

    settings.CACHES = REDIS_CACHE
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@needs_redis
@pytest.mark.django_db
def test_a_watching_worker_serves_hits_without_asking_redis_or_the_database(
    client, redis_cache, monkeypatch, django_assert_num_queries
):
    brief = BriefFactory(published=True)
    url = brief.get_absolute_url()
    for _ in range(3):  # subscribe, read the generation, fill the page
        get(client, url)
    gets = []
    monkeypatch.setattr(redis_cache, "get", lambda *a, **k: gets.append(a))
    with django_assert_num_queries(0):
        assert get(client, url)[1] == "hit"
    assert gets == []


@needs_redis
@pytest.mark.django_db
def test_a_watching_worker_sees_a_change_made_elsewhere_at_once(client, redis_cache):
    brief = BriefFactory(published=True, title="Old headline")
    url = brief.get_absolute_url()
    for _ in range(3):
        get(client, url)
    # Another process's edit: the database and the channel carry it.
    Brief.objects.filter(pk=brief.pk).update(title="New headline")
    page_cache.next_generation()
    # Redis may answer the publish before it writes the notice to subscribers;
    # it has written it by the time it answers the next command.
    redis_cache.notices.ping()
    # On a busy machine the notice may still be on its way: it must arrive
    # within the second the product promises (the soak's bound).
    deadline = time.monotonic() + 1
    response, state = get(client, url)
    while state == "hit" and time.monotonic() < deadline:
        response, state = get(client, url)
    assert state == "miss"
    assert "New headline" in response.text


@needs_redis
@pytest.mark.django_db
def test_a_lost_notice_keeps_a_page_only_a_few_seconds(
    client, redis_cache, monkeypatch, settings
):
    brief = BriefFactory(published=True, title="Old headline")
    url = brief.get_absolute_url()
    for _ in range(3):
        get(client, url)
    monkeypatch.setattr(redis_cache, "publish", lambda *args, **kwargs: 0)
    Brief.objects.filter(pk=brief.pk).update(title="New headline")
    page_cache.next_generation()  # its notice never arrives

    with time_machine.travel(
        timezone.now() + datetime.timedelta(seconds=settings.PAGE_CACHE_TRUST_SECONDS)
    ):
        response, state = get(client, url)
    assert state == "miss"
    assert "New headline" in response.text


@needs_redis
@pytest.mark.django_db
def test_a_broken_subscription_falls_back_to_reading_the_generation(
    client, redis_cache, monkeypatch
):
    brief = BriefFactory(published=True, title="Old headline")
    url = brief.get_absolute_url()
    for _ in range(3):
        get(client, url)

    def broken(*args, **kwargs):
        raise redis.ConnectionError("lost")

    monkeypatch.setattr(redis.client.PubSub, "get_message", broken)
    monkeypatch.setattr(redis_cache, "publish", lambda *args, **kwargs: 0)
    Brief.objects.filter(pk=brief.pk).update(title="New headline")
    page_cache.next_generation()
    response, state = get(client, url)
    assert state == "miss"
    assert "New headline" in response.text


# Replicas ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_pages_are_made_from_the_primary_right_after_a_change(
    client, settings, commits, monkeypatch
):
    brief = publishable_brief(published=True)
    read_from = []
    original = ReplicaRouter.db_for_read

    def recording(self, model, **hints):
        # Where the read would go; the test database serves it either way.
        read_from.append(original(self, model, **hints))
        return "default"

    monkeypatch.setattr(ReplicaRouter, "db_for_read", recording)
    settings.DATABASE_REPLICAS = ["replica_1"]
    with commits():
        services.brief_update(brief=brief, fields={"title": "A fresh headline"})

    read_from.clear()
    get(client, brief.get_absolute_url())
    assert read_from and set(read_from) == {"default"}

    read_from.clear()
    later = timezone.now() + datetime.timedelta(seconds=60)
    with time_machine.travel(later):
        get(client, "/?page=1")
    assert "replica_1" in read_from

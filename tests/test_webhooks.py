"""Webhooks: signed deliveries of what happens to published briefs, retried
until they arrive, never waited on by an editor."""

import datetime
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from briefs import services, webhooks
from briefs.models import (
    Change,
    Correction,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
)
from briefs.webhook_urls import validate_webhook_url
from tests.api.conftest import client_for
from tests.factories import (
    BriefFactory,
    BulletFactory,
    SectionFactory,
    WebhookSubscriptionFactory,
)
from tests.webhook_receiver import Receiver

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def local_receivers(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def publishable_brief(**kwargs):
    brief = BriefFactory(**kwargs)
    BulletFactory(section=SectionFactory(brief=brief))
    return brief


def subscribe(receiver, **kwargs):
    subscription = WebhookSubscriptionFactory(url=receiver.url, **kwargs)
    receiver.secret = subscription.secret
    return subscription


def publish(brief, commits):
    with commits():
        services.brief_transition(brief=brief, action="publish")


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_published_brief_is_delivered_signed_to_a_local_receiver(commits):
    brief = publishable_brief(title="Assembly backs a ceasefire")
    with Receiver(secret=None) as receiver:
        subscribe(receiver)
        publish(brief, commits)

    [payload] = receiver.verified
    assert payload["type"] == "brief.published"
    assert payload["data"]["slug"] == brief.slug
    assert payload["data"]["title"] == "Assembly backs a ceasefire"
    assert payload["data"]["status"] == "published"
    assert payload["data"]["url"].endswith(f"/briefs/{brief.slug}/")
    assert payload["data"]["api_url"].endswith(f"/api/v1/briefs/{brief.slug}/")
    headers = receiver.requests[0][0]
    assert headers["webhook-id"].startswith("msg_")
    assert headers["webhook-signature"].startswith("v1,")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 1 and delivery.last_status_code == 204


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_signature_made_with_another_secret_does_not_verify(commits):
    brief = publishable_brief()
    with Receiver(secret=None) as receiver:
        subscribe(receiver)
        receiver.secret = "whsec_" + "A" * 44
        publish(brief, commits)

    assert len(receiver.requests) == 1
    assert receiver.verified == []


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_attempt(commits):
    brief = publishable_brief()
    start = timezone.now()
    with Receiver(secret=None, answers=[500, 500]) as receiver:
        subscribe(receiver)
        with time_machine.travel(start, tick=True):
            publish(brief, commits)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        # Not due yet: nothing is sent.
        with time_machine.travel(start, tick=True):
            call_command("send_webhooks", verbosity=0)
        assert len(receiver.requests) == 1

        with time_machine.travel(start + datetime.timedelta(seconds=10), tick=True):
            call_command("send_webhooks", verbosity=0)
        with time_machine.travel(start + datetime.timedelta(minutes=2), tick=True):
            call_command("send_webhooks", verbosity=0)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 500, 204]
    assert "HTTP 500" in delivery.attempt_log.first().error
    assert len(receiver.verified) == 3
    assert len({headers["webhook-id"] for headers, _, _ in receiver.requests}) == 1
    assert receiver.verified[-1]["data"]["slug"] == brief.slug


@pytest.mark.django_db
def test_a_subscriber_down_for_an_hour_loses_no_event(commits):
    brief = publishable_brief()
    start = timezone.now()
    with Receiver(secret=None, answers=[503] * 1000) as receiver:
        subscribe(receiver)
        with time_machine.travel(start, tick=True):
            publish(brief, commits)
        for minutes in range(5, 65, 5):
            with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
                call_command("send_webhooks", verbosity=0)
        receiver.answers.clear()
        with time_machine.travel(start + datetime.timedelta(hours=3), tick=True):
            call_command("send_webhooks", verbosity=0)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempt_log.filter(status_code=503).count() >= 5
    assert receiver.verified[-1]["type"] == "brief.published"


@pytest.mark.django_db
def test_a_delivery_is_given_up_24_hours_after_the_event():
    subscription = WebhookSubscriptionFactory(url="http://127.0.0.1:9/refused")
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event=WebhookEvent.UPDATED,
        payload={},
        created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1),
        next_attempt_at=timezone.now(),
    )

    call_command("send_webhooks", verbosity=0)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is None
    assert "Could not reach" in delivery.last_error


def test_retries_back_off_and_stop_24_hours_after_the_event():
    created = timezone.now()
    delivery = WebhookDelivery(created_at=created)
    delays, now = [], created
    for attempts in range(1, 40):
        delivery.attempts = attempts
        following = webhooks.next_attempt(delivery, now)
        if following is None:
            break
        delays.append(following - now)
        now = following
    assert delays[:4] == [
        datetime.timedelta(seconds=5),
        datetime.timedelta(seconds=30),
        datetime.timedelta(minutes=2),
        datetime.timedelta(minutes=10),
    ]
    assert delays == sorted(delays) or delays[-1] < delays[-2]
    assert now == created + datetime.timedelta(hours=24)


@pytest.mark.django_db(transaction=True)
def test_a_due_delivery_whose_task_was_lost_still_goes_out(settings):
    settings.TASKS = DATABASE_BACKEND
    brief = publishable_brief()
    with Receiver(secret=None) as receiver:
        subscribe(receiver)
        services.brief_transition(brief=brief, action="publish")
        # The queue lost every task (a flushed Redis, a restored database).
        DBTaskResult.objects.all().delete()
        call_command("send_webhooks", verbosity=0)

    assert [p["type"] for p in receiver.verified] == ["brief.published"]


@pytest.mark.django_db(transaction=True)
def test_publishing_through_the_api_does_not_wait_on_a_slow_subscriber(
    settings, editor
):
    settings.TASKS = DATABASE_BACKEND
    brief = publishable_brief()
    delay = 2
    with Receiver(secret=None, delay=delay) as receiver:
        subscribe(receiver)
        started = time.monotonic()
        response = client_for(editor).post(f"/api/v1/briefs/{brief.slug}/publish/")
        took = time.monotonic() - started

        assert response.status_code == 200, response.content
        assert took < delay
        assert receiver.requests == []
        assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
        call_command("run_worker", "--batch", verbosity=0)

    assert [p["type"] for p in receiver.verified] == ["brief.published"]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


@pytest.mark.tasks
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "event"),
    [
        (lambda b: services.brief_update(brief=b, fields={"title": "New"}), "updated"),
        (lambda b: services.brief_transition(brief=b, action="archive"), "withdrawn"),
        (
            lambda b: services.brief_transition(brief=b, action="return_to_draft"),
            "withdrawn",
        ),
        (lambda b: services.brief_delete(brief=b), "withdrawn"),
        (
            lambda b: services.correction_save(
                correction=Correction(brief=b, kind="correction", text="A fix.")
            ),
            "corrected",
        ),
    ],
    ids=["update", "archive", "unpublish", "delete", "correction"],
)
def test_each_change_of_a_published_brief_sends_its_event(commits, change, event):
    brief = publishable_brief(published=True, title="Council adopts a budget")
    slug = brief.slug
    with Receiver(secret=None) as receiver:
        subscribe(receiver)
        with commits():
            change(brief)

    [payload] = receiver.verified
    assert payload["type"] == f"brief.{event}"
    assert payload["data"]["slug"] == slug
    assert payload["data"]["title"] in ("Council adopts a budget", "New")


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_deleted_brief_is_withdrawn_with_its_last_known_fields(commits):
    brief = publishable_brief(published=True, title="Court hears the appeal")
    slug, version = brief.slug, brief.version
    with Receiver(secret=None) as receiver:
        subscribe(receiver, events=["brief.withdrawn"])
        with commits():
            services.brief_delete(brief=brief)

    [payload] = receiver.verified
    assert payload["data"]["slug"] == slug
    assert payload["data"]["title"] == "Court hears the appeal"
    assert payload["data"]["status"] == "deleted"
    assert payload["data"]["version"] == version


@pytest.mark.django_db
def test_changes_readers_cannot_see_send_nothing(commits):
    draft = publishable_brief()
    with Receiver(secret=None) as receiver:
        subscribe(receiver)
        with commits():
            services.brief_update(brief=draft, fields={"title": "Still a draft"})
        with commits():
            services.brief_transition(brief=draft, action="submit_for_review")

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_subscription_gets_only_the_events_it_chose(commits):
    brief = publishable_brief()
    with Receiver(secret=None) as receiver:
        subscribe(receiver, events=["brief.withdrawn"])
        publish(brief, commits)
        with commits():
            services.brief_transition(brief=brief, action="archive")

    assert [p["type"] for p in receiver.verified] == ["brief.withdrawn"]


@pytest.mark.django_db
def test_an_inactive_subscription_gets_nothing(commits):
    brief = publishable_brief()
    with Receiver(secret=None) as receiver:
        subscribe(receiver, is_active=False)
        publish(brief, commits)

    assert receiver.requests == []


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_scheduled_brief_is_announced_when_readers_can_see_it(commits):
    brief = publishable_brief()
    start = timezone.now()
    at = start + datetime.timedelta(hours=2)
    with Receiver(secret=None) as receiver:
        subscribe(receiver)
        with commits():
            services.brief_transition(brief=brief, action="publish", at=at)
        call_command("send_webhooks", verbosity=0)
        assert receiver.requests == []
        # Going live is a change of its own, made by the worker or here.
        with time_machine.travel(at + datetime.timedelta(seconds=1), tick=True):
            with commits():
                call_command("send_webhooks", verbosity=0)

    assert [p["type"] for p in receiver.verified] == ["brief.published"]


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_payload_carries_the_seq_of_its_change_in_the_feed(commits):
    brief = publishable_brief()
    with Receiver(secret=None) as receiver:
        subscribe(receiver)
        publish(brief, commits)

    [payload] = receiver.verified
    assert payload["seq"] == Change.objects.get(uuid=brief.uuid).pk


@pytest.mark.django_db
def test_an_event_for_a_brief_unpublished_meanwhile_is_skipped(commits):
    brief = publishable_brief(published=True)
    subscription = WebhookSubscriptionFactory(events=["brief.updated"])
    with commits():
        services.brief_transition(brief=brief, action="return_to_draft")
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event=WebhookEvent.UPDATED,
        brief_id=brief.pk,
        payload={},
        next_attempt_at=timezone.now(),
    )

    call_command("send_webhooks", verbosity=0)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert delivery.attempts == 0


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_test_ping_is_delivered(commits):
    with Receiver(secret=None) as receiver:
        subscription = subscribe(receiver)
        with commits():
            webhooks.ping(subscription)

    assert [p["type"] for p in receiver.verified] == ["webhook.ping"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "http://localhost:8000/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.0.10/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hooks",
        "http://0.0.0.0/hooks",
    ],
)
def test_private_and_loopback_hosts_are_refused_in_production(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(ValidationError, match="public hosts only"):
        validate_webhook_url(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/hooks", "file:///etc/passwd", "gopher://x/"]
)
def test_urls_that_are_not_http_are_refused(url):
    with pytest.raises(ValidationError, match="http"):
        validate_webhook_url(url)


@pytest.mark.django_db
def test_a_private_host_is_refused_again_at_delivery(settings):
    subscription = WebhookSubscriptionFactory(url="http://127.0.0.1:9/hooks")
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="webhook.ping",
        payload={},
        next_attempt_at=timezone.now(),
    )

    webhooks.deliver(delivery.pk)

    delivery.refresh_from_db()
    assert "public hosts only" in delivery.last_error
    assert delivery.status == DeliveryStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_delivery_whose_task_was_lost(settings):
    settings.TASKS = DATABASE_BACKEND
    start = timezone.now()
    first, second = publishable_brief(), publishable_brief()
    with Receiver(secret=None) as receiver:
        subscribe(receiver, events=["brief.published"])
        with time_machine.travel(start, tick=True):
            services.brief_transition(brief=first, action="publish")
            DBTaskResult.objects.all().delete()
        # Later, the next webhook work the worker does picks up the lost one.
        with time_machine.travel(start + datetime.timedelta(minutes=15), tick=True):
            services.brief_transition(brief=second, action="publish")
            call_command("run_worker", "--batch", verbosity=0)
            call_command("run_worker", "--batch", verbosity=0)

    slugs = sorted(p["data"]["slug"] for p in receiver.verified)
    assert slugs == sorted([first.slug, second.slug])

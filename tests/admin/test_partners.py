"""The admin's partner pages: webhook subscriptions, the delivery log, tokens."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from briefs import webhooks
from briefs.models import (
    APIToken,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from tests.factories import APITokenFactory, UserFactory, WebhookSubscriptionFactory
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_receivers(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True


def test_a_subscription_is_added_with_events_as_checkboxes(admin_client):
    owner = UserFactory(username="partner", is_staff=False)
    page = admin_client.get(reverse("admin:briefs_webhooksubscription_add"))
    assert 'type="checkbox" name="events" value="brief.published"' in page.text

    response = admin_client.post(
        reverse("admin:briefs_webhooksubscription_add"),
        {
            "owner": owner.pk,
            "url": "https://127.0.0.1/hooks",
            "events": ["brief.published", "brief.withdrawn"],
            "description": "Partner site",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].errors
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["brief.published", "brief.withdrawn"]
    assert subscription.secret.startswith("whsec_")


def test_the_admin_refuses_a_url_that_is_not_http(admin_client):
    response = admin_client.post(
        reverse("admin:briefs_webhooksubscription_add"),
        {
            "owner": UserFactory(username="partner").pk,
            "url": "ftp://example.org/hooks",
            "events": ["brief.published"],
        },
    )

    assert response.status_code == 200
    assert not WebhookSubscription.objects.exists()


@pytest.mark.tasks
def test_send_test_ping_reaches_the_subscriber(
    admin_client, django_capture_on_commit_callbacks
):
    with Receiver(secret=None) as receiver:
        subscription = WebhookSubscriptionFactory(url=receiver.url)
        receiver.secret = subscription.secret
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("admin:briefs_webhooksubscription_changelist"),
                {"action": "send_test_ping", "_selected_action": [subscription.pk]},
            )

    assert response.status_code == 302
    assert [p["type"] for p in receiver.verified] == ["webhook.ping"]


@pytest.mark.tasks
def test_the_delivery_log_shows_attempts_and_retries_now(
    admin_client, django_capture_on_commit_callbacks
):
    with Receiver(secret=None, answers=[500]) as receiver:
        subscription = WebhookSubscriptionFactory(url=receiver.url)
        receiver.secret = subscription.secret
        with django_capture_on_commit_callbacks(execute=True):
            delivery = webhooks.ping(subscription)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING

        page = admin_client.get(
            reverse("admin:briefs_webhookdelivery_change", args=[delivery.pk])
        )
        assert page.status_code == 200
        assert "HTTP 500" in page.text

        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                reverse("admin:briefs_webhookdelivery_changelist"),
                {"action": "retry_now", "_selected_action": [delivery.pk]},
            )

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [
        500,
        204,
    ]
    listing = admin_client.get(reverse("admin:briefs_webhookdelivery_changelist"))
    assert listing.status_code == 200


def test_the_delivery_log_is_read_only(admin_client):
    delivery = WebhookDelivery.objects.create(
        subscription=WebhookSubscriptionFactory(),
        event=WebhookEvent.UPDATED,
        payload={},
    )

    page = admin_client.get(
        reverse("admin:briefs_webhookdelivery_change", args=[delivery.pk])
    )

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    add = admin_client.get(reverse("admin:briefs_webhookdelivery_add"))
    assert add.status_code == 403


def test_rotating_a_token_stops_the_old_key(admin_client):
    token = APITokenFactory(scope="read")
    old_key = token.key

    response = admin_client.post(
        reverse("admin:briefs_apitoken_changelist"),
        {"action": "rotate", "_selected_action": [token.pk]},
        follow=True,
    )

    token.refresh_from_db()
    assert token.key != old_key
    assert token.key in response.text
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old_key}")
    assert client.get("/api/v1/briefs/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/briefs/").status_code == 200
    assert APIToken.objects.get().rotated_at is not None

"""/api/v1/webhooks/: partners manage their own subscriptions."""

import pytest
from django.contrib.auth.models import Permission
from standardwebhooks import Webhook

from briefs.models import WebhookSubscription
from tests.api.conftest import client_for
from tests.factories import APITokenFactory, UserFactory, WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks/"


@pytest.fixture(autouse=True)
def local_receivers(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True


def partner(name="partner"):
    user = UserFactory(username=name, is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="manage_webhook"))
    return user


@pytest.fixture
def partner_api():
    return client_for(partner())


def test_a_partner_subscribes_and_gets_a_secret_once(partner_api):
    response = partner_api.post(
        URL,
        {"url": "https://127.0.0.1:8443/hooks", "events": ["brief.published"]},
    )

    assert response.status_code == 201, response.content
    secret = response.json()["secret"]
    assert secret.startswith("whsec_")
    Webhook(secret)  # a secret standardwebhooks accepts
    subscription = WebhookSubscription.objects.get()
    assert subscription.owner == partner_api.user
    assert subscription.events == ["brief.published"]
    detail = partner_api.get(f"{URL}{subscription.pk}/").json()
    assert "secret" not in detail
    assert "secret" not in partner_api.get(URL).json()["results"][0]


def test_a_partner_may_choose_the_secret(partner_api):
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    response = partner_api.post(
        URL,
        {"url": "http://127.0.0.1/h", "events": ["brief.updated"], "secret": secret},
    )

    assert response.status_code == 201, response.content
    assert WebhookSubscription.objects.get().secret == secret


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "ftp://example.org/x", "events": ["brief.published"]}, "url"),
        ({"url": "http://127.0.0.1/h", "events": []}, "events"),
        ({"url": "http://127.0.0.1/h", "events": ["brief.eaten"]}, "events"),
        (
            {"url": "http://127.0.0.1/h", "events": ["brief.updated"], "secret": "x"},
            "secret",
        ),
    ],
    ids=["not-http", "no-events", "unknown-event", "bad-secret"],
)
def test_bad_subscriptions_get_field_errors(partner_api, payload, field):
    response = partner_api.post(URL, payload)

    assert response.status_code == 400
    assert field in response.json()
    assert not WebhookSubscription.objects.exists()


def test_a_private_host_is_refused_in_production(partner_api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False

    response = partner_api.post(
        URL, {"url": "http://10.0.0.8/hooks", "events": ["brief.published"]}
    )

    assert response.status_code == 400
    assert "public hosts only" in response.json()["url"][0]


def test_a_partner_sees_and_changes_only_its_own_subscriptions(partner_api):
    mine = WebhookSubscriptionFactory(owner=partner_api.user)
    theirs = WebhookSubscriptionFactory(owner=partner("other"))

    listed = [row["id"] for row in partner_api.get(URL).json()["results"]]
    assert listed == [mine.pk]
    assert partner_api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert partner_api.delete(f"{URL}{theirs.pk}/").status_code == 404
    response = partner_api.patch(f"{URL}{mine.pk}/", {"active": False})
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert mine.is_active is False
    assert partner_api.delete(f"{URL}{mine.pk}/").status_code == 204


def test_staff_who_may_view_subscriptions_see_every_one(db):
    staff = UserFactory(username="ops", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_webhooksubscription")
    )
    WebhookSubscriptionFactory.create_batch(2)

    response = client_for(staff).get(URL)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


def test_accounts_without_the_permission_are_refused(reader_api, api):
    assert reader_api.get(URL).status_code == 403
    assert api.get(URL).status_code in (401, 403)


def test_a_read_only_token_cannot_subscribe():
    token = APITokenFactory(user=partner(), scope="read")
    client = client_for(token.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(
        URL, {"url": "http://127.0.0.1/h", "events": ["brief.published"]}
    )

    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from newsletters import links, sending
from newsletters.models import Frequency, Subscriber
from tests.factories import BriefFactory, TopicFactory

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db

FORM = {
    "scope": "everything",
    "frequency": "daily",
    "hour": "7",
    "weekday": "0",
    "consent": "on",
}


def subscribe(client, email, **fields):
    return client.post("/newsletters/", {**FORM, "email": email, **fields})


def test_subscribe_page_renders(client):
    response = client.get("/newsletters/")

    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert "no-cache" in response["Cache-Control"]


def test_subscribe_answers_the_same_for_known_and_unknown_addresses(
    client, queued_tasks
):
    SubscriberFactory(email="known@example.org", frequency=Frequency.WEEKLY)

    known = subscribe(client, "known@example.org")
    unknown = subscribe(client, "new@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert (
        client.get(known["Location"]).content == client.get(unknown["Location"]).content
    )


def test_subscribing_again_leaves_a_confirmed_readers_choices_alone(
    client, queued_tasks
):
    reader = SubscriberFactory(email="known@example.org", frequency=Frequency.WEEKLY)

    subscribe(client, "known@example.org", frequency="immediate")

    reader.refresh_from_db()
    assert reader.frequency == Frequency.WEEKLY


def test_subscribing_again_sends_the_confirmed_reader_a_manage_link(client):
    reader = SubscriberFactory(email="known@example.org")

    assert sending.send_confirmation(reader.pk)

    [message] = mail.outbox
    assert "/newsletters/manage/" in message.body
    assert "/newsletters/confirm/" not in message.body


def test_subscribe_is_rate_limited_per_client(client, queued_tasks, settings):
    settings.NEWSLETTER_SUBSCRIBE_PER_HOUR = 2
    subscribe(client, "one@example.org")
    subscribe(client, "two@example.org")

    response = subscribe(client, "three@example.org")

    assert response.status_code == 429
    assert not Subscriber.objects.filter(email="three@example.org").exists()


def test_confirmation_emails_to_one_address_are_limited(client):
    for _ in range(5):
        Client().post("/newsletters/", {**FORM, "email": "flooded@example.org"})

    # Tasks run at once or are queued: count what was queued or sent.
    assert len(mail.outbox) <= 3


def test_subscribe_needs_consent(client, queued_tasks):
    response = client.post(
        "/newsletters/", {**FORM, "email": "a@example.org", "consent": ""}
    )

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_chosen_scope_needs_a_topic_or_body(client, queued_tasks):
    response = subscribe(client, "a@example.org", scope="chosen")

    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_confirmation_link_confirms_on_post_only(client):
    reader = SubscriberFactory(unconfirmed=True)
    url = f"/newsletters/confirm/{links.token(reader, links.CONFIRM)}/"

    assert client.get(url).status_code == 200
    reader.refresh_from_db()
    assert reader.confirmed_at is None

    response = client.post(url)

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.confirmed_at is not None
    assert reader.next_digest_at is not None


def test_expired_confirmation_link_is_refused(client, settings):
    reader = SubscriberFactory(unconfirmed=True)
    url = f"/newsletters/confirm/{links.token(reader, links.CONFIRM)}/"

    later = timezone.now() + datetime.timedelta(
        seconds=settings.NEWSLETTER_CONFIRM_MAX_AGE + 60
    )
    with time_machine.travel(later):
        response = client.post(url)

    assert response.status_code == 404
    reader.refresh_from_db()
    assert reader.confirmed_at is None


def test_manage_link_does_not_confirm(client):
    reader = SubscriberFactory(unconfirmed=True)

    response = client.post(f"/newsletters/confirm/{links.token(reader, links.MANAGE)}/")

    assert response.status_code == 404


def test_forged_manage_link_is_refused(client):
    assert client.get("/newsletters/manage/not-a-token/").status_code == 404


def test_manage_page_saves_choices(client):
    topic = TopicFactory()
    BriefFactory(published=True, topics=[topic])
    reader = SubscriberFactory()
    url = f"/newsletters/manage/{links.token(reader, links.MANAGE)}/"

    response = client.post(
        url,
        {
            "scope": "chosen",
            "topics": [topic.pk],
            "frequency": "weekly",
            "hour": "18",
            "weekday": "4",
        },
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.frequency == Frequency.WEEKLY
    assert list(reader.topics.all()) == [topic]
    assert timezone.localtime(reader.next_digest_at).weekday() == 4


def test_reader_can_delete_themselves(client):
    reader = SubscriberFactory()
    token = links.token(reader, links.MANAGE)

    response = client.post(f"/newsletters/manage/{token}/delete/")

    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=reader.pk).exists()
    assert client.get(f"/newsletters/manage/{token}/").status_code == 404


def test_unsubscribe_link_opened_does_not_unsubscribe(client):
    reader = SubscriberFactory()

    response = client.get(
        f"/newsletters/unsubscribe/{links.token(reader, links.MANAGE)}/"
    )

    assert response.status_code == 200
    assert Subscriber.objects.filter(pk=reader.pk).exists()


def test_subscribe_form_offers_only_public_topics(client):
    public, hidden = (
        TopicFactory(name="Public topic"),
        TopicFactory(name="Secret topic"),
    )
    BriefFactory(published=True, topics=[public])
    BriefFactory(topics=[hidden])

    content = client.get("/newsletters/").content.decode()

    assert "Public topic" in content
    assert "Secret topic" not in content

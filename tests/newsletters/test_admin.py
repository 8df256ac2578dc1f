import pytest
from django.core import mail

from newsletters import sending
from newsletters.models import NewsletterSettings
from tests.factories import BriefFactory, TopicFactory, UserFactory

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True, email="desk@example.org")
    client.force_login(user)
    return client


def test_subscriber_list_counts_by_frequency_topic_and_body(admin_client):
    topic = TopicFactory(name="Climate")
    SubscriberFactory(topics=[topic])
    SubscriberFactory(immediate=True)
    SubscriberFactory(unconfirmed=True)

    response = admin_client.get("/admin/newsletters/subscriber/")

    counts = response.context["counts"]
    assert counts["total"] == 2
    assert counts["unconfirmed"] == 1
    assert {row["frequency"]: row["count"] for row in counts["frequency"]} == {
        "daily": 1,
        "immediate": 1,
    }
    assert counts["topics"] == [{"topic__name": "Climate", "count": 1}]


def test_preview_shows_the_next_digest(admin_client):
    BriefFactory(published=True, title="Budget passes second reading")

    response = admin_client.get("/admin/newsletters/subscriber/preview/")

    assert response.status_code == 200
    assert "Budget passes second reading" in response.content.decode()
    email = admin_client.get("/admin/newsletters/subscriber/preview/email/")
    assert "Budget passes second reading" in email.content.decode()


def test_send_a_test_to_me_sends_the_digest_to_the_editor(admin_client):
    BriefFactory(published=True, title="Budget passes second reading")

    admin_client.post("/admin/newsletters/subscriber/preview/test/")

    [message] = mail.outbox
    assert message.to == ["desk@example.org"]
    assert message.subject.startswith("[Test]")


def test_the_pause_switch_stops_alerts_and_digests():
    brief = BriefFactory(published=True)
    SubscriberFactory()
    SubscriberFactory(immediate=True)
    NewsletterSettings.objects.update_or_create(pk=1, defaults={"paused": True})

    assert sending.send_alert(brief.pk) == 0
    assert sending.send_due_digests() == 0
    assert mail.outbox == []


def test_digests_held_by_the_pause_go_once_it_is_lifted():
    BriefFactory(published=True)
    SubscriberFactory()
    NewsletterSettings.objects.update_or_create(pk=1, defaults={"paused": True})
    sending.send_due_digests()

    NewsletterSettings.objects.filter(pk=1).update(paused=False)

    assert sending.send_due_digests() == 1


def test_readers_without_the_permission_get_no_preview(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get("/admin/newsletters/subscriber/preview/")

    assert response.status_code == 403

"""Newsletters sent through Django's SMTP backend to a real SMTP server.

Each test sends by calling the sending function itself, so that it holds
whether the test settings run tasks at once or queue them.
"""

import datetime
import re
import smtplib
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from briefs import services
from newsletters import sending
from newsletters.models import Delivery, Subscriber
from tests.factories import (
    BriefFactory,
    BulletFactory,
    VoteFactory,
    general_assembly,
    security_council,
)

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def parts(message):
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def site_path(url):
    assert url.startswith(settings.SITE_URL)
    return urlsplit(url).path


def test_confirmation_email_arrives_with_both_parts_and_a_working_link(
    smtp, queued_tasks, client
):
    client.post(
        "/newsletters/",
        {
            "email": "Ada@Example.org",
            "scope": "everything",
            "frequency": "daily",
            "hour": "7",
            "weekday": "0",
            "consent": "on",
        },
    )
    subscriber = Subscriber.objects.get(email="ada@example.org")

    assert sending.send_confirmation(subscriber.pk)

    [message] = smtp.messages
    assert message["To"] == "ada@example.org"
    assert message.get_content_type() == "multipart/alternative"
    content = parts(message)
    [link] = re.findall(r"https?://\S+/newsletters/confirm/\S+/", content["text/plain"])
    assert link in content["text/html"]
    assert "<script" not in content["text/html"]
    assert client.post(site_path(link)).status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


def test_nothing_is_sent_before_confirmation(smtp):
    brief = BriefFactory(published=True)
    SubscriberFactory(unconfirmed=True)
    SubscriberFactory(unconfirmed=True, immediate=True)

    assert sending.send_alert(brief.pk) == 0
    assert sending.send_due_digests() == 0
    assert smtp.messages == []


def test_digest_arrives_with_parts_unsubscribe_headers_and_links(smtp, client):
    brief = BriefFactory(published=True, title="Assembly backs ceasefire call")
    vote = VoteFactory()
    brief.votes.add(vote)
    SubscriberFactory(email="reader@example.org")

    assert sending.send_due_digests() == 1

    [message] = smtp.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    content = parts(message)
    text, html = content["text/plain"], content["text/html"]
    assert "Assembly backs ceasefire call" in message["Subject"]
    assert "For 93, against 18, abstained 65" in text
    assert re.search(r"<td[^>]*>93</td>", html)
    chart = f"{settings.SITE_URL}{brief.get_absolute_url()}#vote-{vote.pk}"
    assert chart in text and chart in html
    assert 'style="' in html and "<style" not in html and "<script" not in html
    assert unsubscribe in html and unsubscribe in text
    [manage] = re.findall(r"https?://\S+/newsletters/manage/[^/\s]+/", text)
    assert client.get(site_path(manage)).status_code == 200


def test_digest_is_not_sent_twice_to_a_reader(smtp):
    BriefFactory(published=True)
    reader = SubscriberFactory()

    sending.send_due_digests()
    Subscriber.objects.filter(pk=reader.pk).update(next_digest_at=timezone.now())
    sending.send_due_digests()

    assert len(smtp.messages) == 1


def test_alert_by_body_reaches_only_the_readers_of_that_body(smtp):
    brief = BriefFactory(published=True, title="Council vote on the mission")
    brief.votes.add(VoteFactory(council=True))
    SubscriberFactory(
        immediate=True, email="council@example.org", bodies=[security_council()]
    )
    SubscriberFactory(
        immediate=True, email="assembly@example.org", bodies=[general_assembly()]
    )

    assert sending.send_alert(brief.pk) == 1

    [message] = smtp.messages
    assert message["To"] == "council@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    content = parts(message)
    assert "Council vote on the mission" in content["text/plain"]
    assert "For 10, against 0, abstained 5" in content["text/plain"]
    assert re.search(r"https?://\S+/newsletters/unsubscribe/\S+/", content["text/html"])


def test_one_click_unsubscribe_works_with_a_post_and_no_cookie(smtp):
    BriefFactory(published=True)
    SubscriberFactory(email="leaving@example.org")
    sending.send_due_digests()
    [message] = smtp.messages
    url = message["List-Unsubscribe"].strip("<>")

    # What a mail client sends (RFC 8058): no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        site_path(url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="leaving@example.org").exists()


def test_embargoed_brief_is_not_sent_before_its_time(smtp):
    start = timezone.now()
    brief = BriefFactory(
        published=True, embargo_until=start + datetime.timedelta(hours=2)
    )
    SubscriberFactory(immediate=True)
    SubscriberFactory(next_digest_at=start)

    with time_machine.travel(start + datetime.timedelta(hours=1)):
        assert sending.send_alert(brief.pk) == 0
        assert sending.send_pending_alerts() == 0
        assert sending.send_due_digests() == 0
    assert smtp.messages == []

    with time_machine.travel(start + datetime.timedelta(hours=3)):
        assert sending.send_pending_alerts() == 1


def test_withdrawn_brief_is_not_sent(smtp):
    brief = BriefFactory(published=True)
    SubscriberFactory(immediate=True)
    brief.status = brief.Status.ARCHIVED
    brief.save()

    assert sending.send_alert(brief.pk) == 0
    assert sending.send_due_digests() == 0
    assert smtp.messages == []


def test_a_run_stopped_mid_send_resumes_without_duplicates(smtp):
    BriefFactory(published=True)
    readers = [SubscriberFactory() for _ in range(5)]
    smtp.fail_after = 2

    with pytest.raises(smtplib.SMTPException):
        sending.send_due_digests()
    assert len(smtp.messages) == 2
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 2
    assert not Delivery.objects.filter(sent_at__isnull=True).exists()

    smtp.fail_after = None
    assert sending.send_due_digests() == 3

    assert sorted(smtp.recipients()) == sorted(reader.email for reader in readers)


def test_publishing_a_brief_queues_its_alert(
    queued_tasks, django_capture_on_commit_callbacks
):
    brief = BriefFactory()
    BulletFactory(section__brief=brief)
    with django_capture_on_commit_callbacks(execute=True):
        services.brief_transition(brief=brief, action="publish")

    alerts = [r for r in queued_tasks.results if r.task.name == "send_alert_task"]
    assert [alert.args for alert in alerts] == [[brief.pk]]


def test_editing_a_published_brief_queues_no_alert(
    queued_tasks, django_capture_on_commit_callbacks
):
    brief = BriefFactory(published=True)
    BulletFactory(section__brief=brief)
    with django_capture_on_commit_callbacks(execute=True):
        services.brief_transition(brief=brief, action="publish")

    alerts = [r for r in queued_tasks.results if r.task.name == "send_alert_task"]
    assert alerts == []

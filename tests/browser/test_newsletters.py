"""A reader subscribes, confirms and changes their choices, in Chromium."""

import re

import pytest
from django.conf import settings
from django.core import mail

from newsletters import sending
from newsletters.models import Frequency, Subscriber
from tests.browser.test_site import AXE_RUN, inject_axe
from tests.factories import BriefFactory, TopicFactory


@pytest.fixture
def queued_tasks(settings):
    # The test sends the confirmation itself, whatever the task backend.
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }


def assert_accessible(page, axe, artifacts, name):
    page.screenshot(path=artifacts / f"newsletters-{name}.png", full_page=True)
    inject_axe(page, axe)
    violations = page.evaluate(AXE_RUN)
    assert violations == [], f"{name}: {violations}"


@pytest.mark.django_db(transaction=True)
def test_a_reader_subscribes_confirms_and_manages_preferences(
    page, axe, artifacts, live_server, queued_tasks
):
    topic = TopicFactory(name="Elections")
    BriefFactory(published=True, topics=[topic])

    page.goto("/newsletters/")
    assert_accessible(page, axe, artifacts, "subscribe")
    page.get_by_label("Your email address").fill("reader@example.org")
    page.get_by_label("Only the topics and bodies I choose").check()
    page.get_by_label("Elections").check()
    page.get_by_label("A daily digest").check()
    page.get_by_label("Digest time").select_option("18")
    page.get_by_label("Send me these emails", exact=False).check()
    page.get_by_role("button", name="Subscribe").click()

    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert_accessible(page, axe, artifacts, "sent")
    reader = Subscriber.objects.get(email="reader@example.org")
    assert reader.confirmed_at is None

    assert sending.send_confirmation(reader.pk)
    [link] = re.findall(r"\S+/newsletters/confirm/\S+/", mail.outbox[-1].body)
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    assert_accessible(page, axe, artifacts, "confirm")
    page.get_by_role("button", name="Yes, confirm").click()

    page.get_by_text("Subscription confirmed").wait_for()
    assert_accessible(page, axe, artifacts, "manage")
    page.get_by_label("A weekly digest").check()
    page.get_by_label("Day of the weekly digest").select_option(label="Friday")
    page.get_by_role("button", name="Save my choices").click()

    page.get_by_text("Your choices are saved").wait_for()
    assert page.get_by_label("Elections").is_checked()
    reader.refresh_from_db()
    assert reader.confirmed_at is not None
    assert reader.frequency == Frequency.WEEKLY
    assert (reader.weekday, reader.hour) == (4, 18)
    assert page.console_errors == []

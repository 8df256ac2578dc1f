import datetime
import zoneinfo

import pytest
from django.db import IntegrityError
from django.utils import timezone

from newsletters.models import Delivery, Frequency, Subscriber
from tests.factories import (
    BriefFactory,
    TopicFactory,
    VoteFactory,
    general_assembly,
    security_council,
)

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "choice",
    ["everything", "same topic", "other topic", "same body", "other body", "both"],
)
def test_wanting_and_wants_agree(choice):
    topic, other_topic = TopicFactory(), TopicFactory()
    brief = BriefFactory(published=True, topics=[topic])
    brief.votes.add(VoteFactory(council=True))
    choices = {
        "everything": {},
        "same topic": {"topics": [topic]},
        "other topic": {"topics": [other_topic]},
        "same body": {"bodies": [security_council()]},
        "other body": {"bodies": [general_assembly()]},
        "both": {"topics": [other_topic], "bodies": [security_council()]},
    }[choice]
    reader = SubscriberFactory(**choices)
    reader = Subscriber.objects.prefetch_related("topics", "bodies").get(pk=reader.pk)
    topic_ids = set(brief.topics.values_list("pk", flat=True))
    body_ids = set(brief.votes.values_list("body_id", flat=True))

    in_query = Subscriber.objects.wanting(brief).filter(pk=reader.pk).exists()

    assert in_query == reader.wants(topic_ids, body_ids)
    assert in_query == (choice in {"everything", "same topic", "same body", "both"})


def test_a_brief_cannot_be_delivered_twice_to_one_reader():
    reader, brief = SubscriberFactory(), BriefFactory(published=True)
    Delivery.objects.create(subscriber=reader, brief=brief, kind="alert")

    with pytest.raises(IntegrityError):
        Delivery.objects.create(subscriber=reader, brief=brief, kind="digest")


def test_daily_digest_keeps_its_local_hour_when_the_clocks_change(settings):
    settings.TIME_ZONE = "Europe/London"
    london = zoneinfo.ZoneInfo("Europe/London")
    reader = Subscriber(frequency=Frequency.DAILY, hour=7)
    # The clocks go back on 26 October 2025.
    before = datetime.datetime(2025, 10, 25, 8, 0, tzinfo=london)

    following = reader.next_digest_after(before)

    assert following.astimezone(london).hour == 7
    assert following.astimezone(london).date() == datetime.date(2025, 10, 26)
    assert following.astimezone(datetime.UTC).hour == 7


def test_weekly_digest_falls_on_its_day():
    reader = Subscriber(frequency=Frequency.WEEKLY, hour=9, weekday=2)

    following = timezone.localtime(reader.next_digest_after(timezone.now()))

    assert following.weekday() == 2 and following.hour == 9
    assert following - timezone.localtime() <= datetime.timedelta(days=7)


def test_alerts_at_once_have_no_digest_time():
    assert (
        Subscriber(frequency=Frequency.IMMEDIATE).next_digest_after(timezone.now())
        is None
    )

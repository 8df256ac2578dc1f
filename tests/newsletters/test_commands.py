import json

import pytest
from django.core.management import CommandError, call_command

from newsletters.models import Delivery, Subscriber
from tests.factories import BriefFactory

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def test_subscriber_export_prints_what_is_kept(capsys):
    reader = SubscriberFactory(email="ada@example.org")
    Delivery.objects.create(subscriber=reader, brief=BriefFactory(), kind="digest")

    call_command("subscriber_export", "ADA@example.org")

    data = json.loads(capsys.readouterr().out)
    assert data["email"] == "ada@example.org"
    assert data["frequency"] == "daily"
    assert len(data["deliveries"]) == 1


def test_subscriber_export_of_an_unknown_address_fails():
    with pytest.raises(CommandError):
        call_command("subscriber_export", "nobody@example.org")


def test_subscriber_erase_deletes_the_address_and_its_deliveries():
    reader = SubscriberFactory(email="ada@example.org")
    Delivery.objects.create(subscriber=reader, brief=BriefFactory(), kind="digest")

    call_command("subscriber_erase", "ada@example.org", verbosity=0)

    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists()


def test_subscriber_erase_dry_run_deletes_nothing():
    SubscriberFactory(email="ada@example.org")

    call_command("subscriber_erase", "ada@example.org", "--dry-run", verbosity=0)

    assert Subscriber.objects.exists()


def test_send_newsletters_sends_the_due_digests(capsys):
    BriefFactory(published=True)
    SubscriberFactory()

    call_command("send_newsletters")

    assert "1 digests" in capsys.readouterr().out

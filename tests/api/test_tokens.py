"""API tokens: read-only or read-write, expiring, and the plain DRF tokens."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from briefs.models import APIToken
from tests.api.conftest import published_brief
from tests.factories import APITokenFactory

pytestmark = pytest.mark.django_db


def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def new_topic():
    return {"name": "Water rights", "slug": "water-rights"}


def test_a_read_only_token_reads_what_its_account_may_read(editor):
    draft = published_brief(status="draft")
    client = client_with(APITokenFactory(user=editor, scope="read"))

    response = client.get(f"/api/v1/briefs/{draft.slug}/")

    assert response.status_code == 200


def test_a_read_only_token_cannot_write_even_for_an_editor(editor):
    client = client_with(APITokenFactory(user=editor, scope="read"))

    response = client.post("/api/v1/topics/", new_topic())

    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_a_read_write_token_writes_with_its_accounts_permissions(editor, writer):
    assert (
        client_with(APITokenFactory(user=editor, scope="read-write"))
        .post("/api/v1/topics/", new_topic())
        .status_code
        == 201
    )
    reader = APITokenFactory(user__username="nobody", user__is_staff=False)
    reader.scope = "read-write"
    reader.save()
    assert client_with(reader).post("/api/v1/topics/", new_topic()).status_code == 403


def test_an_expired_token_gets_401_saying_so(editor):
    token = APITokenFactory(
        user=editor, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client_with(token).get("/api/v1/briefs/")

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_token_works_until_it_expires(editor):
    end = timezone.now() + datetime.timedelta(days=30)
    token = APITokenFactory(user=editor, expires_at=end)

    assert client_with(token).get("/api/v1/briefs/").status_code == 200
    with time_machine.travel(end + datetime.timedelta(seconds=1)):
        assert client_with(token).get("/api/v1/briefs/").status_code == 401


def test_an_unknown_key_is_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Token nbt_" + "0" * 40)

    assert api.get("/api/v1/briefs/").status_code == 401


def test_last_use_is_recorded_at_most_every_few_minutes(editor):
    token = APITokenFactory(user=editor)
    client = client_with(token)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        client.get("/api/v1/briefs/")
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        client.get("/api/v1/briefs/")
    assert APIToken.objects.get().last_used_at == start
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        client.get("/api/v1/briefs/")
    assert APIToken.objects.get().last_used_at == start + datetime.timedelta(minutes=10)


def test_rotation_gives_a_new_key_and_the_old_stops_working(editor):
    token = APITokenFactory(user=editor)
    old = client_with(token)

    token.rotate()

    assert old.get("/api/v1/briefs/").status_code == 401
    assert client_with(token).get("/api/v1/briefs/").status_code == 200


def test_plain_drf_tokens_still_read_and_write(editor_api):
    assert editor_api.post("/api/v1/topics/", new_topic()).status_code == 201

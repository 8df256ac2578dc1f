"""Staff previews and share links for reviewers without an account."""

import datetime
import json

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from briefs.preview import share_url
from tests.factories import BriefFactory

from .conftest import change_url


@pytest.mark.django_db
def test_staff_preview_of_a_draft_uses_the_readers_template_and_is_never_cached(
    client, writer, full_brief
):
    client.force_login(writer)
    response = client.get(reverse("admin:briefs_brief_preview", args=[full_brief.pk]))
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "briefs/brief_detail.html" in [t.name for t in response.templates]
    assert "no-cache" in response["Cache-Control"]
    assert "Delegates reportedly traded drafts overnight." in response.text


@pytest.mark.django_db
def test_anonymous_visitors_cannot_use_the_staff_preview(client, full_brief):
    response = client.get(reverse("admin:briefs_brief_preview", args=[full_brief.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_share_link_shows_a_draft_to_someone_without_an_account(client, full_brief):
    response = client.get(share_url(full_brief))
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "no-cache" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert full_brief.title in response.text


@pytest.mark.django_db
def test_share_link_stops_working_when_it_expires(client, full_brief, settings):
    settings.BRIEF_SHARE_LINK_MAX_AGE = 3600
    start = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        url = share_url(full_brief)
    with time_machine.travel(start + datetime.timedelta(minutes=59), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_share_link_stops_working_when_the_editor_revokes_it(
    client, editor, full_brief
):
    url = share_url(full_brief)
    assert client.get(url).status_code == 200
    client.force_login(editor)
    client.post(reverse("admin:briefs_brief_revoke", args=[full_brief.pk]))
    client.logout()
    assert client.get(url).status_code == 404
    full_brief.refresh_from_db()
    assert client.get(share_url(full_brief)).status_code == 200


@pytest.mark.django_db
def test_writer_cannot_revoke_share_links(client, writer, full_brief):
    url = share_url(full_brief)
    client.force_login(writer)
    response = client.post(reverse("admin:briefs_brief_revoke", args=[full_brief.pk]))
    assert response.status_code == 403
    client.logout()
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_share_link_pointed_at_another_brief_is_refused(client, full_brief):
    other = BriefFactory()
    token = share_url(full_brief).split("/")[-2]
    _, timestamp, signature = token.rsplit(":", 2)
    payload = signing.b64_encode(
        json.dumps({"brief": other.pk, "key": 0}, separators=(",", ":")).encode()
    ).decode()
    forged = f"{payload}:{timestamp}:{signature}"
    assert forged != token
    assert client.get(f"/preview/{forged}/").status_code == 404


@pytest.mark.django_db
def test_change_page_offers_the_preview_and_a_share_link(client, editor, full_brief):
    client.force_login(editor)
    response = client.get(change_url(full_brief))
    assert reverse("admin:briefs_brief_preview", args=[full_brief.pk]) in response.text
    assert "/preview/" in response.context["share_url"]

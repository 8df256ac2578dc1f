"""A published brief's old slugs keep answering, with a permanent redirect."""

import pytest
from rest_framework.test import APIClient

from briefs import services
from briefs.models import BriefSlug
from tests import factories
from tests.api.conftest import brief_with_content


def rename(brief, slug):
    return services.brief_update(brief=brief, fields={"slug": slug})


@pytest.mark.django_db
def test_the_old_page_address_redirects_to_the_new_one(client):
    brief = brief_with_content(votes=0, slug="first-name")
    rename(brief, "second-name")

    response = client.get("/briefs/first-name/")

    assert response.status_code == 301
    assert response["Location"] == "/briefs/second-name/"
    assert client.get("/briefs/second-name/").status_code == 200


@pytest.mark.django_db
def test_every_old_slug_redirects_to_the_current_one(client):
    brief = brief_with_content(votes=0, slug="first-name")
    rename(brief, "second-name")
    rename(brief, "third-name")

    for old in ("first-name", "second-name"):
        response = client.get(f"/briefs/{old}/")
        assert response["Location"] == "/briefs/third-name/", old


@pytest.mark.django_db
def test_the_api_detail_under_an_old_slug_redirects_to_the_canonical_one():
    api = APIClient()
    brief = brief_with_content(votes=0, slug="first-name")
    rename(brief, "second-name")

    detail = api.get("/api/v1/briefs/first-name/")
    ninjs = api.get("/api/v1/briefs/first-name/ninjs/?format=json")

    assert detail.status_code == 301
    assert detail["Location"] == "/api/v1/briefs/second-name/"
    assert ninjs.status_code == 301
    assert ninjs["Location"] == "/api/v1/briefs/second-name/ninjs/?format=json"


@pytest.mark.django_db
def test_a_slug_taken_back_is_no_longer_old(client):
    brief = brief_with_content(votes=0, slug="first-name")
    rename(brief, "second-name")
    rename(brief, "first-name")

    assert client.get("/briefs/first-name/").status_code == 200
    assert client.get("/briefs/second-name/")["Location"] == "/briefs/first-name/"
    assert not BriefSlug.objects.filter(slug="first-name").exists()


@pytest.mark.django_db
def test_a_draft_renamed_before_publication_keeps_no_old_slug(client):
    draft = factories.BriefFactory(slug="working-title")
    rename(draft, "final-title")

    assert not BriefSlug.objects.exists()
    assert client.get("/briefs/working-title/").status_code == 404


@pytest.mark.django_db
def test_an_old_slug_of_a_hidden_brief_does_not_redirect(client, editor):
    api = APIClient()
    brief = brief_with_content(votes=0, slug="first-name")
    rename(brief, "secret-new-name")
    services.brief_transition(brief=brief, action="return_to_draft", user=editor)

    assert client.get("/briefs/first-name/").status_code == 404
    assert api.get("/api/v1/briefs/first-name/").status_code == 404


@pytest.mark.django_db
def test_the_brief_keeps_its_uuid_through_a_slug_change():
    brief = brief_with_content(votes=0, slug="first-name")
    uuid = brief.uuid

    rename(brief, "second-name")
    brief.refresh_from_db()

    assert brief.uuid == uuid

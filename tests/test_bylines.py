"""Credited authors appear by their public byline, never by their login name."""

import json

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from briefs import services
from briefs.models import Profile, public_name
from tests import factories
from tests.test_injection import Markup

# (profile byline, first name, last name) → the name readers see; None: the newsroom.
ACCOUNTS = [
    pytest.param("Wendy K. Ames", "Wendy", "Ames", "Wendy K. Ames", id="byline"),
    pytest.param("", "Wendy", "Ames", "Wendy Ames", id="full-name"),
    pytest.param("", "", "", None, id="neither"),
]


def credited_brief(byline, first_name, last_name):
    """Return a published brief written by the account "wendy"."""
    user = factories.UserFactory(
        username="wendy", first_name=first_name, last_name=last_name
    )
    if byline:
        Profile.objects.create(user=user, byline=byline)
    brief = factories.BriefFactory(published=True, topics=[factories.TopicFactory()])
    brief.authors.add(user)
    return brief


def expected(name):
    return settings.SITE_NAME if name is None else name


def page_byline(client, brief):
    markup = Markup(client.get(brief.get_absolute_url()).text)
    return markup.text


def json_ld_authors(client, brief):
    markup = Markup(client.get(brief.get_absolute_url()).text)
    (block,) = [c for kind, c in markup.scripts if kind == "application/ld+json"]
    authors = json.loads(block)["author"]
    return [authors] if isinstance(authors, dict) else authors


@pytest.mark.django_db
@pytest.mark.parametrize(("byline", "first", "last", "name"), ACCOUNTS)
def test_brief_page_credits_the_public_byline(client, byline, first, last, name):
    brief = credited_brief(byline, first, last)

    text = page_byline(client, brief)

    assert f"By {expected(name)}" in text
    assert "wendy" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(("byline", "first", "last", "name"), ACCOUNTS)
def test_json_ld_credits_the_public_byline(client, byline, first, last, name):
    brief = credited_brief(byline, first, last)

    (author,) = json_ld_authors(client, brief)

    assert author["name"] == expected(name)
    assert author["@type"] == ("NewsMediaOrganization" if name is None else "Person")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
@pytest.mark.parametrize(("byline", "first", "last", "name"), ACCOUNTS)
def test_feeds_credit_the_public_byline(client, url, byline, first, last, name):
    credited_brief(byline, first, last)

    content = client.get(url).content

    (entry,) = feedparser.parse(content).entries
    assert entry.author == expected(name)
    assert b"wendy" not in content


@pytest.mark.django_db
@pytest.mark.parametrize(("byline", "first", "last", "name"), ACCOUNTS)
def test_ninjs_credits_the_public_byline(client, byline, first, last, name):
    brief = credited_brief(byline, first, last)

    item = client.get(f"/api/v1/briefs/{brief.slug}/ninjs/").json()

    assert item["by"] == expected(name)
    assert item["people"] == [{"name": expected(name), "rel": "author"}]


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["client", "admin_client"])
@pytest.mark.parametrize(("byline", "first", "last", "name"), ACCOUNTS)
def test_api_credits_the_public_byline(request, client_name, byline, first, last, name):
    client = request.getfixturevalue(client_name)
    brief = credited_brief(byline, first, last)

    data = client.get(f"/api/v1/briefs/{brief.slug}/").json()

    assert data["authors"] == [expected(name)]


@pytest.mark.django_db
def test_a_byline_set_later_reaches_the_stored_renderings(
    client, django_capture_on_commit_callbacks
):
    brief = credited_brief("", "", "")
    client.get(brief.get_absolute_url())
    user = brief.authors.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.shared_save(obj=Profile(user=user, byline="W. K. Ames"))

    assert "By W. K. Ames" in page_byline(client, brief)
    data = client.get(f"/api/v1/briefs/{brief.slug}/").json()
    assert data["authors"] == ["W. K. Ames"]


@pytest.mark.django_db
def test_two_authors_without_names_are_credited_once_as_the_newsroom(client):
    brief = credited_brief("", "", "")
    brief.authors.add(factories.UserFactory(username="zed"))

    data = client.get(f"/api/v1/briefs/{brief.slug}/").json()

    assert data["authors"] == [settings.SITE_NAME]


@pytest.mark.django_db
def test_public_name_never_falls_back_to_the_login_name():
    user = factories.UserFactory(username="wendy", first_name="", last_name="")

    assert public_name(user) == ""


@pytest.mark.django_db
def test_an_editor_sets_a_byline_in_the_admin(client, editor):
    brief = credited_brief("", "", "")
    client.force_login(editor)
    user = brief.authors.get()

    response = client.post(
        reverse("admin:briefs_profile_add"), {"user": user.pk, "byline": "W. Ames"}
    )

    assert response.status_code == 302, response.content
    assert Profile.objects.get(user=user).byline == "W. Ames"
    assert "By W. Ames" in page_byline(client, brief)


@pytest.mark.django_db
def test_a_superuser_sets_a_byline_on_the_account_page(client):
    client.force_login(factories.UserFactory(username="chief", is_superuser=True))
    user = factories.UserFactory(username="wendy")

    page = client.get(reverse("admin:auth_user_change", args=[user.pk])).text

    assert 'name="profile-0-byline"' in page

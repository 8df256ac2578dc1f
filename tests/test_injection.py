"""Hostile text stays text: on pages, in feeds, JSON-LD, the admin and the API.

Every field a reader or an editor sees is filled with markup meant to run
(`<script>`), to close the JSON-LD block early (`</script>`), to break out of
an HTML attribute (`"` and `'` followed by an event handler) and a
`javascript:` address. Each surface is then parsed the way a browser or a feed
reader would, and must show the text exactly, with no script, handler or
`javascript:` link of its making.

Direction overrides and control characters are refused when written (see
test_validators.py and test_importer.py); here the admin and the API refuse
them, and `javascript:` source addresses, with a clear message.
"""

import csv
import html
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from django.urls import reverse
from reversion.models import Version

from briefs.admin.history import save_revision
from briefs.models import Brief, Source
from tests import factories
from tests.admin.conftest import change_url, form_data
from tests.api.conftest import client_for

PAYLOAD = (
    '<script>alert("x")</script></script><script>alert(1)</script>'
    "\" onmouseover=\"alert(2)\" ' onfocus='alert(3)' javascript:alert(4)"
)
SHORT = "</script>\"'<b>"  # for the short fields (a vote's symbol)
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "gnp.exe" reads "exe.png"


def text(name):
    """Return the payload, labelled so that each field can be told apart."""
    return f"{name} {PAYLOAD}"


class Markup(HTMLParser):
    """Collect what a browser would act on: elements, attributes and scripts."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.scripts = []
        self.data = []
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script = [dict(attrs).get("type", ""), ""]
            self.scripts.append(self._script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
        else:
            self.data.append(data)

    @property
    def text(self):
        return "".join(self.data)

    def attribute_values(self):
        return [value for _, attrs in self.elements for value in attrs.values()]


def assert_inert(html):
    """Assert that `html` runs nothing the payload brought, and return its Markup."""
    markup = Markup(html)
    for kind, content in markup.scripts:
        if kind in ("application/ld+json", "application/json"):
            json.loads(content)  # data, and whole: not cut short by a `</script>`
        else:
            assert "alert(" not in content, content
    for tag, attrs in markup.elements:
        for name, value in attrs.items():
            value = (value or "").strip().lower()
            if name.startswith("on"):
                assert "alert(" not in value, (tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                # The admin's own `javascript:void(0)` links are not the payload's.
                assert not (value.startswith("javascript:") and "alert(" in value), (
                    tag,
                    name,
                    value,
                )
    return markup


def hostile_brief(**kwargs):
    """Return a published brief with the payload in every field readers see."""
    topic = factories.TopicFactory(
        name=f"Topic {PAYLOAD}"[:100], description=text("topic description")
    )
    author = factories.UserFactory(
        username="hostile", first_name=text("first")[:150], last_name="Reporter"
    )
    source = factories.SourceFactory(
        title=text("source title"),
        publisher=text("publisher")[:200],
        url="https://example.org/a?b=%22%3E%3Cscript%3Ealert(5)%3C/script%3E",
    )
    vote = factories.VoteFactory(title=text("vote title"), symbol=SHORT)
    factories.VotePositionFactory(
        vote=vote, member_code="USA", member_name=text("member")[:120]
    )
    brief = factories.BriefFactory(
        published=True,
        title=text("title")[:200],
        summary=text("summary"),
        topics=[topic],
        **kwargs,
    )
    brief.authors.add(author)
    brief.votes.add(vote)
    brief.sources.add(source)
    section = factories.SectionFactory(brief=brief, heading=text("heading")[:200])
    factories.BulletFactory(section=section, text=text("bullet"))
    factories.BulletFactory(
        section=section,
        text=text("claim"),
        attribution="reported",
        sources=[source],
    )
    factories.CorrectionFactory(brief=brief, text=text("correction"))
    brief.refresh_from_db()
    return brief


# Pages ----------------------------------------------------------------------


@pytest.mark.django_db
def test_brief_page_shows_hostile_text_as_text(client):
    brief = hostile_brief()

    markup = assert_inert(client.get(brief.get_absolute_url()).text)

    for name in ("title", "summary", "heading", "bullet", "claim", "correction"):
        assert text(name) in markup.text, name
    assert text("vote title") in markup.text
    assert text("source title") in markup.text
    # Attributes hold the whole text: no quote ended them early.
    assert brief.title in markup.attribute_values()
    links = [a.get("href") for tag, a in markup.elements if tag == "a"]
    assert Source.objects.get().url in links


@pytest.mark.django_db
def test_json_ld_cannot_be_closed_early_and_reads_back_exactly(client):
    brief = hostile_brief()

    markup = assert_inert(client.get(brief.get_absolute_url()).text)

    (block,) = [c for kind, c in markup.scripts if kind == "application/ld+json"]
    assert "</script" not in block.lower() and "<!--" not in block
    data = json.loads(block)
    assert data["headline"] == brief.title[:110]
    assert data["description"] == brief.summary
    assert data["citation"][0]["name"] == text("source title")
    assert data["correction"][0]["text"] == text("correction")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/topics/{topic}/", "/search/?q={word}", "/corrections/"],
)
def test_list_pages_show_hostile_text_as_text(client, url):
    brief = hostile_brief()
    url = url.format(topic=brief.topics.get().slug, word="summary")

    markup = assert_inert(client.get(url).text)

    assert brief.title in markup.text


@pytest.mark.django_db
def test_a_hostile_search_query_is_echoed_as_text(client):
    hostile_brief()

    response = client.get("/search/", {"q": PAYLOAD})

    markup = assert_inert(response.text)
    assert PAYLOAD in markup.attribute_values()  # the search box keeps it whole


@pytest.mark.django_db
def test_a_source_address_that_is_not_a_web_page_is_never_a_link(client):
    # A row that never went through validation (a bulk load, old data).
    brief = hostile_brief()
    bad = factories.SourceFactory(title="Old cable", url="javascript:alert(6)")
    brief.sources.add(bad)

    html = client.get(brief.get_absolute_url()).text
    ninjs = client.get(f"/api/v1/briefs/{brief.slug}/ninjs/").json()

    markup = assert_inert(html)
    assert "Old cable" in markup.text
    (block,) = [c for kind, c in markup.scripts if kind == "application/ld+json"]
    citations = json.loads(block)["citation"]
    (old,) = [c for c in citations if c["name"] == "Old cable"]
    assert "url" not in old
    assert [source["uri"][:8] for source in ninjs["infosources"]] == ["https://"]


# Feeds and sitemaps ---------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/rss/{topic}/"])
def test_rss_stays_well_formed_and_carries_the_text_exactly(client, url):
    brief = hostile_brief()
    content = client.get(url.format(topic=brief.topics.get().slug)).content

    item = ET.fromstring(content).find("channel/item")

    assert item.findtext("title") == brief.title
    # A feed reader renders the description as HTML: the text is escaped for it.
    assert "<" not in item.findtext("description")
    assert html.unescape(item.findtext("description")) == brief.summary
    assert not feedparser.parse(content).bozo


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/feeds/atom/", "/feeds/atom/{topic}/"])
def test_atom_stays_well_formed_and_carries_the_text_exactly(client, url):
    brief = hostile_brief()
    content = client.get(url.format(topic=brief.topics.get().slug)).content

    entry = ET.fromstring(content).find(f"{ATOM}entry")

    assert entry.findtext(f"{ATOM}title") == brief.title
    assert entry.find(f"{ATOM}summary").get("type") == "html"
    assert "<" not in entry.findtext(f"{ATOM}summary")
    assert html.unescape(entry.findtext(f"{ATOM}summary")) == brief.summary
    assert entry.findtext(f"{ATOM}author/{ATOM}name").startswith(text("first"))
    assert not feedparser.parse(content).bozo


@pytest.mark.django_db
def test_news_sitemap_stays_well_formed_and_carries_the_title_exactly(client):
    brief = hostile_brief()

    root = ET.fromstring(client.get("/sitemap-news.xml").content)

    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    assert root.findtext(f".//{news}title") == brief.title


# API ------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_returns_hostile_text_as_json_strings(client):
    brief = hostile_brief()

    data = client.get(f"/api/v1/briefs/{brief.slug}/").json()

    assert data["title"] == brief.title
    assert data["sections"][0]["bullets"][0]["text"] == text("bullet")
    assert data["votes"][0]["symbol"] == SHORT


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/briefs/?format=api",
        "/api/v1/briefs/{slug}/?format=api",
        "/api/v1/votes/{vote}/?format=api",
        "/api/v1/sources/?format=api",
        "/api/v1/topics/?format=api",
    ],
)
def test_browsable_api_shows_hostile_text_as_text(client, url):
    brief = hostile_brief()
    url = url.format(slug=brief.slug, vote=brief.votes.get().pk)

    response = client.get(url)

    assert response.status_code == 200
    markup = assert_inert(response.text)
    assert "alert(" in markup.text  # shown, as text


@pytest.mark.django_db
def test_ninjs_body_is_escaped_html_and_headline_plain_text(client):
    brief = hostile_brief()

    data = client.get(f"/api/v1/briefs/{brief.slug}/ninjs/").json()

    assert data["headlines"][0]["value"] == brief.title
    markup = assert_inert(data["bodies"][0]["value"])
    assert [tag for tag, _ in markup.elements] == ["h2", "ul", "li", "li"]
    assert text("heading") in markup.text and text("claim") in markup.text


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.django_db
@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_never_start_a_spreadsheet_formula(client, formula):
    vote = factories.VoteFactory(title=formula, symbol="=1+1")
    factories.VotePositionFactory(vote=vote, member_code="FRA", member_name=formula)
    factories.BriefFactory(published=True).votes.add(vote)

    votes = client.get("/api/v1/votes/?format=csv").content.decode()
    members = client.get("/api/v1/votes/?format=csv&members=1").content.decode()

    (row,) = csv.DictReader(io.StringIO(votes))
    assert row["title"] == "'" + formula
    assert row["symbol"] == "'=1+1"
    assert row["total_yes"] == "93"  # numbers are left alone
    (position,) = csv.DictReader(io.StringIO(members))
    assert position["ms_name"] == "'" + formula


@pytest.mark.django_db
def test_api_refuses_a_javascript_source_address(editor):
    api = client_for(editor)

    response = api.post(
        "/api/v1/sources/",
        {"url": "javascript:alert(1)//https://example.org", "title": "A cable"},
        format="json",
    )

    assert response.status_code == 400
    assert "url" in response.json()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_api_refuses_ftp_source_addresses_with_a_clear_message(editor):
    api = client_for(editor)
    source = factories.SourceFactory()

    response = api.patch(
        f"/api/v1/sources/{source.pk}/", {"url": "ftp://example.org/a"}, format="json"
    )

    assert response.status_code == 400
    assert any("http:// or https://" in m for m in response.json()["url"])
    source.refresh_from_db()
    assert source.url.startswith("https://")


@pytest.mark.django_db
def test_api_refuses_direction_overrides_naming_the_field(writer):
    api = client_for(writer)

    response = api.post(
        "/api/v1/briefs/",
        {
            "title": "Council renews the mission",
            "summary": "Members renewed the mission for a year after a debate.",
            "sections": [
                {
                    "heading": "The decision",
                    "bullets": [{"text": "Fine."}, {"text": f"Paid {RLO}gnp.exe"}],
                }
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    (message,) = response.json()["sections"]["0"]["bullets"]["1"]["text"]
    assert "U+202E" in message
    assert not Brief.objects.exists()


# Admin ----------------------------------------------------------------------


@pytest.fixture
def chief(client, db):
    user = factories.UserFactory(username="chief", is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_admin_brief_pages_show_hostile_text_as_text(client, chief):
    brief = hostile_brief()
    urls = [
        change_url(brief),
        reverse("admin:briefs_brief_changelist"),
        reverse("admin:briefs_brief_history", args=[brief.pk]),
        reverse("admin:briefs_brief_preview", args=[brief.pk]),
        reverse("admin:index"),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        markup = assert_inert(response.text)
        assert brief.title in markup.text or brief.title in markup.attribute_values()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "briefs_vote",
        "briefs_source",
        "briefs_topic",
        "briefs_correction",
    ],
)
def test_admin_lists_and_change_pages_of_related_models_are_inert(client, chief, name):
    brief = hostile_brief()
    objects = {
        "briefs_vote": brief.votes.get(),
        "briefs_source": brief.sources.get(),
        "briefs_topic": brief.topics.get(),
        "briefs_correction": brief.corrections.get(),
    }

    for url in (
        reverse(f"admin:{name}_changelist"),
        reverse(f"admin:{name}_change", args=[objects[name].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text)


@pytest.mark.django_db
def test_admin_history_diff_shows_hostile_edits_as_text(client, chief):
    brief = factories.BriefFactory(title="A calm headline")
    first = factories.SectionFactory(brief=brief, heading="What happened")
    factories.BulletFactory(section=first, text="Members met.")
    second = factories.SectionFactory(brief=brief, heading="What next")
    factories.BulletFactory(section=second, text="A vote follows.")
    save_revision(brief, chief, "Before.")
    data = form_data(client.get(change_url(brief)).text)
    data.update(
        {
            "title": text("title")[:200],
            "summary": text("summary"),
            "sections-0-heading": text("heading")[:200],
            "sections-0-bullets-0-text": text("bullet"),
            "sections-1-heading": text("gone")[:200],
        }
    )
    assert client.post(change_url(brief), data).status_code == 302
    data = form_data(client.get(change_url(brief)).text)
    data["sections-1-DELETE"] = "on"
    assert client.post(change_url(brief), data).status_code == 302
    versions = list(Version.objects.get_for_object(brief).order_by("pk"))

    for old, new in zip(versions, versions[1:], strict=False):
        response = client.get(
            reverse("admin:briefs_brief_compare", args=[brief.pk]),
            {"a": old.pk, "b": new.pk},
        )
        assert response.status_code == 200
        markup = assert_inert(response.text)
        assert response.context["changes"]
        assert "alert(" in markup.text


@pytest.mark.django_db
def test_admin_refuses_a_javascript_source_address(client, chief):
    response = client.post(
        reverse("admin:briefs_source_add"),
        {"url": "javascript:alert(1)", "title": "A cable", "publisher": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"]
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_ftp_source_addresses_with_a_clear_message(client, chief):
    response = client.post(
        reverse("admin:briefs_source_add"),
        {"url": "ftp://example.org/file", "title": "A cable", "publisher": ""},
    )

    (message,) = response.context["adminform"].form.errors["url"]
    assert "http:// or https://" in message
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_a_direction_override_and_keeps_the_editors_text(client, chief):
    brief = factories.BriefFactory(title="A calm headline")
    factories.BulletFactory(section=factories.SectionFactory(brief=brief))
    data = form_data(client.get(change_url(brief)).text)
    data["title"] = f"Invoice {RLO}gnp.exe"

    response = client.post(change_url(brief), data)

    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["title"]
    assert "U+202E" in message
    assert f"Invoice {RLO}gnp.exe" in response.text  # still in the form
    brief.refresh_from_db()
    assert brief.title == "A calm headline"


@pytest.mark.django_db
def test_admin_never_links_a_javascript_address_left_in_old_data(client, chief):
    source = factories.SourceFactory(url="javascript:alert(7)")

    for url in (
        reverse("admin:briefs_source_changelist"),
        reverse("admin:briefs_source_change", args=[source.pk]),
    ):
        assert_inert(client.get(url).text)

"""Nothing unpublished reaches the public, wherever it looks.

For every way a brief can be out of readers' sight (a draft, a brief in review,
one withdrawn to draft after publication, an archived one, one scheduled for
tomorrow, one published under embargo for partners), a brief carries its own
marker word in every field a reader could see: title, summary, slug, section
heading, bullets, correction, author, and a vote and a source that only it
cites (their titles, symbol, member, publisher, address), and an editorial
note, which no public surface shows even once the brief is published. The test
then reads every public address of the site and the API, anonymously and as a
signed-in user without editorial rights, twice (the second answer may come
from the page cache), and finds no marker anywhere.

The same list of addresses, read once the brief is visible, must show the
markers it names: so the addresses are real, and a scheduled brief appears
everywhere when its time comes.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.authtoken.models import Token

from briefs import services
from briefs.models import Body, Correction
from tests import factories

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
TOPIC = "diplomacy"
HIDDEN_STATES = ("draft", "review", "withdrawn", "archived", "scheduled", "embargoed")
# Briefs that were public once can carry a correction (only those may).
ONCE_PUBLIC = ("withdrawn", "archived", "scheduled", "embargoed")
EMBARGO_ENDS = START + datetime.timedelta(hours=6)

# Everything a published brief shows of itself on its own page.
OWN_PAGE = (
    "title",
    "summary",
    "slug",
    "heading",
    "bullet",
    "claim",
    "correction",
    "author",
    "votetitle",
    "votesymbol",
    "body",
    "member",
    "membercode",
    "sourcetitle",
    "publisher",
    "sourceurl",
)
CARD = ("title", "summary", "slug")

# Public addresses that show no content, or none of a brief's own.
NOT_CHECKED = {
    # Staff previews and signed share links are for reviewers, not the public.
    "brief-share-preview",
    # A live brief's pending draft answers staff only: readers get 401 or 403
    # (tests/api/test_drafts.py).
    "api:brief-draft",
    # A partner's own webhook subscriptions: no brief content, and readers get
    # 401 or 403 (tests/api/test_webhooks.py).
    "api:webhook-subscription-list",
    "api:webhook-subscription-detail",
    # A reader's own subscription, reached only by a signed link; no brief
    # content (tests/newsletters/test_views.py).
    "newsletters:confirm",
    "newsletters:manage",
    "newsletters:delete",
    "newsletters:unsubscribe",
}


# States the marked brief reaches after being public.
WERE_PUBLIC = {"withdrawn", "archived"}


def markers(state):
    """Return the marker of each field for a brief in `state` (lower case)."""
    found = {name: f"mk{state}{name}" for name in OWN_PAGE}
    # Member codes are capitals, ten at most: "QZDRAF", "QZSCHE", ...
    found["membercode"] = f"qz{state[:4]}"
    # An editorial note: staff only, so no public surface ever shows it.
    found["note"] = f"mk{state}note"
    return found


@dataclass
class World:
    state: str
    marks: dict
    brief: object
    live: object
    shared_vote: object
    secret_vote: object
    secret_source: object
    expected: set = field(default_factory=set)
    note: object = None


def build_world(state):
    """Create a published brief and the marked brief (still a draft)."""
    marks = markers(state)
    topic = factories.TopicFactory(name="Diplomacy", slug=TOPIC)
    shared_vote = factories.VoteFactory()
    shared_source = factories.SourceFactory()
    live = factories.BriefFactory(published=True, topics=[topic])
    live.votes.add(shared_vote)
    live.sources.add(shared_source)
    factories.BulletFactory(
        section=factories.SectionFactory(brief=live), sources=[shared_source]
    )

    # A body that only the marked brief's vote names: hidden with it.
    secret_body = Body.objects.create(
        name=f"{marks['body'].capitalize()} Council",
        slug=f"{marks['body']}-council",
        kind="council",
        seats=193,
    )
    secret_vote = factories.VoteFactory(
        body=secret_body,
        title=f"{marks['votetitle'].capitalize()} resolution on the mission",
        symbol=f"A/{marks['votesymbol'].upper()}/1",
    )
    factories.VotePositionFactory(
        vote=secret_vote,
        member_code=marks["membercode"].upper(),
        member_name=f"Republic of {marks['member'].capitalize()}",
    )
    secret_source = factories.SourceFactory(
        title=f"{marks['sourcetitle'].capitalize()} cable",
        publisher=f"{marks['publisher'].capitalize()} Wire",
        url=f"https://example.org/{marks['sourceurl']}/cable",
    )
    author = factories.UserFactory(
        username=f"author-{state}",
        first_name=marks["author"].capitalize(),
        last_name="Reporter",
    )
    brief = factories.BriefFactory(
        title=f"{marks['title'].capitalize()} talks stall",
        slug=marks["slug"],
        summary=f"{marks['summary'].capitalize()}: envoys left the table after "
        "a night of talks, and the council will meet again next week.",
        topics=[topic],
    )
    brief.authors.add(author)
    brief.votes.add(secret_vote, shared_vote)
    brief.sources.add(secret_source, shared_source)
    section = factories.SectionFactory(
        brief=brief, heading=f"{marks['heading'].capitalize()} background"
    )
    factories.BulletFactory(
        section=section, text=f"{marks['bullet'].capitalize()}: envoys met twice."
    )
    factories.BulletFactory(
        section=section,
        text=f"{marks['claim'].capitalize()}: one envoy reportedly walked out.",
        attribution="reported",
        sources=[secret_source],
    )
    desk = factories.UserFactory(username=f"desk-{state}", editor=True)
    note = services.note_add(
        brief=brief,
        author=desk,
        text=f"{marks['note'].capitalize()}: check the envoy's name.",
        bullet=brief.sections.get().bullets.first(),
    )
    services.note_add(
        brief=live, author=desk, text=f"{marks['note'].capitalize()} on the live one"
    )
    brief.refresh_from_db()
    return World(
        state=state,
        marks=marks,
        brief=brief,
        live=live,
        shared_vote=shared_vote,
        secret_vote=secret_vote,
        secret_source=secret_source,
        expected=set(OWN_PAGE) - {"correction"},
        note=note,
    )


def correct(world, at=None):
    text = (
        f"{world.marks['correction'].capitalize()}: an earlier version "
        "named the wrong envoy."
    )
    correction = Correction(brief=world.brief, text=text)
    if at:
        correction.published_at = at
    services.correction_save(correction=correction)
    world.expected.add("correction")


@dataclass
class Surface:
    """A public address, and the markers it shows while the brief is visible."""

    name: str
    url: str
    shows: tuple = ()
    # The brief's own addresses: 404 while it is hidden.
    own: bool = False
    # Read only part of the answer (the JSON-LD of a page).
    extract: object = None
    # Editorial notes: 404 for readers, whether the brief is visible or not.
    staff_only: bool = False
    # A history of public changes: it keeps naming (by slug) a brief that was
    # public once, as the feed partners sync by must.
    history: bool = False

    def status(self, *, visible):
        if self.staff_only or (self.own and not visible):
            return 404
        return 200

    def text(self, response):
        body = response.content.decode()
        return (self.extract(body) if self.extract else body).lower()


def json_ld(html):
    """Return the text of the page's JSON-LD block(s), checked to be JSON."""
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    for block in blocks:
        json.loads(block)
    return "\n".join(blocks)


def surfaces(world):
    """Return every public address worth reading, with what it should show."""
    m, brief, live = world.marks, world.brief, world.live
    own = f"/briefs/{brief.slug}/"
    api_own = f"/api/v1/briefs/{brief.slug}/"
    vote_row = ("votetitle", "votesymbol", "body")
    secret_body = world.secret_vote.body
    source_row = ("sourcetitle", "publisher", "sourceurl")
    symbol = world.secret_vote.symbol
    return [
        # The reader website.
        Surface("home", "/", CARD),
        Surface("home, page 1", "/?page=1", CARD),
        Surface("topic page", f"/topics/{TOPIC}/", CARD),
        Surface("search by title", f"/search/?q={m['title']}", CARD),
        Surface("search by summary", f"/search/?q={m['summary']}", CARD),
        Surface("search by bullet", f"/search/?q={m['bullet']}", CARD),
        Surface("search by claim", f"/search/?q={m['claim']}", CARD),
        Surface("brief page", own, OWN_PAGE, own=True),
        Surface(
            "brief JSON-LD",
            own,
            (
                "title",
                "summary",
                "slug",
                "correction",
                "author",
                *source_row,
            ),
            own=True,
            extract=json_ld,
        ),
        Surface("another brief's page", f"/briefs/{live.slug}/"),
        Surface("another brief's JSON-LD", f"/briefs/{live.slug}/", extract=json_ld),
        Surface("corrections", "/corrections/", ("title", "slug", "correction")),
        Surface("RSS", "/feeds/rss/", (*CARD, "author")),
        Surface("Atom", "/feeds/atom/", (*CARD, "author")),
        Surface("topic RSS", f"/feeds/rss/{TOPIC}/", (*CARD, "author")),
        Surface("topic Atom", f"/feeds/atom/{TOPIC}/", (*CARD, "author")),
        Surface("sitemap index", "/sitemap.xml"),
        Surface("briefs sitemap", "/sitemap-briefs.xml", ("slug",)),
        Surface("topics sitemap", "/sitemap-topics.xml"),
        Surface("pages sitemap", "/sitemap-pages.xml"),
        Surface("news sitemap", "/sitemap-news.xml", ("slug", "title")),
        Surface("robots.txt", "/robots.txt"),
        Surface("health check", "/healthz"),
        Surface("readiness check", "/healthz/ready"),
        Surface("newsletter sign-up", "/newsletters/"),
        Surface("newsletter sign-up sent", "/newsletters/sent/"),
        # The API.
        Surface("API root", "/api/v1/"),
        Surface("API change feed", "/api/v1/changes/", history=True),
        Surface(
            "API change feed, expanded", "/api/v1/changes/?expand=brief", history=True
        ),
        Surface("API briefs", "/api/v1/briefs/?page_size=100", CARD),
        Surface("API briefs, browsable", "/api/v1/briefs/?format=api", CARD),
        Surface("API briefs by title", "/api/v1/briefs/?ordering=title", CARD),
        Surface("API briefs by update", "/api/v1/briefs/?ordering=-updated_at", CARD),
        Surface("API briefs on a topic", f"/api/v1/briefs/?topic={TOPIC}", CARD),
        Surface(
            "API briefs published after",
            "/api/v1/briefs/?published_after=2000-01-01T00:00:00Z",
            CARD,
        ),
        Surface(
            "API briefs changed since",
            "/api/v1/briefs/?updated_after=2000-01-01T00:00:00Z&ordering=updated_at",
            CARD,
        ),
        Surface("API search by title", f"/api/v1/briefs/?search={m['title']}", CARD),
        Surface("API search by bullet", f"/api/v1/briefs/?search={m['bullet']}", CARD),
        Surface("API brief", api_own, OWN_PAGE, own=True),
        Surface("API brief, browsable", f"{api_own}?format=api", OWN_PAGE, own=True),
        Surface(
            "API brief as ninjs",
            f"{api_own}ninjs/",
            (*CARD, "heading", "bullet", "claim", "author", "sourcetitle", "sourceurl"),
            own=True,
        ),
        Surface("API another brief", f"/api/v1/briefs/{live.slug}/"),
        Surface("API another brief as ninjs", f"/api/v1/briefs/{live.slug}/ninjs/"),
        Surface("API votes", "/api/v1/votes/?page_size=100", vote_row),
        Surface("API votes, browsable", "/api/v1/votes/?format=api", vote_row),
        Surface("API votes by symbol", f"/api/v1/votes/?symbol={symbol}", vote_row),
        Surface(
            "API votes by member",
            f"/api/v1/votes/?member={m['membercode']}&position=yes",
            vote_row,
        ),
        Surface("API votes as CSV", "/api/v1/votes/?format=csv", vote_row),
        Surface(
            "API vote positions as CSV",
            "/api/v1/votes/?format=csv&members=1",
            (*vote_row, "member", "membercode"),
        ),
        Surface(
            # A vote shared with a published brief lists the briefs reporting it.
            "API shared vote",
            f"/api/v1/votes/{world.shared_vote.pk}/",
            ("title", "slug"),
        ),
        Surface(
            "API secret vote",
            f"/api/v1/votes/{world.secret_vote.pk}/",
            (*vote_row, "member", "membercode", "title", "slug"),
            own=True,
        ),
        Surface("API bodies", "/api/v1/bodies/?page_size=100", ("body",)),
        Surface(
            "API secret body",
            f"/api/v1/bodies/{secret_body.slug}/",
            ("body",),
            own=True,
        ),
        Surface("API sources", "/api/v1/sources/?page_size=100", source_row),
        Surface(
            "API sources by publisher",
            f"/api/v1/sources/?publisher={world.secret_source.publisher}",
            source_row,
        ),
        Surface(
            "API secret source",
            f"/api/v1/sources/{world.secret_source.pk}/",
            source_row,
            own=True,
        ),
        Surface("API topics", "/api/v1/topics/"),
        Surface("API topic", f"/api/v1/topics/{TOPIC}/"),
        Surface("API notes", f"{api_own}notes/", staff_only=True),
        Surface("API note", f"{api_own}notes/{world.note.pk}/", staff_only=True),
        Surface(
            "API another brief's notes",
            f"/api/v1/briefs/{live.slug}/notes/",
            staff_only=True,
        ),
        Surface("API schema", "/api/schema/"),
        Surface("API docs", "/api/docs/"),
    ]


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    # Hundreds of reads in one frozen minute: the throttle is not under test.
    settings.API_ANON_THROTTLE_RATE = "100000/min"
    settings.API_USER_THROTTLE_RATE = "100000/min"


def readers():
    """Return the clients who must see what readers see: anonymous, and a
    signed-in user with no editorial rights (session for pages, token for the
    API)."""
    user = factories.UserFactory(username="subscriber", is_staff=False)
    token = Token.objects.create(user=user)
    signed_in = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    signed_in.force_login(user)
    return {"anonymous": Client(), "signed-in reader": signed_in}


def assert_hidden(world, clients):
    for who, client in clients.items():
        for surface in surfaces(world):
            # Words of the address itself (a search, a slug) may be echoed.
            echoed = {k for k, v in world.marks.items() if v in surface.url.lower()}
            if surface.history and world.state in WERE_PUBLIC:
                echoed.add("slug")
            for attempt in ("first", "second"):
                response = client.get(surface.url)
                where = f"{surface.name} ({surface.url}), {who}, {attempt} read"
                status = surface.status(visible=False)
                assert response.status_code == status, where
                text = surface.text(response)
                leaked = [
                    key
                    for key, mark in world.marks.items()
                    if key not in echoed and mark in text
                ]
                assert not leaked, f"{where} shows {leaked}"
            if (
                who == "anonymous"
                and status == 200
                # The API, the health checks and the newsletter forms (each
                # with its own CSRF token) are never served from the page cache.
                and not surface.url.startswith(("/api/", "/healthz", "/newsletters/"))
            ):
                # The second answer came from the page cache, and was checked.
                assert response["X-Page-Cache"] == "hit", surface.name


def assert_visible(world):
    client = Client()
    for surface in surfaces(world):
        response = client.get(surface.url)
        where = f"{surface.name} ({surface.url})"
        assert response.status_code == surface.status(visible=True), where
        text = surface.text(response)
        expected = [key for key in surface.shows if key in world.expected]
        missing = [key for key in expected if world.marks[key] not in text]
        assert not missing, f"{where} does not show {missing}"
        assert world.marks["note"] not in text, f"{where} shows an editorial note"


def hide(world, editor, commits):
    """Bring the marked brief into its state, the way editors do."""
    brief, state = world.brief, world.state

    def step(action, **arguments):
        with commits(execute=True):
            services.brief_transition(
                brief=brief, action=action, user=editor, **arguments
            )

    if state == "review":
        step("submit_for_review")
    elif state in ("withdrawn", "archived"):
        step("publish")
        with commits(execute=True):
            correct(world)
        # While public, every address shows it (and the page cache keeps it).
        assert_visible(world)
        step("return_to_draft" if state == "withdrawn" else "archive")
    elif state == "scheduled":
        at = START + datetime.timedelta(days=1)
        step("publish", at=at)
        with commits(execute=True):
            correct(world, at=at)
    elif state == "embargoed":
        with commits(execute=True):
            services.brief_update(brief=brief, fields={"embargo_until": EMBARGO_ENDS})
        step("publish")
        with commits(execute=True):
            correct(world)


@pytest.mark.django_db
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_no_public_surface_shows_an_unpublished_brief(
    state, editor, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        world = build_world(state)
        hide(world, editor, django_capture_on_commit_callbacks)
        assert world.brief.is_published is False

        assert_hidden(world, readers())


@pytest.mark.django_db
def test_a_scheduled_brief_appears_everywhere_once_its_time_comes(
    editor, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as clock:
        world = build_world("scheduled")
        hide(world, editor, django_capture_on_commit_callbacks)
        # Read (and cached) while it is still to come.
        assert_hidden(world, readers())

        clock.move_to(START + datetime.timedelta(days=1, seconds=1))

        assert world.brief.is_published
        assert_visible(world)


@pytest.mark.django_db
def test_an_embargoed_brief_appears_everywhere_once_its_embargo_ends(
    editor, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False) as clock:
        world = build_world("embargoed")
        hide(world, editor, django_capture_on_commit_callbacks)
        # Read (and cached) while the embargo holds.
        assert_hidden(world, readers())

        clock.move_to(EMBARGO_ENDS + datetime.timedelta(seconds=1))

        assert world.brief.is_published
        assert_visible(world)


@pytest.mark.django_db
@pytest.mark.parametrize("state", ("draft", "scheduled"))
def test_editors_read_the_hidden_brief_through_the_api_but_never_syndicate_it(
    state, editor, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        world = build_world(state)
        hide(world, editor, django_capture_on_commit_callbacks)
        token = Token.objects.create(user=factories.UserFactory(writer=True))
        writer = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

        answer = writer.get(f"/api/v1/briefs/{world.brief.slug}/")
        ninjs = writer.get(f"/api/v1/briefs/{world.brief.slug}/ninjs/")

    assert answer.status_code == 200
    text = answer.content.decode().lower()
    assert all(world.marks[key] in text for key in world.expected)
    # Notes are not part of what the brief says, even to staff.
    assert world.marks["note"] not in text
    assert answer["Cache-Control"] == "private, no-store"
    assert ninjs.status_code == 404


def public_route_names(resolver=None, namespace=""):
    """Yield the name of every route of the site, with its namespace."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            prefix = f"{namespace}{inner}:" if inner else namespace
            if inner == "admin":
                continue
            yield from public_route_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


# Routes that only take writes (the workflow actions): POST, never read.
WRITE_ONLY = {
    "api:brief-publish",
    "api:brief-submit",
    "api:brief-archive",
    "api:brief-unpublish",
}


@pytest.mark.django_db
def test_the_leak_check_reads_every_public_route():
    world = build_world("draft")
    covered = {resolve(s.url.split("?")[0]).view_name for s in surfaces(world)}

    unchecked = set(public_route_names()) - covered - WRITE_ONLY - NOT_CHECKED

    assert not unchecked, f"add these public routes to surfaces(): {unchecked}"

"""The pictures the documentation shows, taken from the running site.

Each test opens pages of the demo content in Chromium and saves them into
docs/images/, so a page that changes changes its picture at the next run (commit
the new files with the change). tests/test_docs.py checks that every picture a
docs page shows is one of PICTURES, and that each is in docs/images/.
"""

import datetime

import pytest

from briefs import services
from briefs.demo import load_demo
from briefs.models import Brief, PendingDraft
from tests.factories import UserFactory

from .conftest import ROOT
from .test_editorial import sign_in

IMAGES = ROOT / "docs" / "images"
# A brief of the demo with a seat chart, a roll call and sources.
SEAT_BRIEF = "us-veto-blocks-council-call-for-gaza-ceasefire"
DRAFTED_AT = datetime.datetime(2024, 2, 21, 14, 5, tzinfo=datetime.UTC)
VIEWPORT = {"width": 1200, "height": 900}

PICTURES = {
    "home.png": "the home page",
    "brief-light.png": "a brief's page, light scheme",
    "brief-dark.png": "a brief's page, dark scheme",
    "vote-chart.png": "a vote's chart on the brief's page",
    "admin-brief-change.png": "a brief's page in the admin, as an editor",
    "admin-draft-diff.png": "a pending draft against the live brief",
    "admin-paste-preview.png": "paste to replace, previewed",
    "api-docs.png": "the interactive API docs",
}


def demo_brief():
    # The reference bodies and groups are back after each flush (conftest).
    load_demo()
    return Brief.objects.get(slug=SEAT_BRIEF)


def save(target, name):
    """Save a picture of `target` (a page or an element) as docs/images/`name`."""
    assert name in PICTURES, f"{name} is not listed in PICTURES"
    IMAGES.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=IMAGES / name, animations="disabled")


@pytest.fixture
def wide_page(page):
    page.set_viewport_size(VIEWPORT)
    return page


@pytest.mark.django_db(transaction=True)
def test_reader_pages_are_pictured_in_light_and_dark(wide_page):
    brief = demo_brief()
    page = wide_page

    page.goto("/")
    page.wait_for_load_state("load")
    save(page, "home.png")

    page.goto(brief.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == brief.title
    save(page, "brief-light.png")
    chart = page.locator("figure.vote").first
    chart.scroll_into_view_if_needed()
    save(chart, "vote-chart.png")

    page.emulate_media(color_scheme="dark")
    page.goto(brief.get_absolute_url())
    page.wait_for_load_state("load")
    background = page.evaluate(
        "getComputedStyle(document.body).backgroundColor"
        " || getComputedStyle(document.documentElement).backgroundColor"
    )
    assert background != "rgb(255, 255, 255)", "the dark scheme did not apply"
    save(page, "brief-dark.png")
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_editors_pages_are_pictured(wide_page):
    brief = demo_brief()
    writer = UserFactory(username="wendy", writer=True)
    UserFactory(username="eddie", editor=True)
    draft = services.draft_save(
        brief=brief,
        user=writer,
        fields={"title": f"{brief.title}, for now"},
    )
    # A fixed time on the page, so that the picture changes only with the page.
    PendingDraft.objects.filter(pk=draft.pk).update(
        created_at=DRAFTED_AT, updated_at=DRAFTED_AT
    )
    page = wide_page
    sign_in(page, "eddie")

    page.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    assert "Draft pending by" in page.content()
    save(page, "admin-brief-change.png")

    page.goto(f"/admin/briefs/brief/{brief.pk}/draft/")
    assert page.locator("ins", has_text="for now").count() == 1
    save(page, "admin-draft-diff.png")

    page.goto(f"/admin/briefs/brief/{brief.pk}/paste/")
    text = page.locator("textarea").first
    # A whole new text: the brief's own text as pasted holds a vote sentence
    # the importer reports as unread (see the session note; issue 22).
    text.fill(
        "Council vote vetoed again\n"
        "Members met again on the corridor and one permanent member blocked it.\n"
        "What happened\n"
        "- The Security Council voted 13 to 1, with 1 abstention, and the draft "
        "was vetoed.\n"
        "- Talks on a narrower text go on this week.\n"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Preview the changes").click()
    heading = page.get_by_role("heading", name="What applying the text changes")
    assert heading.count(), page.locator(".errornote, .errorlist").all_inner_texts()
    save(page, "admin-paste-preview.png")
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_are_pictured(wide_page):
    demo_brief()
    page = wide_page
    page.goto("/api/docs/")
    page.locator(".opblock-tag", has_text="briefs").first.wait_for()
    save(page, "api-docs.png")
    assert page.console_errors == []

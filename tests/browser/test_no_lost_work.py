"""No button on the brief's change page loses what the editor typed.

Each test types into the form and then does what used to drop the typing:
a workflow button, a note, leaving the page, closing the tab, or a save that
someone else's save got in before.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from briefs.models import Brief, Bullet, EditorialNote
from briefs.services import brief_import, note_add, note_resolve
from tests.admin.conftest import change_url, form_data
from tests.factories import SourceFactory, UserFactory

from .test_editorial import sign_in
from .test_site import AXE_RUN, inject_axe

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/briefs/grain-corridor.txt"
HEADLINE = "Corridor deal renewed for another four months"
# How long an assertion waits for something that arrives by itself (a poll).
POLL_WAIT_MS = 20_000


@pytest.fixture
def eddie(db):
    return UserFactory(username="eddie", first_name="Eddie", editor=True)


@pytest.fixture
def brief(db, eddie):
    """The example-shaped brief, its reported claims citing a source: publishable."""
    brief = brief_import(text=FIXTURE.read_text(), filename=FIXTURE.name)
    source = SourceFactory(title="Verbatim record of the meeting")
    for bullet in Bullet.objects.filter(section__brief=brief).exclude(
        attribution="fact"
    ):
        bullet.sources.add(source)
    assert brief.publish_checklist() == []
    return brief


def open_brief(page, brief, width=1400):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(change_url(brief))
    assert response.status == 200
    page.wait_for_load_state("load")


def type_into(page, selector, text):
    """Replace the text of a field by typing, as a person does."""
    page.click(selector)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def local_copy_holds(page, text):
    page.wait_for_function(
        """text => Object.keys(localStorage).some(k =>
            k.startsWith("newsroom-unsaved:") && localStorage[k].includes(text))""",
        arg=text,
    )


@pytest.mark.django_db(transaction=True)
def test_publish_saves_the_typed_headline_first(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    type_into(page, "#id_title", HEADLINE)

    with page.expect_navigation():
        page.get_by_role("button", name="Publish", exact=True).click()

    brief.refresh_from_db()
    assert brief.status == Brief.Status.PUBLISHED
    page.goto(brief.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(HEADLINE)


@pytest.mark.django_db(transaction=True)
def test_submit_for_review_takes_the_edit_with_it(page, eddie, brief):
    summary = "Shipping resumed after the parties agreed to extend the deal."
    sign_in(page, "eddie")
    open_brief(page, brief)
    type_into(page, "#id_summary", summary)

    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()

    brief.refresh_from_db()
    assert brief.status == Brief.Status.REVIEW
    assert brief.summary == summary


@pytest.mark.django_db(transaction=True)
def test_adding_a_note_keeps_the_typing_in_the_form(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    type_into(page, "#id_title", HEADLINE)

    page.fill("#id_note-text", "Check the tonnage figure with the ministry.")
    page.get_by_role("button", name="Add note").click()

    notes = page.locator("#notes .brief-note")
    expect(notes).to_contain_text(["Check the tonnage figure with the ministry."])
    expect(page.locator("#id_title")).to_have_value(HEADLINE)
    expect(page.locator("#id_note-text")).to_have_value("")
    assert EditorialNote.objects.filter(brief=brief).count() == 1


@pytest.mark.django_db(transaction=True)
def test_leaving_with_unsaved_changes_asks_first(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    type_into(page, "#id_title", HEADLINE)

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="History").click()

    assert asked == ["beforeunload"]

    expect(page.locator("#id_title")).to_have_value(HEADLINE)


@pytest.mark.django_db(transaction=True)
def test_a_closed_tab_offers_its_unsaved_work_back(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    type_into(page, "#id_title", HEADLINE)
    local_copy_holds(page, HEADLINE)
    context = page.context
    page.close()

    again = context.new_page()
    open_brief(again, brief)
    offer = again.locator("[data-brief-restore]")
    expect(offer).to_contain_text(
        re.compile(r"Restore unsaved changes from \d\d:\d\d\?"), timeout=5000
    )
    offer.get_by_role("button", name="Restore").click()
    expect(again.locator("#id_title")).to_have_value(HEADLINE)

    # Once saved, the copy is gone and nothing is offered.
    with again.expect_navigation():
        again.locator("input[name=_continue]").click()
    again.wait_for_function(
        """() => !Object.keys(localStorage).some(
            k => k.startsWith("newsroom-unsaved:"))"""
    )
    brief.refresh_from_db()
    assert brief.title == HEADLINE
    open_brief(again, brief)
    expect(again.locator("[data-brief-restore]")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_a_conflict_shows_both_versions_keeps_the_typing_and_merges_the_rest(
    page, eddie, brief, artifacts
):
    sign_in(page, "eddie")
    open_brief(page, brief)

    # Alice saves first: a new headline and her own summary.
    alice = Client()
    alice.force_login(UserFactory(username="alice", first_name="Alice", editor=True))
    data = form_data(alice.get(change_url(brief)).text)
    data["title"] = "Alice's headline for the corridor"
    data["summary"] = "Alice's summary of the corridor deal, saved first."
    assert alice.post(change_url(brief), data).status_code == 302

    mine = "Eddie's summary of the deal, typed while Alice was saving."
    type_into(page, "#id_summary", mine)
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()

    conflict = page.locator("[data-brief-conflict]")
    expect(conflict).to_be_visible()
    row = conflict.locator("[data-conflict-row=summary]")
    expect(row.locator(".conflict-mine")).to_have_text(mine)
    expect(row.locator(".conflict-theirs")).to_contain_text("Alice's summary")
    # Her headline, which only she changed, is merged into the form; the
    # summary they both changed holds the typing.
    expect(conflict).to_contain_text("Title")
    expect(page.locator("#id_title")).to_have_value("Alice's headline for the corridor")
    expect(page.locator("#id_summary")).to_have_value(mine)
    page.screenshot(path=artifacts / "editor-conflict.png", full_page=False)

    row.get_by_role("button", name="Keep mine").click()
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    brief.refresh_from_db()
    assert brief.title == "Alice's headline for the corridor"
    assert brief.summary == mine


@pytest.mark.django_db(transaction=True)
def test_use_theirs_puts_the_stored_text_in_the_form(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    alice = Client()
    alice.force_login(UserFactory(username="alice", editor=True))
    data = form_data(alice.get(change_url(brief)).text)
    data["title"] = "Alice's headline for the corridor"
    alice.post(change_url(brief), data)

    type_into(page, "#id_title", HEADLINE)
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    row = page.locator("[data-conflict-row=title]")
    row.get_by_role("button", name="Use theirs").click()

    expect(page.locator("#id_title")).to_have_value("Alice's headline for the corridor")


@pytest.mark.django_db(transaction=True)
def test_the_save_bar_stays_in_view_and_ctrl_s_saves(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    bar = page.locator("[data-brief-save-bar]")
    for where in ("top", "middle"):
        if where == "middle":
            page.mouse.wheel(0, 900)
            page.wait_for_function("() => window.scrollY > 0")
        box = bar.get_by_role("button", name="Submit for review").bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 900, where

    type_into(page, "#id_title", HEADLINE)
    with page.expect_navigation():
        page.keyboard.press("ControlOrMeta+S")
    brief.refresh_from_db()
    assert brief.title == HEADLINE


@pytest.mark.django_db(transaction=True)
def test_the_skip_link_leads_to_the_sections(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    page.focus(".skip-link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#sections-group$"))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "document.activeElement.closest('#sections-group') !== null"
    )
    assert focused


@pytest.mark.django_db(transaction=True)
def test_the_title_box_is_as_wide_as_the_form(page, eddie, brief):
    sign_in(page, "eddie")
    open_brief(page, brief)
    title = page.locator("#id_title").bounding_box()["width"]
    form = page.locator("#brief_form fieldset.module").first.bounding_box()["width"]
    assert title >= 0.9 * form, f"title {title}px in a form {form}px wide"


@pytest.mark.django_db(transaction=True)
def test_a_note_by_someone_else_appears_beside_its_bullet_without_a_reload(
    page, eddie, brief
):
    sign_in(page, "eddie")
    open_brief(page, brief)
    bullet = brief.sections.order_by("position").first().bullets.order_by("position")[0]
    writer = UserFactory(username="wendy", first_name="Wendy", writer=True)

    note_add(brief=brief, author=writer, text="Is this figure final?", bullet=bullet)

    row = page.locator(
        f".bullet-row:has(input[type=hidden][name$='-id'][value='{bullet.pk}'])"
    )
    expect(row.locator("[data-bullet-notes]")).to_contain_text(
        "Is this figure final?", timeout=POLL_WAIT_MS
    )
    expect(page.locator("#notes")).to_contain_text("Is this figure final?")


@pytest.mark.django_db(transaction=True)
def test_the_change_page_of_a_new_brief_has_the_save_bar(page, eddie, artifacts, axe):
    sign_in(page, "eddie")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/admin/briefs/brief/add/")
    page.wait_for_load_state("load")
    page.fill("#id_title", "A new brief")
    expect(
        page.locator("[data-brief-save-bar] input[name=_continue]")
    ).to_be_in_viewport()
    # The window as the editor sees it: the save bar in view at the bottom.
    page.screenshot(path=artifacts / "editor-new-brief.png")
    inject_axe(page, axe)
    assert page.evaluate(AXE_RUN) == []


@pytest.mark.django_db(transaction=True)
def test_the_editors_pages_have_no_serious_accessibility_problems(
    page, eddie, brief, axe
):
    note = note_add(brief=brief, author=eddie, text="Resolved already")
    note_resolve(note=note, user=eddie)
    note_add(brief=brief, author=eddie, text="Still open")
    sign_in(page, "eddie")
    pages = {
        "change": change_url(brief),
        "import": "/admin/briefs/brief/import/",
        "list": "/admin/briefs/brief/",
        "history": f"/admin/briefs/brief/{brief.pk}/history/",
    }
    found = {}
    for name, url in pages.items():
        page.set_viewport_size({"width": 1400, "height": 900})
        assert page.goto(url).status == 200, url
        page.wait_for_load_state("load")
        inject_axe(page, axe)
        found[name] = page.evaluate(AXE_RUN)
    assert found == {name: [] for name in pages}

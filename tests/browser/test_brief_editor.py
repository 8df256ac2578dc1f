"""The brief editor in the admin: short, usable from the keyboard, accessible.

The brief is the example-shaped fixture (six sections, thirteen bullets, two
votes), imported as an editor would import it.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from briefs.models import Bullet
from briefs.services import brief_import
from tests.factories import UserFactory

from .test_editorial import sign_in
from .test_site import AXE_RUN, inject_axe

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/briefs/grain-corridor.txt"
MAX_HEIGHT = 2000
# More than enough presses of Tab to cross the whole page.
MAX_TABS = 400


@pytest.fixture
def grain_corridor(db):
    UserFactory(username="eddie", editor=True)
    return brief_import(text=FIXTURE.read_text(), filename=FIXTURE.name)


def open_editor(page, brief, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    assert response.status == 200
    page.wait_for_load_state("load")


def tab_to(page, test):
    """Press Tab until `test` (JS, given the focused element) is true."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def bullet_texts(section):
    return list(
        Bullet.objects.filter(section=section)
        .order_by("position", "id")
        .values_list("text", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_editor_page_of_the_example_brief_is_at_most_2000px_tall_at_1400px(
    page, grain_corridor, artifacts
):
    sign_in(page, "eddie")
    open_editor(page, grain_corridor, 1400)
    page.screenshot(path=artifacts / "admin-brief-editor-1400.png", full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT, f"the editor is {height}px tall"
    # Every bullet is one row: its text, attribution and sources side by side.
    row = page.locator("#sections-0-bullets-0")
    tops = [
        row.locator(f".bullet-{part}").bounding_box()["y"]
        for part in ("text", "attribution", "sources")
    ]
    assert max(tops) - min(tops) < 5
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_editor_fits_a_1000px_window_without_scrolling_sideways(
    page, grain_corridor, artifacts
):
    sign_in(page, "eddie")
    open_editor(page, grain_corridor, 1000)
    page.screenshot(path=artifacts / "admin-brief-editor-1000.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_editor_has_no_serious_or_critical_accessibility_problem(
    page, grain_corridor, axe
):
    sign_in(page, "eddie")
    for width in (1400, 1000):
        open_editor(page, grain_corridor, width)
        inject_axe(page, axe)
        violations = page.evaluate(AXE_RUN)
        assert violations == [], f"at {width}px: {violations}"


@pytest.mark.django_db(transaction=True)
def test_editor_writes_reorders_and_saves_a_bullet_with_the_keyboard_alone(
    page, grain_corridor, artifacts
):
    section = grain_corridor.sections.order_by("position").first()
    first, second = bullet_texts(section)[:2]
    sign_in(page, "eddie")
    open_editor(page, grain_corridor, 1400)

    # A section's bullets fold away and come back.
    tab_to(page, "el.matches('#sections-0 [data-section-toggle]')")
    page.keyboard.press("Space")
    assert page.locator("#sections-0-bullets-group").is_hidden()
    page.keyboard.press("Enter")
    assert page.locator("#sections-0-bullets-group").is_visible()

    # Write in the second bullet, then move it above the first.
    tab_to(page, "el.id === 'id_sections-0-bullets-1-text'")
    page.keyboard.press("End")
    page.keyboard.type(" Its deadline is sixty days.")
    tab_to(page, "el.closest('.bullet-row') && el.dataset.move === 'up'")
    assert page.evaluate("document.activeElement.closest('.bullet-row').id") == (
        "sections-0-bullets-1"
    )
    page.keyboard.press("Enter")
    expect(page.locator("[data-brief-editor-status]")).to_contain_text("moved")
    moved = page.locator("#sections-0-bullets-group .bullet-row").first
    assert moved.get_attribute("id") == "sections-0-bullets-1"

    tab_to(page, "el.name === '_continue'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/admin/briefs/brief/\d+/change/$", page.url)
    assert page.locator(".errornote").count() == 0
    page.screenshot(path=artifacts / "admin-brief-editor-saved.png", full_page=True)

    assert bullet_texts(section)[:2] == [f"{second} Its deadline is sixty days.", first]
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_editor_reorders_sections_by_dragging_their_handle(page, grain_corridor):
    headings = list(
        grain_corridor.sections.order_by("position").values_list("heading", flat=True)
    )
    sign_in(page, "eddie")
    open_editor(page, grain_corridor, 1400)
    page.locator("#sections-1").scroll_into_view_if_needed()
    handle = page.locator("#sections-1 .section-bar .drag-handler").bounding_box()
    target = page.locator("#sections-0 .section-bar").bounding_box()
    page.mouse.move(handle["x"] + 5, handle["y"] + 10)
    page.mouse.down()
    # jQuery UI's sortable follows the pointer step by step.
    page.mouse.move(handle["x"] + 5, target["y"] - 10, steps=20)
    page.mouse.up()
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator(".errornote").count() == 0
    moved = grain_corridor.sections.order_by("position").values_list(
        "heading", flat=True
    )
    assert list(moved)[:2] == [headings[1], headings[0]]
    assert page.console_errors == []

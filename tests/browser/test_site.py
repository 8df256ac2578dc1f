"""The reader pages in real headless Chromium, at phone and desktop widths.

Each page must render without console errors, pass axe-core with no serious
or critical violations, and not shift its layout while loading.
"""

import importlib

import pytest
from django.apps import apps

from briefs.demo import load_demo
from briefs.models import Brief, Topic
from tests.factories import CorrectionFactory

WIDTHS = [320, 375, 1280]
SEAT_BRIEF = "us-veto-blocks-council-call-for-gaza-ceasefire"

AXE_RUN = """
async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target).join(", ")}`);
}
"""

LAYOUT_SHIFT = """
() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})
"""


def site_urls():
    # Transactional tests empty the tables, reference data included.
    reference = importlib.import_module("briefs.migrations.0002_reference_data")
    reference.add_bodies(apps, None)
    load_demo()
    brief = Brief.objects.get(slug=SEAT_BRIEF)
    CorrectionFactory(brief=brief, text="We gave the wrong date for the meeting.")
    topic = Topic.objects.filter(briefs=brief).first()
    return {
        "home": "/",
        "brief": brief.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "search": "/search/?q=ceasefire",
        "corrections": "/corrections/",
    }


def inject_axe(page, axe):
    # Evaluated by the test driver, not as an inline <script>, which the site's
    # Content-Security-Policy rightly refuses.
    page.evaluate(axe)


def check_page(page, axe, artifacts, name, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    page.screenshot(path=artifacts / f"site-{name}-{width}.png", full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} scrolls sideways at {width}px"
    assert page.evaluate(LAYOUT_SHIFT) < 0.05, f"{name} shifts while loading"
    inject_axe(page, axe)
    violations = page.evaluate(AXE_RUN)
    assert violations == [], f"{name} at {width}px: {violations}"


@pytest.mark.django_db(transaction=True)
def test_reader_pages_render_cleanly_and_accessibly(page, axe, artifacts):
    for name, url in site_urls().items():
        for width in WIDTHS:
            check_page(page, axe, artifacts, name, url, width)
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_brief_page_in_dark_mode_renders_cleanly(browser, live_server, axe, artifacts):
    url = site_urls()["brief"]
    context = browser.new_context(base_url=live_server.url, color_scheme="dark")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.screenshot(path=artifacts / f"site-brief-dark-{width}.png", full_page=True)
        inject_axe(page, axe)
        assert page.evaluate(AXE_RUN) == []
    context.close()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_claim_marker_explains_itself_on_focus(page):
    page.goto(site_urls()["brief"])
    marker = page.locator(".claim[tabindex]").first
    tip = marker.locator(".claim-tip")
    assert tip.bounding_box()["width"] <= 1
    marker.focus()
    assert tip.bounding_box()["width"] > 50
    assert "not confirmed" in tip.inner_text()


@pytest.mark.django_db(transaction=True)
def test_vote_chart_is_visible_without_javascript(browser, live_server):
    url = site_urls()["brief"]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    assert page.locator("svg.vote-bar").first.is_visible()
    assert page.locator("svg.vote-seats circle, svg.vote-seats rect").count() == 15
    assert page.locator(".vote-outcome").first.inner_text() == "Vetoed, 13-1-1"
    context.close()


@pytest.mark.django_db(transaction=True)
def test_citation_link_leads_to_its_source(page):
    page.goto(site_urls()["brief"])
    page.locator("a.cite").first.click()
    assert page.url.endswith("#source-1")
    assert page.locator("#source-1").is_visible()

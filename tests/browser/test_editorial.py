"""A writer writes and submits a brief; an editor previews and publishes it."""

import re

import pytest

from briefs.models import Brief
from tests.factories import SourceFactory, UserFactory

PASSWORD = "correct horse battery staple"


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def sign_out(page):
    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")


def choose_source(page, select_id, search):
    """Pick a source in the select2 autocomplete of one bullet."""
    page.locator(f"#{select_id}").locator("xpath=..").locator(
        ".select2-selection"
    ).click()
    page.keyboard.type(search)
    page.locator(".select2-results__option", has_text=search).first.click()


@pytest.mark.django_db(transaction=True)
def test_writer_drafts_and_submits_then_editor_previews_and_publishes(
    page, artifacts, live_server
):
    UserFactory(username="wendy", writer=True)
    UserFactory(username="eddie", editor=True)
    SourceFactory(title="Verbatim record of the meeting", publisher="United Nations")

    # The writer writes the brief on one page.
    sign_in(page, "wendy")
    page.goto("/admin/briefs/brief/add/")
    page.fill("#id_title", "Council postpones its vote on the draft")
    page.fill(
        "#id_summary",
        "The Security Council put off a vote on the draft resolution after "
        "several members asked for more time to consult their capitals.",
    )
    counter = page.locator("[data-brief-counter]")
    add_section = page.locator(".djn-add-handler.djn-model-briefs-section")
    add_section.click()
    add_section.click()
    page.fill("#id_sections-0-heading", "What happened")
    page.fill("#id_sections-1-heading", "What comes next")
    page.locator("#sections-0 [data-add-bullet]").click()
    page.locator("#sections-0 [data-add-bullet]").click()
    page.locator("#sections-1 [data-add-bullet]").click()
    page.fill(
        "#id_sections-0-bullets-0-text", "Members agreed to meet again on Friday."
    )
    page.fill(
        "#id_sections-0-bullets-1-text",
        "Two members reportedly asked for changes to the text.",
    )
    page.select_option("#id_sections-0-bullets-1-attribution", "reported")
    choose_source(page, "id_sections-0-bullets-1-sources", "Verbatim record")
    page.fill("#id_sections-1-bullets-0-text", "A revised draft is expected.")
    assert re.search(r"2\s+sections,\s+3\s+bullets", counter.inner_text())
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/admin/briefs/brief/\d+/change/"))
    brief = Brief.objects.get()
    assert brief.sections.count() == 2
    page.screenshot(path=artifacts / "admin-brief-change-page.png", full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    brief.refresh_from_db()
    assert brief.status == "review"
    assert page.get_by_role("button", name="Publish").count() == 0
    sign_out(page)

    # The editor previews and publishes it.
    sign_in(page, "eddie")
    page.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    preview_href = page.get_by_role("link", name="Preview").get_attribute("href")
    page.goto(preview_href)
    assert page.get_by_role("heading", level=1).inner_text() == brief.title
    page.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    page.fill("#id_sections-1-bullets-0-text", "A revised draft is expected soon.")
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/admin/briefs/brief/\d+/change/"))
    with page.expect_navigation():
        page.get_by_role("button", name="Publish", exact=True).click()
    brief.refresh_from_db()
    assert brief.status == "published"

    page.goto(f"/admin/briefs/brief/{brief.pk}/history/")
    # Newest first; the oldest is the writer's text, before the editor's edit
    # (each workflow button saves the form first, a revision of its own).
    page.locator("input[name=a]").last.check()
    page.locator("input[name=b]").nth(0).check()
    page.get_by_role("button", name="Compare the chosen revisions").click()
    page.wait_for_url("**/history/compare/**")
    assert page.locator("ins", has_text="soon.").count() == 1
    page.screenshot(path=artifacts / "admin-brief-history-diff.png", full_page=True)
    sign_out(page)

    # Readers see it on the public site.
    page.goto("/")
    page.get_by_role("link", name=brief.title).click()
    page.wait_for_url(f"**{brief.get_absolute_url()}")
    assert "reportedly asked for changes" in page.content()
    assert page.console_errors == []

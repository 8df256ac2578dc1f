"""The pending draft of a live brief in real Chromium: where the writer works,
what holds back her changes from readers, and where editors find it."""

from pathlib import Path

import pytest

from briefs.models import Brief, Bullet, PendingDraft
from briefs.services import brief_import, brief_transition, draft_save
from tests.factories import (
    BriefFactory,
    BulletFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    VoteFactory,
)
from tests.images import image_bytes

from .test_editorial import sign_in, sign_out
from .test_site import AXE_RUN, inject_axe

SUMMARY = "The council adopted its budget after members argued about the cuts."
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures/briefs/grain-corridor.txt"
MAX_LIVE_HEIGHT = 2400


@pytest.fixture
def live(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_SECONDS = 0
    UserFactory(username="wendy", writer=True, first_name="Wendy")
    UserFactory(username="eddie", editor=True)
    brief = BriefFactory(published=True, title="Council adopts budget", summary=SUMMARY)
    section = SectionFactory(brief=brief, heading="What happened", position=1)
    BulletFactory(section=section, text="The council met on Monday.", position=1)
    return brief


def change_page(page, brief, query=""):
    page.set_viewport_size({"width": 1400, "height": 900})
    response = page.goto(f"/admin/briefs/brief/{brief.pk}/change/{query}")
    assert response.status == 200
    page.wait_for_load_state("load")


def save_for_an_editor(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft for an editor").click()


@pytest.mark.django_db(transaction=True)
def test_a_writers_second_save_keeps_her_first_edit(page, live):
    sign_in(page, "wendy")
    change_page(page, live)
    page.fill("#id_summary", SUMMARY + " Two members walked out.")
    save_for_an_editor(page)
    # The form opens on the draft: her summary is there to go on from.
    assert page.input_value("#id_summary") == SUMMARY + " Two members walked out."
    page.fill("#id_sections-0-bullets-0-text", "The council met late on Monday.")
    save_for_an_editor(page)
    data = PendingDraft.objects.get(brief=live).data
    assert data["summary"] == SUMMARY + " Two members walked out."
    assert data["sections"][0]["bullets"][0]["text"] == (
        "The council met late on Monday."
    )
    assert Brief.objects.get(pk=live.pk).summary == SUMMARY
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_writers_image_and_vote_wait_until_an_editor_publishes(
    page, live, tmp_path, artifacts
):
    vote = VoteFactory(title="The budget")
    live.votes.add(vote)
    picture = tmp_path / "hall.jpg"
    picture.write_bytes(image_bytes(1200, 600))
    sign_in(page, "wendy")
    change_page(page, live)
    page.set_input_files("#id_lead_image-0-upload", str(picture))
    page.fill("#id_lead_image-0-alt", "Councillors raising their hands.")
    save_for_an_editor(page)
    # The vote's own page would change the live brief at once: it says so.
    page.goto(f"/admin/briefs/vote/{vote.pk}/change/")
    assert page.locator("#id_title").count() == 0
    assert "shows on the live brief “Council adopts budget”" in page.content()
    sign_out(page)

    page.goto(live.get_absolute_url())
    assert page.locator("img[alt='Councillors raising their hands.']").count() == 0

    sign_in(page, "eddie")
    change_page(page, live)
    page.screenshot(path=artifacts / "editor-pending-draft.png", full_page=True)
    page.get_by_role("link", name="See what the draft changes").click()
    page.wait_for_url("**/draft/")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the draft").click()
    page.goto(f"/admin/briefs/vote/{vote.pk}/change/")
    page.fill("#id_title", "The leaner budget")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    sign_out(page)

    page.goto(live.get_absolute_url())
    assert page.locator("img[alt='Councillors raising their hands.']").count() == 1
    assert "The leaner budget" in page.content()


@pytest.mark.django_db(transaction=True)
def test_pending_drafts_show_on_dashboards_and_in_the_list(page, live, axe):
    writer = UserFactory._meta.model.objects.get(username="wendy")
    draft_save(brief=live, user=writer, fields={"title": "Council trims budget"})
    for username, panel in (("eddie", "Waiting for review"), ("wendy", "My drafts")):
        sign_in(page, username)
        section = page.locator(".dashboard-panel", has_text=panel)
        assert section.get_by_role("link", name="Council adopts budget").count() == 1
        inject_axe(page, axe)
        assert page.evaluate(AXE_RUN) == [], f"{username}'s dashboard"
        sign_out(page)
    sign_in(page, "eddie")
    BriefFactory(published=True, title="Harbour reopens")
    page.goto("/admin/briefs/brief/?pending_draft=yes")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Draft waiting, by Wendy" in rows.first.inner_text()
    inject_axe(page, axe)
    assert page.evaluate(AXE_RUN) == [], "the list of briefs"


@pytest.mark.django_db(transaction=True)
def test_a_live_brief_with_a_pending_draft_is_at_most_2400px_tall(
    page, live_server, artifacts
):
    editor = UserFactory(username="eddie", editor=True)
    writer = UserFactory(username="wendy", writer=True)
    brief = brief_import(text=FIXTURE.read_text(), filename=FIXTURE.name)
    source = SourceFactory()
    for bullet in Bullet.objects.filter(section__brief=brief).exclude(
        attribution="fact"
    ):
        bullet.sources.add(source)
    brief_transition(brief=brief, action="publish", user=editor)
    draft_save(brief=brief, user=writer, fields={"title": "A new headline"})
    sign_in(page, "wendy")
    change_page(page, brief)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=artifacts / "writer-pending-draft-1400.png", full_page=True)
    assert page.input_value("#id_title") == "A new headline"
    assert height <= MAX_LIVE_HEIGHT, f"the live brief's editor is {height}px tall"

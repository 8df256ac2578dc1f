"""A writer's edit of a live brief waits as a draft until an editor publishes it."""

import pytest

from briefs.models import Brief
from tests.factories import BriefFactory, BulletFactory, SectionFactory, UserFactory

from .test_editorial import sign_in, sign_out

SUMMARY = "The council adopted its budget after members argued about the cuts."


@pytest.mark.django_db(transaction=True)
def test_a_writers_edit_of_a_live_brief_waits_for_an_editor(
    page, artifacts, live_server
):
    UserFactory(username="wendy", writer=True)
    UserFactory(username="eddie", editor=True)
    brief = BriefFactory(published=True, title="Council adopts budget", summary=SUMMARY)
    section = SectionFactory(brief=brief, heading="What happened", position=1)
    BulletFactory(section=section, text="The council met on Monday.")

    sign_in(page, "wendy")
    page.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    page.fill("#id_title", "Council adopts a leaner budget")
    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft for an editor").click()
    assert "Draft pending by" in page.content()
    sign_out(page)

    page.goto(brief.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Council adopts budget"

    sign_in(page, "eddie")
    page.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    page.screenshot(path=artifacts / "admin-brief-pending-draft.png", full_page=True)
    page.get_by_role("link", name="See what the draft changes").click()
    page.wait_for_url("**/draft/")
    assert page.locator("ins", has_text="a leaner").count() == 1
    page.screenshot(path=artifacts / "admin-brief-draft-diff.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the draft").click()
    assert Brief.objects.get(pk=brief.pk).title == "Council adopts a leaner budget"
    sign_out(page)

    page.goto(brief.get_absolute_url())
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Council adopts a leaner budget"
    assert page.console_errors == []

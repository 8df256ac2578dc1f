"""Who else is here, in a real browser: the page's heartbeat tells the server,
shows who else has the brief open, and says goodbye when the page is left."""

import time

import pytest

from briefs.models import EditorPresence
from tests.browser.test_editorial import sign_in
from tests.factories import BriefFactory, UserFactory


def beat(page):
    """Send the heartbeat now rather than in 45 seconds (returning to the tab)."""
    with page.expect_response("**/presence/"):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


@pytest.mark.django_db(transaction=True)
def test_two_editors_see_each_other_and_the_notice_goes_when_one_leaves(
    page, browser, live_server
):
    UserFactory(username="wendy", first_name="Wendy", last_name="Okafor", writer=True)
    UserFactory(username="eddie", editor=True)
    brief = BriefFactory(title="Council postpones its vote")
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    notice = "[data-presence-notice]"

    sign_in(page, "wendy")
    page.goto(url)
    assert page.locator(notice).is_hidden()

    other_context = browser.new_context(base_url=live_server.url)
    other = other_context.new_page()
    sign_in(other, "eddie")
    other.goto(url)
    assert other.locator(notice).is_visible()
    assert "Being edited by Wendy Okafor since" in other.locator(notice).inner_text()

    beat(page)
    page.locator(notice).wait_for(state="visible")
    assert "Being edited by eddie since" in page.locator(notice).inner_text()

    other.goto("/admin/")
    gone = EditorPresence.objects.filter(user__username="eddie")
    for _ in range(50):
        if not gone.exists():
            break
        time.sleep(0.1)
    assert not gone.exists()
    other_context.close()
    beat(page)
    page.locator(notice).wait_for(state="hidden")
    assert page.console_errors == []

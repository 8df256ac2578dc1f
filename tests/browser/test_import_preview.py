"""The admin's import preview: each vote read beside its sentence, then saved."""

import re

import pytest

from briefs.models import Brief
from tests.factories import UserFactory

from .test_editorial import sign_in

TEXT = """Harbour council backs the new ferry terminal

Councillors approved the terminal after a long debate about cost and noise,
and turned down a rival plan for the old docks.

The votes
- The Harbour Council approved the ferry terminal 7-2 with one abstention.
- Councillors rejected the docks plan by six votes to three.
- The council voted 5-4 on the parking rules, with 2 councillors.
"""


@pytest.mark.django_db(transaction=True)
def test_the_import_preview_shows_each_vote_beside_its_sentence(
    page, artifacts, live_server
):
    UserFactory(username="wendy", writer=True)
    sign_in(page, "wendy")
    page.goto("/admin/briefs/brief/import/")
    page.fill("#id_text", TEXT)
    page.get_by_role("button", name="Read the brief").click()

    rows = page.locator("tr.vote-read")
    rows.first.wait_for()
    assert rows.count() == 2
    first, second = rows.nth(0), rows.nth(1)
    assert "approved the ferry terminal 7-2" in first.locator(".sentence").inner_text()
    assert first.locator(".vote-yes").inner_text() == "7"
    assert first.locator(".vote-no").inner_text() == "2"
    assert first.locator(".vote-abstain").inner_text() == "1"
    assert first.locator(".vote-outcome").inner_text() == "Adopted"
    assert first.locator(".vote-body").inner_text() == "Harbour Council"
    assert (
        second.locator(".vote-yes").inner_text(),
        second.locator(".vote-no").inner_text(),
    ) == ("3", "6")
    unread = page.locator("li.unread-vote")
    assert unread.count() == 1
    assert "is not bound to a label" in unread.inner_text()
    assert not Brief.objects.exists()
    page.screenshot(path=artifacts / "import-preview.png", full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r".*/admin/briefs/brief/\d+/change/"))
    brief = Brief.objects.get()
    assert sorted(brief.votes.values_list("yes", "no")) == [(3, 6), (7, 2)]
    assert page.console_errors == []

"""The test server answers requests that arrive together, on any database."""

import time

import pytest

from briefs.models import Brief
from tests.browser.test_editorial import sign_in
from tests.factories import BriefFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_writes_and_reads_at_once_and_the_tests_own_queries_all_succeed(
    page, live_server
):
    UserFactory(username="eddie", editor=True)
    brief = BriefFactory()
    sign_in(page, "eddie")
    page.goto(f"/admin/briefs/brief/{brief.pk}/change/")
    # Sixty presence heartbeats (writes) and sixty signed-in reads leave the
    # browser together, as they do when an editor leaves a page mid-load...
    page.evaluate(
        """() => {
            const box = document.querySelector("[data-brief-presence]");
            const token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
            const write = () => fetch(box.dataset.heartbeatUrl, {
                method: "POST", headers: {"X-CSRFToken": token}});
            const read = () => fetch("/admin/jsi18n/");
            window.calls = Promise.all(
                Array.from({length: 120}, (_, i) => (i % 2 ? write() : read())
                    .then((response) => response.status)));
        }"""
    )
    # ...while the test's own thread reads the database too.
    until = time.monotonic() + 2
    while time.monotonic() < until:
        assert Brief.objects.filter(pk=brief.pk).exists()
    assert page.evaluate("() => window.calls") == [200] * 120

"""The server the browser tests talk to behaves as a deployed one does."""

from concurrent.futures import ThreadPoolExecutor
from urllib.request import urlopen

import pytest

from tests.factories import BriefFactory, BulletFactory, SectionFactory


def test_the_live_server_threads_open_database_connections_of_their_own(
    live_server,
):
    assert live_server.thread.connections_override == {}


@pytest.mark.django_db(transaction=True)
def test_requests_served_at_the_same_time_all_answer(live_server):
    briefs = [BriefFactory(published=True) for _ in range(4)]
    for brief in briefs:
        BulletFactory(section=SectionFactory(brief=brief))
    urls = [f"{live_server.url}{brief.get_absolute_url()}" for brief in briefs] * 10

    def fetch(url):
        with urlopen(url, timeout=30) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, urls))
    assert statuses == [200] * len(urls)

"""examples/mirror.py keeps a copy equal to the API, by the change feed."""

import datetime
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from briefs import services
from briefs.models import Brief
from tests import factories

MIRROR = Path(__file__).resolve().parent.parent / "examples" / "mirror.py"


def ready_brief(**kwargs):
    brief = factories.BriefFactory(**kwargs)
    factories.BulletFactory(section=factories.SectionFactory(brief=brief))
    return brief


def publish(brief, at=None):
    return services.brief_transition(brief=brief, action="publish", at=at)


def run_mirror(site, path):
    result = subprocess.run(
        [sys.executable, str(MIRROR), site, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(path.read_text())["briefs"]


def api_briefs(site):
    """Return every brief the API lists, as its detail shows it, by id."""

    def get(url):
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.load(response)

    found, url = {}, f"{site}/api/v1/briefs/?page_size=100"
    while url:
        page = get(url)
        for item in page["results"]:
            found[item["id"]] = get(f"{site}/api/v1/briefs/{item['id']}/")
        url = page["next"]
    return found


def wait_until(moment):
    while timezone.now() <= moment:
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_the_mirror_equals_the_api_after_every_kind_of_change(live_server, tmp_path):
    site, path = live_server.url, tmp_path / "mirror.json"
    topic = factories.TopicFactory(name="Norland", slug="norland")
    kept = ready_brief(slug="kept")
    kept.topics.add(topic)
    publish(kept)
    withdrawn = publish(ready_brief(slug="withdrawn"))
    soon = timezone.now() + datetime.timedelta(seconds=1)
    publish(ready_brief(slug="scheduled"), at=soon)
    publish(ready_brief(slug="embargoed", embargo_until=soon))
    run_mirror(site, path)

    topic.name = "North Land"
    services.shared_save(obj=topic)
    services.brief_transition(
        brief=Brief.objects.get(pk=withdrawn.pk), action="archive"
    )
    wait_until(soon)
    services.timed_changes_record()
    mirrored = run_mirror(site, path)

    expected = api_briefs(site)
    assert set(expected) == {
        str(b.uuid) for b in Brief.objects.exclude(slug="withdrawn")
    }
    assert mirrored == expected
    assert expected[str(kept.uuid)]["topics"][0]["name"] == "North Land"

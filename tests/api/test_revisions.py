"""Saves through the API land in the same revision history as the admin's."""

import pytest
from reversion.models import Version

from briefs.models import Brief
from tests.api.conftest import if_match
from tests.api.test_briefs import LIST, nested_payload


def revisions_of(brief):
    return list(
        Version.objects.get_for_object(brief).order_by("revision__date_created")
    )


@pytest.mark.django_db
def test_creating_a_brief_through_the_api_records_a_revision(writer_api, writer):
    response = writer_api.post(LIST, nested_payload(2, 2), format="json")
    brief = Brief.objects.get(slug=response.json()["slug"])
    [version] = revisions_of(brief)
    assert version.revision.user == writer
    assert version.revision.comment == "Created through the API."
    recorded = Version.objects.filter(revision=version.revision).count()
    assert recorded == 1 + 2 + 4  # the brief, its sections and their bullets


@pytest.mark.django_db
def test_updating_and_publishing_through_the_api_record_revisions(
    writer_api, editor_api, editor
):
    response = writer_api.post(LIST, nested_payload(1, 1), format="json")
    url = f"{LIST}{response.json()['slug']}/"
    writer_api.patch(
        url, {"title": "A better headline"}, format="json", **if_match(writer_api, url)
    )
    assert editor_api.post(f"{url}publish/", {}, format="json").status_code == 200
    brief = Brief.objects.get(slug=response.json()["slug"])
    comments = [v.revision.comment for v in revisions_of(brief)]
    assert comments == [
        "Created through the API.",
        "Changed through the API.",
        "Publish through the API.",
    ]
    assert revisions_of(brief)[-1].revision.user == editor

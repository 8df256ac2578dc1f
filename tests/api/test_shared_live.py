"""Writes through the API to what a live brief shows: editors only."""

import pytest

from briefs.models import Source, Vote
from tests.factories import BriefFactory, SourceFactory, VoteFactory

pytestmark = pytest.mark.django_db


def test_a_writer_may_not_retitle_a_live_vote_through_the_api(writer_api):
    vote = VoteFactory(title="The budget")
    BriefFactory(published=True, title="Council adopts budget").votes.add(vote)
    response = writer_api.patch(
        f"/api/v1/votes/{vote.pk}/", {"title": "The leaner budget"}, format="json"
    )
    assert response.status_code == 403
    assert "Council adopts budget" in response.json()["detail"]
    assert Vote.objects.get(pk=vote.pk).title == "The budget"


def test_a_writer_may_not_edit_a_live_source_through_the_api(writer_api):
    source = SourceFactory(title="Minutes")
    BriefFactory(published=True).sources.add(source)
    response = writer_api.patch(
        f"/api/v1/sources/{source.pk}/", {"title": "Amended"}, format="json"
    )
    assert response.status_code == 403
    assert Source.objects.get(pk=source.pk).title == "Minutes"


def test_an_editor_retitles_a_live_vote_through_the_api(editor_api):
    vote = VoteFactory(title="The budget")
    BriefFactory(published=True).votes.add(vote)
    response = editor_api.patch(
        f"/api/v1/votes/{vote.pk}/", {"title": "The leaner budget"}, format="json"
    )
    assert response.status_code == 200
    assert Vote.objects.get(pk=vote.pk).title == "The leaner budget"

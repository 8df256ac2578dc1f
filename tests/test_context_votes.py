"""A vote marked as background stays in the data but draws no chart."""

import pytest

from tests.factories import BriefFactory, VoteFactory


@pytest.mark.django_db
def test_a_background_vote_draws_no_chart_but_is_named_on_the_page(client):
    brief = BriefFactory(published=True)
    brief.votes.add(VoteFactory(title="The earlier ceasefire text", context=True))

    page = client.get(brief.get_absolute_url()).content.decode()

    assert '<figure class="vote"' not in page
    assert "Background: The earlier ceasefire text" in page


@pytest.mark.django_db
def test_a_vote_not_marked_as_background_draws_its_chart(client):
    brief = BriefFactory(published=True)
    brief.votes.add(VoteFactory(title="The ceasefire text"))

    page = client.get(brief.get_absolute_url()).content.decode()

    assert '<figure class="vote"' in page


@pytest.mark.django_db
def test_the_api_says_which_votes_are_background(client):
    brief = BriefFactory(published=True)
    brief.votes.add(VoteFactory(context=True))

    data = client.get(f"/api/v1/briefs/{brief.slug}/").json()

    assert [vote["context"] for vote in data["votes"]] == [True]

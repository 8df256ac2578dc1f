"""Nothing unpublished reaches anonymous clients, wherever they look."""

import pytest

from tests import factories
from tests.api.conftest import brief_with_content, scheduled_brief

MARK = "Zanzibar-unpublished-marker"


def unpublished_world():
    """Return draft, scheduled and archived briefs that cite a vote and a source
    only they cite, all marked; plus a published brief sharing a vote with them."""
    live = brief_with_content(sections=1, bullets=2, votes=1)
    secret_vote = factories.VoteFactory(title=f"{MARK} vote")
    secret_source = factories.SourceFactory(title=f"{MARK} source")
    hidden = [
        factories.BriefFactory(title=f"{MARK} draft"),
        scheduled_brief(title=f"{MARK} scheduled"),
        factories.BriefFactory(title=f"{MARK} archived", status="archived"),
    ]
    shared_vote = live.votes.get()
    for brief in hidden:
        brief.votes.add(secret_vote, shared_vote)
        brief.sources.add(secret_source)
        factories.BulletFactory(
            section=factories.SectionFactory(brief=brief), sources=[secret_source]
        )
    return live, hidden, secret_vote, secret_source


@pytest.mark.django_db
def test_no_anonymous_answer_mentions_an_unpublished_brief(api):
    live, hidden, secret_vote, secret_source = unpublished_world()
    shared_vote = live.votes.get()
    urls = [
        "/api/v1/briefs/",
        "/api/v1/briefs/?ordering=title",
        "/api/v1/briefs/?search=Zanzibar",
        f"/api/v1/briefs/{live.slug}/",
        f"/api/v1/briefs/{live.slug}/ninjs/",
        "/api/v1/votes/",
        f"/api/v1/votes/{shared_vote.pk}/",
        "/api/v1/votes/?format=csv",
        "/api/v1/votes/?format=csv&members=1",
        "/api/v1/sources/",
        "/api/v1/topics/",
    ]

    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, url
        assert MARK not in response.content.decode(), url

    for brief in hidden:
        assert api.get(f"/api/v1/briefs/{brief.slug}/").status_code == 404
        assert api.get(f"/api/v1/briefs/{brief.slug}/ninjs/").status_code == 404
    assert api.get(f"/api/v1/votes/{secret_vote.pk}/").status_code == 404
    assert api.get(f"/api/v1/sources/{secret_source.pk}/").status_code == 404

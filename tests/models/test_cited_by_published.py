import pytest

from briefs.models import Source, Vote
from tests import factories


@pytest.mark.django_db
def test_votes_cited_by_published_are_those_a_published_brief_reports():
    reported = factories.VoteFactory()
    only_in_draft = factories.VoteFactory()
    factories.VoteFactory()
    live = factories.BriefFactory(published=True)
    live.votes.add(reported)
    factories.BriefFactory().votes.add(only_in_draft, reported)

    assert list(Vote.objects.cited_by_published()) == [reported]


@pytest.mark.django_db
def test_sources_cited_by_published_include_those_cited_by_bullets():
    by_brief, by_bullet, by_draft = factories.SourceFactory.create_batch(3)
    live = factories.BriefFactory(published=True)
    live.sources.add(by_brief)
    factories.BulletFactory(
        section=factories.SectionFactory(brief=live), sources=[by_bullet]
    )
    factories.BriefFactory().sources.add(by_draft)

    assert set(Source.objects.cited_by_published()) == {by_brief, by_bullet}


@pytest.mark.django_db
def test_visible_to_gives_staff_everything_and_others_what_readers_see(writer):
    hidden_vote = factories.VoteFactory()
    hidden_source = factories.SourceFactory()
    reader = factories.UserFactory(username="plain", is_staff=False)

    assert hidden_vote in Vote.objects.visible_to(writer)
    assert hidden_source in Source.objects.visible_to(writer)
    for user in (None, reader):
        assert not Vote.objects.visible_to(user).exists()
        assert not Source.objects.visible_to(user).exists()

"""A writer's change to what a live brief shows waits for an editor."""

import pytest

from briefs.models import Vote
from briefs.services import LiveSharedError, shared_delete, shared_save, vote_save
from briefs.services.shared import shared_change_refusal
from briefs.services.votes import roll_call_import
from tests.factories import BriefFactory, SourceFactory, TopicFactory, VoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote():
    vote = VoteFactory(title="The budget")
    BriefFactory(published=True, title="Council adopts budget").votes.add(vote)
    return vote


def test_a_writer_may_not_retitle_a_vote_a_live_brief_shows(writer, vote):
    vote.title = "The leaner budget"
    with pytest.raises(LiveSharedError, match="Council adopts budget"):
        vote_save(vote=vote, user=writer)
    assert Vote.objects.get(pk=vote.pk).title == "The budget"


def test_an_editor_may_retitle_a_vote_a_live_brief_shows(editor, vote):
    vote.title = "The leaner budget"
    vote_save(vote=vote, user=editor)
    assert Vote.objects.get(pk=vote.pk).title == "The leaner budget"


def test_a_writer_may_edit_a_vote_only_unpublished_briefs_show(writer):
    vote = VoteFactory(title="The budget")
    BriefFactory(title="A draft").votes.add(vote)
    vote.title = "The leaner budget"
    vote_save(vote=vote, user=writer)
    assert Vote.objects.get(pk=vote.pk).title == "The leaner budget"


def test_a_writer_may_not_load_a_roll_call_into_a_live_vote(writer, vote):
    with pytest.raises(LiveSharedError):
        roll_call_import(vote=vote, data=b"code,name,position\n", user=writer)


def test_a_writer_may_not_edit_a_source_a_live_bullet_cites(writer):
    brief = BriefFactory(published=True, title="Council adopts budget")
    source = SourceFactory(title="Minutes")
    brief.sources.add(source)
    source.title = "Amended minutes"
    with pytest.raises(LiveSharedError):
        shared_save(obj=source, user=writer)


def test_a_writer_may_not_delete_a_topic_of_a_live_brief(writer):
    topic = TopicFactory()
    BriefFactory(published=True).topics.add(topic)
    with pytest.raises(LiveSharedError):
        shared_delete(obj=topic, user=writer)


def test_the_system_may_change_what_live_briefs_show(vote):
    assert shared_change_refusal(obj=vote, user=None) is None

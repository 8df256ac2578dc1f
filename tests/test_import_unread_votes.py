"""Sentences that look like votes but cannot be read: reported, never guessed."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from briefs.models import Brief, UnreadVote, Vote
from briefs.services import UnreadVotesError, brief_import
from tests.factories import VoteFactory

UNREAD = Path(__file__).parent / "fixtures" / "votes" / "unread-vote.txt"


@pytest.mark.django_db
def test_import_brief_names_file_and_line_of_an_unread_vote_and_saves_nothing():
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_brief", str(UNREAD), stdout=StringIO(), stderr=err)

    assert caught.value.returncode == 1
    assert f"{UNREAD}:4: " in str(caught.value)
    assert "'2' is not bound to a label" in str(caught.value)
    assert not Brief.objects.exists() and not Vote.objects.exists()


@pytest.mark.django_db
def test_import_brief_with_allow_unread_votes_saves_the_brief_and_the_sentence():
    out, err = StringIO(), StringIO()

    call_command(
        "import_brief", str(UNREAD), "--allow-unread-votes", stdout=out, stderr=err
    )

    brief = Brief.objects.get()
    assert out.getvalue().split() == [brief.slug]
    assert f"{UNREAD}:4:" in err.getvalue()
    [unread] = UnreadVote.objects.all()
    assert unread.sentence.startswith("The harbour council voted 6-3")
    assert unread.bullet.section.brief == brief
    assert not brief.votes.exists()


@pytest.mark.django_db
def test_the_publish_checklist_lists_an_unread_vote_until_it_is_marked_no_vote():
    brief = brief_import(text=UNREAD.read_text(), allow_unread_votes=True)

    [item] = [i for i in brief.publish_checklist() if "could not read" in i.message]
    assert "The harbour council voted 6-3" in item.message
    assert item.where == "Section 1 (The vote), bullet 1"

    UnreadVote.objects.update(resolution=UnreadVote.Resolution.NO_VOTE)
    assert not [i for i in brief.publish_checklist() if "could not read" in i.message]


@pytest.mark.django_db
def test_an_unread_vote_recorded_by_hand_leaves_the_checklist():
    brief = brief_import(text=UNREAD.read_text(), allow_unread_votes=True)
    unread = UnreadVote.objects.get()
    unread.resolution = UnreadVote.Resolution.RECORDED
    unread.vote = VoteFactory()
    unread.full_clean()
    unread.save()

    assert not [i for i in brief.publish_checklist() if "could not read" in i.message]


@pytest.mark.django_db
def test_recorded_by_hand_needs_the_vote():
    brief_import(text=UNREAD.read_text(), allow_unread_votes=True)
    unread = UnreadVote.objects.get()
    unread.resolution = UnreadVote.Resolution.RECORDED

    with pytest.raises(ValidationError):
        unread.full_clean()


@pytest.mark.django_db
def test_brief_import_refuses_an_unread_vote_unless_allowed():
    with pytest.raises(UnreadVotesError) as caught:
        brief_import(text=UNREAD.read_text(), filename="harbour.txt")

    assert str(caught.value).startswith("harbour.txt:4: an unread vote")
    assert not Brief.objects.exists()

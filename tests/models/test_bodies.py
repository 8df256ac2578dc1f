"""Bodies as data: their rules decide outcomes; duplicates merge into one."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from briefs.models import Body, PermanentMember, Vote, VotePosition
from briefs.services import body_merge
from tests.factories import VoteFactory, general_assembly, security_council


def body(**fields):
    fields.setdefault("name", "Test Chamber")
    fields.setdefault("slug", "test-chamber")
    return Body.objects.create(**fields)


def vote_in(chamber, yes, no, abstain=0, outcome="adopted", **fields):
    return VoteFactory.build(
        body=chamber, yes=yes, no=no, abstain=abstain, outcome=outcome, **fields
    )


@pytest.mark.django_db
def test_reference_bodies_keep_todays_rules_as_data():
    assembly, council = general_assembly(), security_council()
    assert (assembly.kind, assembly.share, assembly.seats) == (
        "un_organ",
        "more_yes",
        193,
    )
    assert (council.share, council.min_yes) == ("fixed", 9)
    assert Body.objects.named("unsc") == council
    assert Body.objects.named("GENERAL ASSEMBLY") == assembly


@pytest.mark.django_db
def test_three_fifths_of_votes_cast():
    senate = body(share="three_fifths", seats=100)
    assert senate.yes_needed(no=43, abstain=0) == 65
    vote_in(senate, 60, 40).full_clean()
    with pytest.raises(ValidationError) as caught:
        vote_in(senate, 57, 43).full_clean()
    assert "three fifths of votes cast" in caught.value.message_dict["outcome"][0]
    vote_in(senate, 57, 43, outcome="rejected").full_clean()


@pytest.mark.django_db
def test_a_majority_of_all_members_ignores_who_turned_up():
    chamber = body(share="majority", threshold_base="members", seats=70)
    assert chamber.yes_needed(no=0, abstain=0) == 36
    vote_in(chamber, 35, 10, outcome="rejected").full_clean()
    assert "36 of 70" in chamber.rule_text()


@pytest.mark.django_db
def test_two_thirds_with_abstentions_counting():
    board = body(share="two_thirds", abstentions_count=True)
    # yes >= 2/3 of (yes + no + abstain): with 5 no and 5 abstaining, 20.
    assert board.yes_needed(no=5, abstain=5) == 20
    vote_in(board, 19, 5, 5, outcome="rejected").full_clean()
    vote_in(board, 20, 5, 5).full_clean()


@pytest.mark.django_db
def test_unanimity_fails_with_a_single_no():
    jury = body(share="unanimity")
    vote_in(jury, 11, 0).full_clean()
    with pytest.raises(ValidationError):
        vote_in(jury, 11, 1).full_clean()
    assert jury.yes_needed(no=1, abstain=0) is None


@pytest.mark.django_db
def test_an_unknown_rule_takes_the_outcome_as_reported():
    council = body()
    assert not council.rule_known and council.yes_needed(3, 0) is None
    vote_in(council, 10, 5, outcome="rejected").full_clean()
    with pytest.raises(ValidationError):
        vote_in(council, 5, 10, outcome="adopted").full_clean()


@pytest.mark.django_db
def test_shares_run_to_billions_without_seats():
    meeting = body(kind="shareholders", threshold_base="shares", share="majority")
    vote = vote_in(meeting, 4_120_000_000, 1_980_000_000, 61_000_000)
    vote.full_clean()
    vote.save()
    assert Vote.objects.get(pk=vote.pk).yes == 4_120_000_000


@pytest.mark.django_db
def test_counts_still_add_up_to_known_seats_when_not_voting_is_recorded():
    council = body(seats=9, share="majority")
    vote_in(council, 5, 2, 1, not_voting=1).full_clean()
    with pytest.raises(ValidationError) as caught:
        vote_in(council, 5, 2, 1, not_voting=2).full_clean()
    assert "exactly 9" in caught.value.message_dict[NON_FIELD_ERRORS][0]


@pytest.mark.django_db
def test_positions_beyond_a_count_are_refused_without_seats():
    council = body()
    vote = VoteFactory(body=council, yes=2, no=1, abstain=0)
    positions = [
        VotePosition(vote=vote, member_code=code, member_name=code, position="no")
        for code in ("AAA", "BBB")
    ]
    assert "no" in vote.rule_errors(positions)


@pytest.mark.django_db
def test_a_fixed_share_needs_its_number():
    with pytest.raises(ValidationError) as caught:
        Body(name="X", slug="x", share="fixed").full_clean()
    assert "min_yes" in caught.value.message_dict


@pytest.mark.django_db
def test_merging_moves_votes_names_and_veto_holders():
    keep = body(name="Northline Transit Board", slug="northline", seats=9)
    duplicate = body(name="Northline Board", slug="northline-2", aliases="NTB")
    PermanentMember.objects.create(body=duplicate, code="CHAIR", name="The chair")
    vote = VoteFactory(body=duplicate, yes=3, no=6, abstain=0, outcome="rejected")

    body_merge(source=duplicate, target=keep)

    vote.refresh_from_db()
    keep.refresh_from_db()
    assert vote.body == keep
    assert not Body.objects.filter(pk=duplicate.pk).exists()
    assert keep.alias_list() == ["Northline Board", "NTB"]
    assert keep.permanent_codes() == {"CHAIR"}
    assert Body.objects.named("ntb") == keep


@pytest.mark.django_db
def test_a_merge_that_would_break_the_targets_rules_changes_nothing():
    small = body(name="Small Board", slug="small", seats=5)
    large = body(name="Large Board", slug="large")
    vote = VoteFactory(body=large, yes=10, no=2, abstain=0)
    with pytest.raises(ValidationError) as caught:
        body_merge(source=large, target=small)
    assert "5 seats" in str(caught.value)
    vote.refresh_from_db()
    assert vote.body == large


@pytest.mark.django_db
def test_the_placeholder_cannot_be_merged():
    board = body()
    with pytest.raises(ValidationError):
        body_merge(source=Body.objects.placeholder(), target=board)


@pytest.mark.django_db
def test_a_measure_needing_three_fifths_of_all_members_overrides_a_simple_majority():
    senate = body(share="majority", threshold_base="members", seats=100)
    closure = vote_in(senate, 57, 43, outcome="rejected", required_share="three_fifths")
    closure.full_clean()
    assert closure.yes_needed == 60
    assert closure.rule_text == "three fifths of all members (60 of 100)"


@pytest.mark.django_db
def test_what_a_measure_needed_gives_a_rule_to_a_body_whose_rule_is_unknown():
    chamber = body()
    vote = vote_in(chamber, 57, 43, outcome="adopted", required_yes=60)
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    assert "at least 60 yes" in caught.value.message_dict["outcome"][0]
    assert vote.rule_known and not chamber.rule_known

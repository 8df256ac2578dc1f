"""Every vote rule accepts the valid case and rejects the invalid one."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from briefs.models import Body, Share, Vote, VotePosition
from tests.factories import VoteFactory, general_assembly, security_council

PERMANENT = ["CHN", "FRA", "RUS", "GBR", "USA"]
ELECTED = ["DZA", "DNK", "GRC", "GUY", "PAK", "PAN", "KOR", "SLE", "SVN", "SOM"]


def council_positions(vote, *, no=(), abstain=(), absent=(), members=None):
    members = members or PERMANENT + ELECTED
    positions = []
    for code in members:
        position = (
            "no"
            if code in no
            else "abstain"
            if code in abstain
            else "absent"
            if code in absent
            else "yes"
        )
        positions.append(
            VotePosition(
                vote=vote, member_code=code, member_name=code, position=position
            )
        )
    return positions


def errors_of(vote, positions=()):
    return vote.rule_errors(list(positions))


@pytest.mark.django_db
def test_reference_bodies_have_their_seats_and_vetoes():
    assert general_assembly().seats == 193
    assert general_assembly().permanent_codes() == set()
    council = security_council()
    assert council.seats == 15
    assert council.min_yes == 9
    assert council.permanent_codes() == set(PERMANENT)


@pytest.mark.django_db
def test_counts_within_seats_are_accepted():
    vote = VoteFactory.build(yes=93, no=18, abstain=65)
    vote.full_clean()


@pytest.mark.django_db
def test_counts_beyond_seats_are_refused_in_the_editors_words():
    vote = VoteFactory.build(council=True, yes=10, no=1, abstain=5)
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    message = caught.value.message_dict[NON_FIELD_ERRORS][0]
    assert "Security Council has 15 seats" in message
    assert "add up to 16" in message


@pytest.mark.django_db
def test_counts_with_not_voting_must_add_up_to_the_seats():
    VoteFactory.build(yes=93, no=18, abstain=65, not_voting=17).full_clean()
    vote = VoteFactory.build(yes=93, no=18, abstain=65, not_voting=10)
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    assert "exactly 193" in caught.value.message_dict[NON_FIELD_ERRORS][0]


@pytest.mark.django_db
def test_complete_positions_that_agree_with_the_counts_are_accepted():
    vote = VoteFactory.build(council=True, yes=10, no=0, abstain=5)
    positions = council_positions(vote, abstain={"FRA", "GBR", "DNK", "GRC", "SVN"})
    assert errors_of(vote, positions) == {}


@pytest.mark.django_db
def test_complete_positions_that_disagree_with_the_counts_are_refused():
    vote = VoteFactory.build(council=True, yes=10, no=0, abstain=5)
    positions = council_positions(vote, abstain={"FRA", "GBR", "DNK", "GRC"})
    errors = errors_of(vote, positions)
    assert "11 of them are 'yes'" in errors["yes"][0]
    assert "abstain" in errors


@pytest.mark.django_db
def test_partial_positions_within_the_counts_are_accepted():
    vote = VoteFactory.build(yes=93, no=18, abstain=65)
    positions = [
        VotePosition(vote=vote, member_code="USA", member_name="US", position="no"),
        VotePosition(vote=vote, member_code="FRA", member_name="FR", position="yes"),
    ]
    assert errors_of(vote, positions) == {}


@pytest.mark.django_db
def test_partial_positions_beyond_a_count_are_refused():
    vote = VoteFactory.build(council=True, yes=10, no=0, abstain=5)
    positions = [
        VotePosition(vote=vote, member_code="USA", member_name="US", position="no")
    ]
    assert "more than this count of 0" in errors_of(vote, positions)["no"][0]


@pytest.mark.django_db
def test_a_member_recorded_twice_is_refused():
    vote = VoteFactory.build(yes=93, no=18, abstain=65)
    positions = [
        VotePosition(vote=vote, member_code="USA", member_name="US", position="no"),
        VotePosition(vote=vote, member_code="USA", member_name="US", position="no"),
    ]
    assert "USA" in errors_of(vote, positions)[NON_FIELD_ERRORS][0]


@pytest.mark.django_db
def test_saved_positions_are_checked_by_full_clean():
    vote = VoteFactory(council=True, yes=10, no=0, abstain=5)
    VotePosition.objects.bulk_create(
        council_positions(vote, abstain={"FRA", "GBR", "DNK", "GRC", "SVN"})
    )
    vote.full_clean()
    vote.yes, vote.abstain = 9, 6
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    assert "yes" in caught.value.message_dict


@pytest.mark.django_db
def test_council_adoption_needs_nine_yes():
    VoteFactory.build(
        council=True, yes=9, no=0, abstain=6, outcome="adopted"
    ).full_clean()
    vote = VoteFactory.build(council=True, yes=8, no=0, abstain=7, outcome="adopted")
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    assert "at least 9 yes" in caught.value.message_dict["outcome"][0]


@pytest.mark.django_db
def test_council_short_of_nine_yes_is_rejected():
    VoteFactory.build(
        council=True, yes=8, no=0, abstain=7, outcome="rejected"
    ).full_clean()
    vote = VoteFactory.build(council=True, yes=9, no=0, abstain=6, outcome="rejected")
    with pytest.raises(ValidationError):
        vote.full_clean()


@pytest.mark.django_db
def test_permanent_members_no_makes_nine_yes_a_veto():
    vote = VoteFactory.build(council=True, yes=13, no=1, abstain=1, outcome="vetoed")
    positions = council_positions(vote, no={"USA"}, abstain={"GBR"})
    assert errors_of(vote, positions) == {}
    vote.outcome = "adopted"
    assert "vetoed, not adopted" in errors_of(vote, positions)["outcome"][0]


@pytest.mark.django_db
def test_an_elected_members_no_is_no_veto():
    vote = VoteFactory.build(council=True, yes=13, no=1, abstain=1, outcome="adopted")
    positions = council_positions(vote, no={"DZA"}, abstain={"GBR"})
    assert errors_of(vote, positions) == {}
    vote.outcome = "vetoed"
    assert "permanent member" in errors_of(vote, positions)["outcome"][0]


@pytest.mark.django_db
def test_veto_without_positions_needs_nine_yes_and_a_no():
    VoteFactory.build(
        council=True, yes=13, no=1, abstain=1, outcome="vetoed"
    ).full_clean()
    vote = VoteFactory.build(council=True, yes=7, no=1, abstain=7, outcome="vetoed")
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    assert "'rejected'" in caught.value.message_dict["outcome"][0]


@pytest.mark.django_db
def test_council_adoption_with_no_against_cannot_be_a_veto():
    vote = VoteFactory.build(council=True, yes=10, no=0, abstain=5, outcome="vetoed")
    with pytest.raises(ValidationError):
        vote.full_clean()


@pytest.mark.django_db
def test_assembly_simple_majority_adopts_with_more_yes_than_no():
    VoteFactory.build(yes=40, no=39, abstain=100, outcome="adopted").full_clean()
    vote = VoteFactory.build(yes=40, no=52, abstain=0, outcome="adopted")
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    assert "more yes than no" in str(caught.value)


@pytest.mark.django_db
def test_assembly_simple_majority_rejects_a_tie():
    VoteFactory.build(yes=50, no=50, abstain=0, outcome="rejected").full_clean()
    vote = VoteFactory.build(yes=51, no=50, abstain=0, outcome="rejected")
    with pytest.raises(ValidationError):
        vote.full_clean()


@pytest.mark.django_db
def test_a_measure_needing_two_thirds_needs_twice_as_many_yes_as_no():
    two_thirds = Share.TWO_THIRDS
    VoteFactory.build(
        yes=100, no=50, abstain=0, required_share=two_thirds, outcome="adopted"
    ).full_clean()
    vote = VoteFactory.build(
        yes=99, no=50, abstain=0, required_share=two_thirds, outcome="adopted"
    )
    with pytest.raises(ValidationError) as caught:
        vote.full_clean()
    assert "two thirds of" in caught.value.message_dict["outcome"][0]
    vote.outcome = "rejected"
    vote.full_clean()


@pytest.mark.django_db
def test_assembly_votes_cannot_be_vetoed():
    vote = VoteFactory.build(yes=93, no=18, abstain=65, outcome="vetoed")
    with pytest.raises(ValidationError):
        vote.full_clean()


@pytest.mark.django_db
def test_database_refuses_an_adopted_vote_without_more_yes_than_no():
    with transaction.atomic(), pytest.raises(IntegrityError):
        VoteFactory(yes=10, no=20, abstain=0, outcome="adopted")


@pytest.mark.django_db
def test_database_refuses_a_veto_without_a_no():
    with transaction.atomic(), pytest.raises(IntegrityError):
        VoteFactory(council=True, yes=10, no=0, abstain=5, outcome="vetoed")


@pytest.mark.django_db
def test_database_refuses_a_member_twice_in_one_vote():
    vote = VoteFactory()
    VotePosition.objects.create(
        vote=vote, member_code="USA", member_name="US", position="no"
    )
    with transaction.atomic(), pytest.raises(IntegrityError):
        VotePosition.objects.create(
            vote=vote, member_code="USA", member_name="US", position="no"
        )


@pytest.mark.django_db
def test_database_refuses_a_body_without_seats():
    with transaction.atomic(), pytest.raises(IntegrityError):
        Body.objects.create(name="Empty", slug="empty", seats=0)


@pytest.mark.django_db
def test_outcome_label_reads_like_a_newsroom():
    vote = VoteFactory.build(yes=93, no=18, abstain=65, outcome="adopted")
    assert vote.outcome_label == "Adopted, 93-18-65"
    assert str(vote) == f"{vote.symbol}: Adopted, 93-18-65"


@pytest.mark.django_db
def test_a_vote_is_usable_by_several_briefs():
    from tests.factories import BriefFactory

    vote = VoteFactory()
    first, second = BriefFactory(), BriefFactory()
    first.votes.add(vote)
    second.votes.add(vote)
    assert set(Vote.objects.get(pk=vote.pk).briefs.all()) == {first, second}

"""Votes of any body: every vote sentence is recorded, against the body it names."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from briefs.importer import BriefFormatError, find_vote, parse_brief
from briefs.models import Body, Brief, Vote
from briefs.services import brief_import

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"


def import_fixture(name, **kwargs):
    return brief_import(text=(FIXTURES / name).read_bytes(), filename=name, **kwargs)


def votes_of(brief):
    return list(brief.votes.select_related("body").order_by("id"))


@pytest.mark.parametrize(
    ("text", "counts", "outcome"),
    [
        ("The Supreme Court ruled 6-3 that the law stands.", (6, 3, 0, None), None),
        ("The Senate passed the bill 68-32.", (68, 32, 0, None), "adopted"),
        (
            "The plan carried by 41 votes to 22, with 4 abstentions and 3 members "
            "absent.",
            (41, 22, 4, 3),
            "adopted",
        ),
        ("The motion fell short at 57-43.", (57, 43, 0, None), "rejected"),
        ("The amendment was defeated 30-35.", (30, 35, 0, None), "rejected"),
        (
            "The plan was approved with 412,880,115 shares voted for, 198,402,377 "
            "against and 6,110,250 abstaining.",
            (412_880_115, 198_402_377, 6_110_250, None),
            "adopted",
        ),
        (
            "The proposal failed, with 1,500 shares for, 4,000 against and 250 "
            "withheld.",
            (1_500, 4_000, 250, None),
            "rejected",
        ),
        (
            "The accord was adopted with 124 votes for, 0 against, 11 abstentions "
            "and 59 not voting.",
            (124, 0, 11, 59),
            "adopted",
        ),
        ("The ruling was upheld 5-4.", (5, 4, 0, None), "adopted"),
        ("The text was vetoed 13-1-1.", (13, 1, 1, None), "vetoed"),
        # The forms docs/editors/votes-and-bodies.md lists.
        (
            "It passed with 93 votes for, 18 against, and 65 abstentions.",
            (93, 18, 65, None),
            "adopted",
        ),
        (
            "It was adopted by 120 votes to 3, with 10 abstentions.",
            (120, 3, 10, None),
            "adopted",
        ),
        (
            "It was rejected with 40 in favour and 52 against.",
            (40, 52, 0, None),
            "rejected",
        ),
    ],
)
def test_each_vote_sentence_form_is_read(text, counts, outcome):
    vote, _ = find_vote(text, 5, "Senate vote", "")
    assert (vote.yes, vote.no, vote.abstain, vote.not_voting) == counts
    assert vote.outcome == outcome


def test_a_year_range_is_not_a_tally():
    vote, warning = find_vote("The budget for 2024-25 was approved.", 3, "H", "")
    assert vote is None and warning is None


@pytest.mark.parametrize(
    ("text", "heading", "context", "name", "kind"),
    [
        ("The Supreme Court ruled 6-3.", "H", ("", ""), "Supreme Court", "court"),
        (
            "It passed 5-2.",
            "Riverton City Council",
            ("", ""),
            "Riverton City Council",
            "council",
        ),
        (
            "It passed 5-2.",
            "H",
            ("The Fisheries Committee met.", ""),
            "Fisheries Committee",
            "committee",
        ),
        (
            "It passed 5-2.",
            "H",
            ("", "Northline Transit Board acts"),
            "Northline Transit Board",
            "board",
        ),
        (
            "The Senate passed it 68-32.",
            "H",
            ("", "Illinois Senate backs plan"),
            "Illinois Senate",
            "parliament",
        ),
        (
            "The rules passed 20-5 in the Council of the European Union.",
            "H",
            ("", ""),
            "Council of the European Union",
            "council",
        ),
        (
            "The plan passed 5-2 at Acme's annual meeting.",
            "H",
            ("", ""),
            "Shareholders of Acme",
            "shareholders",
        ),
        (
            "It passed 5-2.",
            "World Health Assembly",
            ("", ""),
            "World Health Assembly",
            "assembly",
        ),
    ],
)
def test_the_body_is_named_from_the_sentence_heading_summary_or_title(
    text, heading, context, name, kind
):
    vote, warning = find_vote(text, 1, heading, context)
    assert warning is None
    assert (vote.body_name, vote.body_kind) == (name, kind)


def test_a_known_alias_is_found_in_any_case():
    vote, _ = find_vote(
        "the security council adopted it 14-0-1.",
        1,
        "H",
        "",
        known=("Security Council",),
    )
    assert vote.body_name == "Security Council"


@pytest.mark.django_db
def test_the_example_shaped_fixture_still_gives_six_sections_and_the_assembly_vote():
    brief = import_fixture("assembly-split.txt")
    assert brief.sections.count() == 6
    [vote] = votes_of(brief)
    assert (vote.body.slug, vote.counts_label) == ("un-general-assembly", "93-18-65")


@pytest.mark.django_db
def test_a_city_council_vote_is_recorded_with_its_absent_members():
    [vote] = votes_of(import_fixture("city-council-budget.txt"))
    assert (vote.body.name, vote.body.kind) == ("Riverton City Council", "council")
    assert (vote.yes, vote.no, vote.abstain, vote.not_voting) == (41, 22, 4, 3)
    assert vote.outcome == "adopted"
    assert vote.date == datetime.date(2025, 3, 12)
    assert vote.body.seats is None and not vote.body.rule_known


@pytest.mark.django_db
def test_a_parliament_and_its_committee_are_two_bodies():
    plenary, committee = votes_of(import_fixture("fisheries-parliament.txt"))
    assert (plenary.body.name, plenary.body.kind) == (
        "European Parliament",
        "parliament",
    )
    assert (plenary.yes, plenary.no, plenary.outcome) == (30, 35, "rejected")
    assert (committee.body.name, committee.body.kind) == (
        "Fisheries Committee",
        "committee",
    )
    assert committee.counts_label == "25-9-2"


@pytest.mark.django_db
def test_a_court_ruling_is_the_majority_whatever_it_decided():
    ruling, appeal = votes_of(import_fixture("wage-ruling.txt"))
    assert ruling.body.kind == "court"
    assert (ruling.yes, ruling.no, ruling.outcome) == (6, 3, "adopted")
    # "rejected the appeal 7-2": the 7 carried the court's decision.
    assert (appeal.yes, appeal.no, appeal.outcome) == (7, 2, "adopted")
    assert appeal.body == ruling.body


@pytest.mark.django_db
def test_share_counts_with_separators_are_stored_whole():
    pay, terms = votes_of(import_fixture("halden-agm.txt"))
    assert pay.body.kind == "shareholders"
    assert pay.body.name == "Shareholders of Halden Foods"
    assert terms.body == pay.body
    assert (pay.yes, pay.no, pay.abstain) == (412_880_115, 198_402_377, 6_110_250)
    assert pay.counts_label == "412,880,115-198,402,377-6,110,250"
    assert (terms.abstain, terms.outcome) == (2_500_000, "rejected")


@pytest.mark.django_db
def test_an_assembly_and_a_board_are_created_with_their_kinds():
    [assembly] = votes_of(import_fixture("health-assembly.txt"))
    [board] = votes_of(import_fixture("transit-board.txt"))
    assert (assembly.body.kind, assembly.not_voting) == ("assembly", 59)
    assert (board.body.name, board.body.kind, board.outcome) == (
        "Northline Transit Board",
        "board",
        "rejected",
    )


@pytest.mark.django_db
def test_a_vote_with_no_nameable_body_goes_to_the_placeholder_as_a_warning():
    parsed = parse_brief((FIXTURES / "unnamed-vote.txt").read_bytes(), "unnamed.txt")
    assert "unnamed.txt: line 4" in parsed.warnings[0]
    brief = import_fixture("unnamed-vote.txt")
    [vote] = votes_of(brief)
    assert vote.body.placeholder
    assert (vote.yes, vote.no, vote.outcome) == (5, 2, "adopted")
    [(where, message)] = brief.publish_warnings()
    assert "did not name the body" in message
    assert not any("Vote" in where for where, _ in brief.publish_problems())


@pytest.mark.django_db
def test_the_placeholder_does_not_block_publishing(editor):
    brief = import_fixture("unnamed-vote.txt")
    brief.submit_for_review(user=editor)
    brief.publish(user=editor)
    assert brief.status == Brief.Status.PUBLISHED


@pytest.mark.django_db
def test_importing_the_same_brief_twice_creates_no_duplicate_body():
    for name in ("halden-agm.txt", "city-council-budget.txt", "unnamed-vote.txt"):
        import_fixture(name)
    bodies = Body.objects.count()
    for name in ("halden-agm.txt", "city-council-budget.txt", "unnamed-vote.txt"):
        import_fixture(name)
    assert Body.objects.count() == bodies
    assert Vote.objects.count() == 8


@pytest.mark.django_db
def test_an_existing_body_is_reused_by_alias_in_any_case():
    body = Body.objects.create(
        name="Riverton Municipal Council",
        slug="riverton",
        aliases="riverton city council",
    )
    [vote] = votes_of(import_fixture("city-council-budget.txt"))
    assert vote.body == body


@pytest.mark.django_db
def test_a_three_fifths_rule_decides_the_outcome_of_a_known_body():
    Body.objects.create(
        name="State Senate", slug="state-senate", kind="parliament", seats=100,
        share="three_fifths", threshold_base="cast",
    )  # fmt: skip
    short, passed = votes_of(import_fixture("state-senate-transit.txt"))
    assert (short.counts_label, short.outcome) == ("57-43-0", "rejected")
    assert short.yes_needed == 65
    assert (passed.counts_label, passed.outcome) == ("68-32-0", "adopted")


@pytest.mark.django_db
def test_an_outcome_the_rule_contradicts_is_an_import_error_naming_file_and_line():
    Body.objects.create(name="State Senate", slug="state-senate", share="three_fifths")
    text = "Title\nSummary.\nState Senate\n- The rail bill passed 57-43.\n"
    with pytest.raises(BriefFormatError) as caught:
        brief_import(text=text, filename="senate.txt")
    assert str(caught.value).startswith("senate.txt:4: the vote in the State Senate")
    assert "three fifths of votes cast" in caught.value.reason
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_voting_to_reject_counts_the_tally_against_the_measure():
    brief = brief_import(
        text="Title\nSummary.\nVote\n- The Senate voted 52-48 to reject the nominee.\n"
    )
    [vote] = votes_of(brief)
    assert (vote.yes, vote.no, vote.outcome) == (48, 52, "rejected")


@pytest.mark.django_db
def test_import_brief_prints_each_vote_with_its_body():
    out, err = StringIO(), StringIO()
    call_command(
        "import_brief",
        str(FIXTURES / "halden-agm.txt"),
        str(FIXTURES / "unnamed-vote.txt"),
        stdout=out,
        stderr=err,
    )
    lines = [line for line in err.getvalue().splitlines() if "vote recorded" in line]
    assert len(lines) == 3
    assert "halden-agm.txt:4: Adopted, 412,880,115-198,402,377-6,110,250" in lines[0]
    assert "in the Shareholders of Halden Foods" in lines[0]
    assert "placeholder" in lines[2]


def test_a_day_before_the_name_is_no_part_of_it():
    vote, _ = find_vote("Tuesday's Senate vote passed 51-49.", 1, "H", "")
    assert vote.body_name == "Senate"


@pytest.mark.parametrize(
    ("text", "share", "yes_needed"),
    [
        (
            "The amendment failed in the General Assembly, 60-40, short of the "
            "two-thirds majority it needed.",
            "two_thirds",
            None,
        ),
        (
            "The closure motion failed in the Senate 57-43, short of the 60 votes "
            "needed.",
            "",
            60,
        ),
        (
            "The charter change passed the Assembly of Norland 70-30, clearing "
            "the three-fifths threshold.",
            "three_fifths",
            None,
        ),
        (
            "The treaty needed unanimous approval and was vetoed 26-1.",
            "unanimity",
            None,
        ),
        ("The Senate passed the bill with a two-thirds majority, 70-30.", "", None),
    ],
)
def test_the_importer_reads_what_a_measure_needed(text, share, yes_needed):
    vote, _ = find_vote(text, 4, "The vote", "A summary.")
    assert (vote.required_share, vote.required_yes) == (share, yes_needed)


@pytest.mark.django_db
def test_a_measure_short_of_its_two_thirds_imports_against_a_simple_majority_body():
    text = (
        "Charter amendment falls short in the General Assembly\n"
        "Members backed a change to the charter, but not by enough.\n"
        "The vote\n"
        "- The charter amendment failed in the General Assembly, 60-40, short of "
        "the two-thirds majority it needed.\n"
    )

    brief = brief_import(text=text.encode(), filename="amendment.txt")

    (vote,) = votes_of(brief)
    assert (vote.outcome, vote.required_share) == ("rejected", "two_thirds")
    assert vote.yes_needed == 80
    assert vote.rule_text.startswith("two thirds of")


@pytest.mark.django_db
def test_words_contradicting_what_the_measure_needed_stop_the_import():
    text = (
        "Closure voted in the Senate of Norland\n"
        "Senators moved to end the debate.\n"
        "The vote\n"
        "- The closure motion passed the Senate of Norland 57-43, clearing the "
        "60 votes needed.\n"
    )

    with pytest.raises(BriefFormatError) as caught:
        brief_import(text=text.encode(), filename="closure.txt")

    assert str(caught.value).startswith("closure.txt:4:")
    assert not Brief.objects.exists()

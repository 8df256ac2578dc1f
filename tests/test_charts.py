import re

import pytest
from django.template import engines

from briefs.models import Vote
from briefs.templatetags.charts import bar_segments, seat_chart, seat_positions
from tests.factories import VoteFactory, VotePositionFactory


def render_chart(vote):
    vote = (
        Vote.objects.select_related("body")
        .prefetch_related("positions")
        .get(pk=vote.pk)
    )
    return (
        engines["jinja2"].from_string("{{ vote_chart(vote) }}").render({"vote": vote})
    )


def with_positions(vote, split):
    for position, count in split:
        VotePositionFactory.create_batch(count, vote=vote, position=position)
    return vote


@pytest.mark.django_db
def test_yes_needed_follows_the_simple_majority():
    assert VoteFactory(yes=93, no=18).yes_needed == 19


@pytest.mark.django_db
def test_yes_needed_follows_a_two_thirds_requirement():
    assert VoteFactory(yes=93, no=18, required_share="two_thirds").yes_needed == 36


@pytest.mark.django_db
def test_yes_needed_includes_the_councils_minimum():
    assert VoteFactory(council=True, yes=10, no=0).yes_needed == 9


@pytest.mark.django_db
def test_not_voting_is_what_the_seats_leave_when_not_recorded():
    assert VoteFactory(yes=93, no=18, abstain=65).not_voting_count == 17
    assert VoteFactory(not_voting=17).not_voting_count == 17


@pytest.mark.django_db
def test_bar_segments_are_proportional_to_the_seats():
    segments = bar_segments(VoteFactory(), width=193)
    assert [(s.key, s.count, s.width) for s in segments] == [
        ("yes", 93, 93),
        ("no", 18, 18),
        ("abstain", 65, 65),
        ("absent", 17, 17),
    ]
    assert segments[-1].x + segments[-1].width == pytest.approx(193)


@pytest.mark.django_db
def test_chart_states_the_outcome_in_words_and_counts():
    html = render_chart(VoteFactory())
    assert "Adopted, 93-18-65" in html
    for label, count in [("Yes", 93), ("No", 18), ("Abstain", 65), ("Not voting", 17)]:
        assert f"{label} <strong>{count}</strong>" in html


@pytest.mark.django_db
def test_chart_has_a_text_alternative():
    html = render_chart(VoteFactory())
    svg = re.search(r'<svg class="vote-bar"[^>]*>', html).group(0)
    assert 'role="img"' in svg
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for element_id in labelled_by:
        assert f'id="{element_id}"' in html
    assert "93 yes, 18 no, 65 abstain, 17 not voting of 193 seats" in html


@pytest.mark.django_db
def test_chart_draws_the_majority_line_where_the_yes_needed_fall():
    html = render_chart(VoteFactory())
    x = 400 * 19 / 193
    assert f'class="needed-line" x1="{round(x, 2)}"' in html
    assert "19 yes needed" in html


@pytest.mark.django_db
def test_chart_without_positions_draws_no_seats():
    assert 'class="vote-seats' not in render_chart(VoteFactory())


@pytest.mark.django_db
def test_seat_chart_draws_every_assembly_seat_coloured_by_position():
    vote = with_positions(
        VoteFactory(not_voting=17),
        [("yes", 93), ("no", 18), ("abstain", 65), ("absent", 17)],
    )
    html = render_chart(vote)
    assert html.count('class="seat seat-yes"') == 93
    assert html.count('class="seat seat-no"') == 18
    assert html.count('class="seat seat-abstain"') == 65
    assert html.count('class="seat seat-absent"') == 17


@pytest.mark.django_db
def test_seat_chart_draws_the_council_and_fills_unrecorded_seats():
    vote = with_positions(VoteFactory(council=True), [("yes", 10), ("abstain", 3)])
    html = render_chart(vote)
    assert html.count('class="seat seat-') == 15
    assert html.count('class="seat seat-unknown"') == 2


@pytest.mark.django_db
def test_members_table_lists_who_voted_how():
    vote = VoteFactory(council=True, yes=10, no=0, abstain=5, not_voting=0)
    VotePositionFactory(vote=vote, member_code="FRA", member_name="France")
    VotePositionFactory(
        vote=vote, member_code="GBR", member_name="United Kingdom", position="abstain"
    )
    html = render_chart(vote)
    table = re.search(r"<table>.*</table>", html, re.S).group(0)
    assert re.search(r"<th scope=\"row\">Yes</th><td>1</td><td>.*France", table)
    assert re.search(r"Abstain</th><td>1</td><td>.*United Kingdom", table)


@pytest.mark.django_db
def test_bar_is_not_read_by_colour_alone():
    vote = VoteFactory()
    html = render_chart(vote)
    assert f'fill="url(#vote-{vote.pk}-hatch)"' in html
    assert f'fill="url(#vote-{vote.pk}-dots)"' in html
    legend = re.search(r'<ul class="vote-legend">.*?</ul>', html, re.S).group(0)
    for label in ("Yes", "No", "Abstain", "Not voting"):
        assert label in legend


@pytest.mark.django_db
def test_no_seats_are_drawn_as_squares():
    vote = with_positions(
        VoteFactory(council=True, yes=9, no=1, abstain=5, outcome="adopted"),
        [("yes", 9), ("no", 1), ("abstain", 5)],
    )
    html = render_chart(vote)
    assert html.count('<rect class="seat seat-no"') == 1
    assert html.count('<circle class="seat seat-') == 14


@pytest.mark.parametrize("seats", [5, 15, 193])
def test_seat_positions_give_each_seat_its_own_place(seats):
    places = seat_positions(seats)
    assert len(places) == seats
    assert len(set(places)) == seats


@pytest.mark.django_db
def test_seat_chart_groups_members_left_to_right_yes_first():
    vote = with_positions(VoteFactory(council=True), [("no", 1), ("yes", 10)])
    seats = seat_chart(vote, list(vote.positions.all()))
    keys = [seat.key for seat in seats]
    assert keys[:10] == ["yes"] * 10
    assert keys[-1] == "no"


@pytest.mark.django_db
def test_a_body_without_seats_gets_a_tally_chart_scaled_to_its_counts():
    from briefs.models import Body

    meeting = Body.objects.create(
        name="Shareholders of Halden Foods", slug="halden", kind="shareholders"
    )
    html = render_chart(
        VoteFactory(body=meeting, yes=412_880_115, no=198_402_377, abstain=6_110_250)
    )
    assert "Adopted, 412,880,115-198,402,377-6,110,250" in html
    assert "Yes <strong>412,880,115</strong>" in html
    assert 'class="needed-line"' not in html
    assert "the rule that decided it is not recorded" in html
    assert "seats" not in re.search(r"<desc[^>]*>(.*?)</desc>", html).group(1)


@pytest.mark.django_db
def test_a_three_fifths_rule_draws_its_threshold_line():
    from briefs.models import Body

    senate = Body.objects.create(
        name="State Senate", slug="senate", seats=100, share="three_fifths"
    )
    html = render_chart(
        VoteFactory(body=senate, yes=57, no=43, abstain=0, outcome="rejected")
    )
    assert "65 yes needed" in html
    assert f'class="needed-line" x1="{round(400 * 65 / 100, 2)}"' in html
    assert "three fifths of votes cast" in html


@pytest.mark.django_db
def test_a_seat_chart_is_drawn_from_positions_when_seats_are_unknown():
    from briefs.models import Body

    court = Body.objects.create(name="Supreme Court", slug="court", kind="court")
    vote = with_positions(
        VoteFactory(body=court, yes=6, no=3, abstain=0), [("yes", 6), ("no", 3)]
    )
    html = render_chart(vote)
    assert html.count('class="seat seat-yes"') == 6
    assert "9 seats" in html


@pytest.mark.django_db
def test_a_court_ruling_reads_as_a_ruling():
    from briefs.models import Body

    court = Body.objects.create(name="Supreme Court", slug="court", kind="court")
    html = render_chart(VoteFactory(body=court, yes=6, no=3, abstain=0))
    assert "Ruled, 6-3-0" in html

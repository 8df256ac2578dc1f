"""The tally grammar (briefs/tally.py): sentences built from its parts, a corpus
across kinds of body, and look-alikes that never yield a vote."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.tally import Tally, Unread, decided, read_tally

CORPUS = Path(__file__).parent / "fixtures" / "votes" / "corpus.txt"

WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve "
    "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
).split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def corpus():
    for number, line in enumerate(CORPUS.read_text().splitlines(), start=1):
        if line.startswith("#") or not line.strip():
            continue
        sentence, expected = line.split(" => ")
        yield pytest.param(sentence, expected, id=f"line-{number}")


def reading(sentence):
    """Return what was read, written as the corpus writes it."""
    tally = read_tally(sentence)
    if isinstance(tally, Unread):
        return "unread"
    if tally is None:
        return "none"
    counts = f"{tally.yes}-{tally.no}-{tally.abstain}"
    if tally.not_voting is not None:
        counts += f"-{tally.not_voting}"
    return f"{counts} {tally.outcome or '-'}"


def test_the_corpus_has_at_least_a_hundred_sentences():
    assert len(list(corpus())) >= 100


@pytest.mark.parametrize(("sentence", "expected"), corpus())
def test_each_corpus_sentence_is_read_as_written(sentence, expected):
    assert reading(sentence) == expected


def spelled(number):
    """Write 0..100 in words, as newsrooms do."""
    if number <= 20:
        return WORDS[number]
    if number == 100:
        return "a hundred"
    tens, units = divmod(number, 10)
    word = TENS[tens - 2]
    return f"{word}-{WORDS[units]}" if units else word


def digits(number):
    return f"{number:,}"


counts = st.integers(min_value=0, max_value=5_000_000_000)
small = st.integers(min_value=0, max_value=100)
BODIES = [
    "The General Assembly",
    "The city council",
    "The Senate",
    "Shareholders",
    "The union's members",
    "The board",
    "The Finance Committee",
    "MPs",
    "The Bundestag",
]
ADOPT = [
    "passed the bill",
    "adopted the text",
    "approved the budget",
    "backed the plan",
]
REJECT = ["rejected the bill", "defeated the motion", "voted down the plan"]
SEPARATORS = ["-", "–", "—", " to ", " votes to "]


@st.composite
def number_text(draw, *, value=None):
    value = draw(small) if value is None else value
    if value <= 100 and draw(st.booleans()):
        return value, spelled(value)
    return value, digits(value)


@settings(max_examples=150, deadline=None)
@given(
    body=st.sampled_from(BODIES),
    verb=st.sampled_from(ADOPT),
    yes=counts,
    no=counts,
    separator=st.sampled_from(SEPARATORS),
    lead=st.sampled_from(["", "by ", "by a vote of ", "by a recorded vote of "]),
)
def test_a_bare_tally_after_an_adoption_reads_for_then_against(
    body, verb, yes, no, separator, lead
):
    yes, no = max(yes, no) + 1, min(yes, no)
    sentence = f"{body} {verb} {lead}{digits(yes)}{separator}{digits(no)}."

    tally = read_tally(sentence)

    assert isinstance(tally, Tally), sentence
    assert (tally.yes, tally.no, tally.outcome) == (yes, no, "adopted")


@settings(max_examples=150, deadline=None)
@given(
    body=st.sampled_from(BODIES),
    verb=st.sampled_from(REJECT),
    larger=counts,
    smaller=counts,
    separator=st.sampled_from(SEPARATORS),
)
def test_rejected_by_the_larger_number_counts_it_against(
    body, verb, larger, smaller, separator
):
    larger, smaller = max(larger, smaller) + 1, min(larger, smaller)
    sentence = f"{body} {verb} by {digits(larger)}{separator}{digits(smaller)}."

    tally = read_tally(sentence)

    assert (tally.yes, tally.no, tally.outcome) == (smaller, larger, "rejected")


@settings(max_examples=200, deadline=None)
@given(
    body=st.sampled_from(BODIES),
    verb=st.sampled_from(ADOPT + REJECT),
    yes=number_text(),
    no=number_text(),
    abstain=st.one_of(st.none(), number_text()),
    not_voting=st.one_of(st.none(), number_text()),
    for_label=st.sampled_from(["for", "in favour", "in favor", "votes for"]),
    against_label=st.sampled_from(["against", "votes against", "opposed"]),
    abstain_label=st.sampled_from(["abstentions", "abstaining", "withheld"]),
    not_voting_label=st.sampled_from(
        ["not voting", "members absent", "did not vote", "members not voting"]
    ),
)
def test_each_labelled_count_comes_back_under_its_own_label(
    body,
    verb,
    yes,
    no,
    abstain,
    not_voting,
    for_label,
    against_label,
    abstain_label,
    not_voting_label,
):
    parts = [f"{yes[1]} {for_label}", f"{no[1]} {against_label}"]
    if abstain is not None:
        parts.append(f"{abstain[1]} {abstain_label}")
    if not_voting is not None:
        parts.append(f"{not_voting[1]} {not_voting_label}")
    sentence = f"{body} {verb} with {', '.join(parts[:-1])} and {parts[-1]}."

    tally = read_tally(sentence)

    assert isinstance(tally, Tally), (sentence, tally)
    assert (tally.yes, tally.no) == (yes[0], no[0])
    assert tally.abstain == (abstain[0] if abstain else 0)
    assert tally.not_voting == (not_voting[0] if not_voting else None)


@settings(max_examples=150, deadline=None)
@given(
    body=st.sampled_from(BODIES),
    yes=number_text(),
    no=number_text(),
    abstain=number_text(),
    separator=st.sampled_from(["-", "–", "—"]),
)
def test_a_clause_of_abstentions_is_its_own_count_never_a_copy(
    body, yes, no, abstain, separator
):
    sentence = (
        f"{body} passed the text {yes[0] + no[0] + 1}{separator}{no[0]}, "
        f"with {abstain[1]} abstentions."
    )

    tally = read_tally(sentence)

    assert (tally.yes, tally.no, tally.abstain) == (
        yes[0] + no[0] + 1,
        no[0],
        abstain[0],
    )


@settings(max_examples=100, deadline=None)
@given(
    body=st.sampled_from(BODIES),
    yes=st.integers(min_value=1, max_value=100),
    no=st.integers(min_value=0, max_value=100),
    to_verb=st.sampled_from(["reject", "block", "oppose"]),
)
def test_voting_to_reject_counts_the_first_number_against(body, yes, no, to_verb):
    first, second = max(yes, no) + 1, min(yes, no)
    written = spelled(first) if first <= 100 else str(first)
    sentence = f"{body} voted {written} to {second} to {to_verb} the plan."

    tally = read_tally(sentence)

    assert (tally.yes, tally.no, tally.outcome) == (second, first, "rejected")


@settings(max_examples=150, deadline=None)
@given(
    body=st.sampled_from(BODIES),
    low=st.integers(min_value=1, max_value=40),
    high=st.integers(min_value=41, max_value=99),
    frame=st.sampled_from(
        [
            "Children aged {low}-{high} may join, after {body} approved the scheme.",
            "{body} approved a {high}-{low} split of the money.",
            "{body} approved the plan for pupils {low}-{high}.",
            "{body} voted on the 20{low:02d}-{high} budget.",
            "A poll found {body} backed {high}-{low} by voters.",
            "{body} approved a rise of {low}-{high}% for staff.",
            "{body} approved the {low}-member panel and the {high}-year lease.",
            "{body} adopted the plan at {low}:{high:02d} on Monday.",
            "{body} passed the bill in the {high}th session, {low} days late.",
            "The team won {high}-{low} before {body} passed the bill.",
        ]
    ),
)
def test_look_alikes_never_yield_a_vote(body, low, high, frame):
    sentence = frame.format(body=body, low=low, high=high)

    assert not isinstance(read_tally(sentence), Tally), sentence


@given(
    body=st.sampled_from(BODIES),
    yes=st.integers(min_value=5, max_value=500),
    stray=st.integers(min_value=1, max_value=99),
)
@settings(max_examples=100, deadline=None)
def test_a_count_with_no_label_makes_the_sentence_unread_not_a_zero(body, yes, stray):
    sentence = f"{body} passed the bill {yes}-{yes - 1}, with {stray} members."

    assert isinstance(read_tally(sentence), Unread)


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        ("The city council approved the budget 7-2.", "the budget"),
        ("The bill passed 68-32.", "The bill"),
        (
            "The Security Council adopted resolution 2728 by 14 votes to 0.",
            "resolution 2728",
        ),
        ("The council voted eight to one to approve the plan.", "the plan"),
        ("MPs rejected the deal by 432 votes to 202.", "the deal"),
    ],
)
def test_the_title_is_what_was_decided(sentence, title):
    assert decided(sentence) == title


@pytest.mark.parametrize(
    "sentence",
    [
        "The council approved the five-member commission.",
        "The measure passed with a two-thirds majority.",
        "The 15-member council met in 2024.",
    ],
)
def test_compound_words_holding_a_number_are_not_counts(sentence):
    assert read_tally(sentence) is None

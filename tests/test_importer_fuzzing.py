"""The importer under hypothesis: whatever it is given, it returns a brief or
raises BriefFormatError with a line number, never anything else.

Three kinds of input: any text, any bytes (what `import_brief` and the admin's
upload read), and almost-valid briefs (a title, a summary, headed sections of
bullets with vote sentences) with a few lines damaged, so that the search gets
past the first line into the sections and the votes. Saving is fuzzed too:
`brief_import` parses and writes the brief, and may only fail the same way.
"""

import string

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefs.importer import BriefFormatError, ParsedBrief, parse_brief
from briefs.models import Bullet, Section
from briefs.services import brief_import

pytestmark = pytest.mark.slow

FAST = settings(max_examples=200, deadline=None, database=None, derandomize=True)
# Almost-valid briefs take longer to make: fewer of them.
STRUCTURED = settings(FAST, max_examples=120)
# Each example saves a brief: fewer of them, and the `db` fixture is shared.
SAVING = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

WORDS = (
    "the council assembly general security members vote votes voted passed "
    "adopted rejected vetoed failed carried in favour for against abstentions "
    "abstaining reportedly allegedly according to sources said resolution text "
    "amendment ceasefire by to with and of on a an France Russia 2025 March"
).split()
# Any character a line of copy may hold: accents, scripts, emoji, odd spaces.
EXOTIC = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
    min_size=1,
    max_size=8,
)
BULLET_MARKS = ("- ", "* ", "• ", "-\t")


def words(min_size=1, max_size=12):
    word = st.sampled_from(WORDS) | st.text(
        alphabet=string.ascii_letters, min_size=1, max_size=10
    )
    return st.lists(word, min_size=min_size, max_size=max_size).map(" ".join)


@st.composite
def vote_sentences(draw):
    """Return a bullet reporting a vote, in one of the wordings newsrooms use."""
    yes, no, abstain = (draw(st.integers(0, 250)) for _ in range(3))
    body = draw(
        st.sampled_from(
            ["General Assembly", "Security Council", "Human Rights Council", ""]
        )
    )
    verb = draw(st.sampled_from(["passed", "adopted", "was rejected", "was vetoed"]))
    counts = draw(
        st.sampled_from(
            [
                f"with {yes} votes for, {no} against, and {abstain} abstentions",
                f"by {yes} votes to {no}, with {abstain} abstaining",
                f"{yes}-{no}-{abstain}",
                f"with {yes} in favour and {no} against",
            ]
        )
    )
    symbol = draw(st.sampled_from(["", " (A/ES-11/L.10)", " S/RES/2774 (2025)"]))
    date = draw(st.sampled_from(["", " on 24 February 2025", " on February 31, 2025"]))
    return f"The {body} text{symbol} {verb} {counts}{date}."


def line_text(min_size=1):
    """Return text for a line that is neither a bullet nor a Markdown heading."""
    return words(min_size) | st.tuples(words(), EXOTIC).map(" ".join)


@st.composite
def almost_valid_briefs(draw):
    """Return (document, bullets per section) for a brief in the format.

    The bullet counts are None when the document is not a valid brief: a
    section made without bullets, no section at all, or lines damaged.
    """
    lines = [draw(st.sampled_from(["", "# "])) + draw(line_text())]
    lines += draw(st.lists(line_text(), min_size=0, max_size=3))
    counts = []
    for _ in range(draw(st.sampled_from([1, 2, 3, 4, 1, 2, 0]))):
        if draw(st.booleans()):
            lines.append("")
        lines.append(draw(st.sampled_from(["", "## "])) + draw(line_text()))
        bullets = draw(st.lists(vote_sentences() | line_text(), min_size=0, max_size=4))
        for bullet in bullets:
            lines.append(draw(st.sampled_from(BULLET_MARKS)) + bullet)
        if bullets and draw(st.booleans()):
            lines.append(draw(words()))  # continues the last bullet
        counts.append(len(bullets))
    damaged = draw(st.sampled_from([False, False, True]))
    damage = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["drop", "repeat", "insert", "empty bullet"]),
                st.integers(0, 40),
                st.text(max_size=20),
            ),
            min_size=int(damaged),
            max_size=3 * damaged,
        )
    )
    for kind, index, junk in damage:
        index = min(index, len(lines) - 1)
        if kind == "drop" and len(lines) > 1:
            del lines[index]
        elif kind == "repeat":
            lines.insert(index, lines[index])
        elif kind == "insert":
            lines.insert(index, junk)
        elif kind == "empty bullet":
            lines.insert(index, "-")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    valid = counts and all(counts) and not damage
    return newline.join(lines), counts if valid else None


def encoded(document, encoding):
    if encoding == "str":
        return document
    return document.encode(encoding, errors="replace")


def lines_in(source):
    if isinstance(source, bytes):
        return source.count(b"\n") + source.count(b"\r") + 1
    return source.count("\n") + source.count("\r") + 1


def outcome(source, run):
    """Return `run(source)`, or None if it raised BriefFormatError on a real line."""
    try:
        return run(source)
    except BriefFormatError as error:
        assert isinstance(error.line, int)
        assert 1 <= error.line <= lines_in(source), (error.line, str(error))
        assert error.reason
        return None


def check_parsed(source):
    """Parse `source`: a well-formed ParsedBrief, or None after a format error."""
    parsed = outcome(source, parse_brief)
    if parsed is None:
        return None
    assert isinstance(parsed, ParsedBrief)
    assert parsed.title and len(parsed.title) <= 200
    assert parsed.sections
    for section in parsed.sections:
        assert section.heading and len(section.heading) <= 200
        assert section.bullets and all(b.text for b in section.bullets)
    return parsed


@given(st.text())
@example("Title\x00\nA summary.\nHeading\n- a bullet")
@FAST
def test_any_text_gives_a_brief_or_a_format_error_with_a_line(text):
    check_parsed(text)


@given(st.binary())
@example(b"\xef\xbb\xbfTitle\nSummary\nHeading\n- bullet \xff")
@example("Title\nSummary\nHeading\n- bullet".encode("utf-16"))
@FAST
def test_any_bytes_give_a_brief_or_a_format_error_with_a_line(data):
    check_parsed(data)


@given(
    almost_valid_briefs(),
    st.sampled_from(["str", "utf-8", "utf-8-sig", "utf-16", "latin-1"]),
)
@STRUCTURED
def test_almost_valid_briefs_give_a_brief_or_a_format_error_with_a_line(
    brief, encoding
):
    document, _ = brief
    check_parsed(encoded(document, encoding))


@given(almost_valid_briefs())
@STRUCTURED
def test_intact_briefs_parse_whole_with_every_bullet(brief):
    document, bullets_per_section = brief
    parsed = check_parsed(document)
    if bullets_per_section is not None:
        assert parsed is not None, document
        assert [len(s.bullets) for s in parsed.sections] == bullets_per_section


@pytest.mark.django_db
@given(
    almost_valid_briefs(),
    st.sampled_from(["str", "utf-8", "utf-8-sig", "latin-1"]),
)
@example(("Title\nA summary.\nHeading\n- a bullet with \x00 in it", True), "str")
@SAVING
def test_saving_gives_a_brief_with_all_its_bullets_or_a_format_error(brief, encoding):
    document, _ = brief
    source = encoded(document, encoding)
    with transaction.atomic():
        saved = outcome(source, lambda s: brief_import(text=s))
        if saved is not None:
            expected = parse_brief(source)
            assert Section.objects.filter(brief=saved).count() == len(expected.sections)
            assert Bullet.objects.filter(section__brief=saved).count() == sum(
                len(s.bullets) for s in expected.sections
            )
            assert saved.votes.count() == len(expected.votes)
        transaction.set_rollback(True)

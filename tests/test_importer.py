import datetime
from pathlib import Path

import pytest

from briefs.importer import BriefFormatError, find_counts, find_vote, parse_brief
from briefs.models import Brief, Vote
from briefs.services import brief_import

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"


def parse_fixture(name):
    return parse_brief((FIXTURES / name).read_bytes(), name)


def test_parses_a_brief_shaped_like_the_example():
    parsed = parse_fixture("assembly-split.txt")
    assert parsed.title.startswith("Washington votes with Moscow")
    assert parsed.summary.startswith("The United States has changed course")
    assert [len(s.bullets) for s in parsed.sections] == [3, 2, 2, 2, 2, 2]
    assert parsed.sections[0].heading == "A rare alignment at the UN"


def test_finds_the_assembly_vote_in_the_example_shape():
    [vote] = parse_fixture("assembly-split.txt").votes
    assert (vote.body_name, vote.yes, vote.no, vote.abstain, vote.outcome) == (
        "General Assembly",
        93,
        18,
        65,
        "adopted",
    )
    assert vote.line == 17


def test_handles_crlf_bom_blank_lines_trailing_spaces_and_markdown_headings():
    parsed = parse_fixture("crlf-bom.txt")
    assert parsed.title == "Council split over aid corridor"
    assert parsed.summary == (
        "Members argued for hours over a plan to open an aid corridor. The plan failed."
    )
    assert [s.heading for s in parsed.sections] == ["The vote", "Reactions"]
    assert parsed.sections[1].bullets[0].text == (
        "Sponsors said they would try again next month."
    )


def test_summary_paragraphs_are_kept_apart():
    parsed = parse_brief("Title\nFirst paragraph.\n\nSecond paragraph.\nHeading\n- a")
    assert parsed.summary == "First paragraph.\n\nSecond paragraph."


def test_a_line_right_below_a_bullet_continues_it():
    parsed = parse_brief(
        "Title\nSummary.\nHeading\n- first half\nsecond half\nNext\n- b"
    )
    assert [b.text for b in parsed.sections[0].bullets] == ["first half second half"]
    assert parsed.sections[1].heading == "Next"


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("passed with 93 votes for, 18 against, and 65 abstentions", (93, 18, 65)),
        ("adopted by 120 votes to 3, with 10 abstentions", (120, 3, 10)),
        ("passed 93-18-65", (93, 18, 65)),
        ("was adopted 14–0–1", (14, 0, 1)),
        ("rejected with 40 in favour and 52 against", (40, 52, 0)),
        ("approved by 153 in favor to 10 against, with 23 abstaining", (153, 10, 23)),
        ("The ministers met on 24 February 2025 in Geneva.", None),
        ("Resolution A/ES-11/L.10 was tabled.", None),
    ],
)
def test_vote_wordings(text, counts):
    assert find_counts(text) == counts


def test_vote_body_outcome_symbol_and_date_come_from_the_sentence():
    vote, warning = find_vote(
        "On 25 March 2024 the Security Council adopted S/RES/2728 (2024) "
        "by 14 votes to 0, with 1 abstention.",
        7,
        "Heading",
        "",
    )
    assert warning is None
    assert vote.body_name == "Security Council"
    assert vote.outcome == "adopted"
    assert vote.symbol == "S/RES/2728 (2024)"
    assert vote.date == datetime.date(2024, 3, 25)


def test_vote_body_comes_from_the_heading_when_the_sentence_has_none():
    vote, _ = find_vote("The draft failed 7-2-6.", 3, "Security Council vote", "")
    assert vote.body_name == "Security Council"
    assert vote.outcome == "rejected"


def test_a_vote_in_a_body_not_yet_recorded_is_still_a_vote():
    vote, warning = find_vote(
        "The bill passed 220-212 in the House.", 9, "Congress", ""
    )
    assert warning is None
    assert (vote.body_name, vote.yes, vote.no, vote.outcome) == (
        "Congress",
        220,
        212,
        "adopted",
    )


@pytest.mark.parametrize(
    ("text", "attribution"),
    [
        ("Allegedly, the delegation walked out.", "alleged"),
        ("The minister is accused of misleading parliament.", "alleged"),
        ("He has reportedly met the envoy twice.", "reported"),
        ("According to diplomats, the text was softened.", "reported"),
        ("The text was adopted on Monday.", "fact"),
    ],
)
def test_wording_sets_the_attribution(text, attribution):
    parsed = parse_brief(f"Title\nSummary.\nHeading\n- {text}")
    assert parsed.sections[0].bullets[0].attribution == attribution


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"", 1, "empty"),
        (b"\n\n   \n", 1, "empty"),
        (b"Only a title\n", 1, "no sections"),
        (b"Title\nSummary line.\n", 2, "no sections"),
        (b"Title\n- stray\nHeading\n- ok\n", 2, "before any heading"),
        (b"- A bullet as title\n", 1, "must be the title"),
        (b"Title\nSummary.\nHeading\n- ok\n\nLoose text\nMore text\n", 6, "neither"),
        (b"Title\nSummary.\n## Empty heading\n## Next\n- ok\n", 3, "no bullet points"),
        (b"Title\nSummary.\nHeading\n- ok\n-\n", 5, "empty bullet"),
        (b"Title\nSummary\n\xff\xfe bad\n", 3, "not UTF-8"),
        # A right-to-left override (U+202E) makes "gnp.exe" read "exe.png".
        (b"Title\nSummary.\nHeading\n- Pay \xe2\x80\xaegnp.exe\n", 4, "U+202E"),
        (b"Title \xe2\x81\xa6isolated\nSummary.\nHeading\n- ok\n", 1, "U+2066"),
        (b"Title\nSum\x00mary.\nHeading\n- ok\n", 2, "U+0000"),
        (b"Title\nSummary.\nHead\x0bing\n- ok\n", 3, "U+000B"),
    ],
)
def test_malformed_files_name_the_line_and_reason(content, line, reason):
    with pytest.raises(BriefFormatError) as caught:
        parse_brief(content, "bad.txt")
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"bad.txt:{line}: ")


@pytest.mark.django_db
def test_import_saves_a_structured_draft():
    brief = brief_import(text=(FIXTURES / "assembly-split.txt").read_bytes())
    assert brief.status == Brief.Status.DRAFT
    sections = list(brief.sections.all())
    assert [s.bullets.count() for s in sections] == [3, 2, 2, 2, 2, 2]
    assert [s.position for s in sections] == [1, 2, 3, 4, 5, 6]
    [vote] = brief.votes.all()
    assert (vote.body.slug, vote.yes, vote.no, vote.abstain, vote.outcome) == (
        "un-general-assembly",
        93,
        18,
        65,
        "adopted",
    )


@pytest.mark.django_db
def test_import_infers_the_outcome_when_the_sentence_gives_none():
    brief = brief_import(
        text="Title\nSummary.\nIn the General Assembly\n- The tally was 100-20-5 votes."
    )
    assert brief.votes.get().outcome == "adopted"


@pytest.mark.django_db
def test_import_refuses_a_vote_that_breaks_the_body_rules_naming_the_line():
    text = "Title\nSummary.\nSecurity Council\n- The draft passed 12-3-1 in a vote."
    with pytest.raises(BriefFormatError) as caught:
        brief_import(text=text, filename="council.txt")
    assert caught.value.line == 4
    assert "15 seats" in caught.value.reason
    assert not Brief.objects.exists()
    assert not Vote.objects.exists()


RLM, LRM = "\u200f", "\u200e"  # direction marks: invisible, so written as escapes


@pytest.mark.django_db
def test_import_keeps_right_to_left_text_and_its_direction_marks(client):
    # Arabic and Hebrew need no control characters; a right-to-left mark
    # beside punctuation is a mark, not an override, and is kept.
    text = (
        f"المجلس يصوت على القرار{RLM}!\n\n"
        "The Security Council met on the mission; members' names are given as "
        "they wrote them.\n\n"
        "Voices\n"
        "- המועצה הצביעה (the council voted).\n"
        f"- Delegates met {RLM}again{LRM} on Friday.\n"
    )

    brief = brief_import(text=text, filename="rtl.txt", publish=True)

    assert brief.title == f"المجلس يصوت على القرار{RLM}!"
    bullets = [b.text for b in brief.sections.get().bullets.all()]
    assert bullets == [
        "המועצה הצביעה (the council voted).",
        f"Delegates met {RLM}again{LRM} on Friday.",
    ]
    page = client.get(brief.get_absolute_url()).content.decode()
    assert brief.title in page and bullets[0] in page


def test_stray_form_feeds_at_the_ends_of_lines_are_not_refused():
    # Text pasted from a PDF: page breaks around lines go with the whitespace.
    parsed = parse_brief("Title\x0c\nSummary.\nHeading\n\x0c- ok\n", "pdf.txt")

    assert parsed.title == "Title"


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x0c", "\x7f"])
def test_a_control_character_is_refused_with_its_line_and_column(character):
    text = f"Title\nA summary.\nHeading\n- a bul{character}let"

    with pytest.raises(BriefFormatError) as caught:
        parse_brief(text)

    assert caught.value.line == 4
    assert f"U+{ord(character):04X}" in caught.value.reason
    assert "at character 8" in caught.value.reason


def test_tabs_and_unicode_spaces_are_not_control_characters():
    parsed = parse_brief("Title\nA\tsummary.\nHeading\n- a\u00a0bullet\u2028here")

    assert parsed.summary == "A\tsummary."

"""Parse plain-text briefs into structured data.

The format, as editors receive it:

- the first non-empty line is the title (a leading ``#`` is allowed);
- the lines up to the first heading are the summary;
- a heading is a line that is not a bullet point and is followed by bullet
  points, or any line written as ``## Heading``;
- bullet points start with ``- ``, ``* `` or ``• ``; a line of text right
  below a bullet point continues it.

`parse_brief` touches no database: it returns a `ParsedBrief` or raises
`BriefFormatError` naming the line and the reason. Saving is
`briefs.services.brief_import`.
"""

import datetime
import re
from dataclasses import dataclass, field

from .models.briefs import (
    MAX_BULLETS_PER_BRIEF,
    MAX_SECTIONS_PER_BRIEF,
    Attribution,
    content_size_errors,
)
from .models.votes import Outcome
from .validators import find_control_character

BULLET_RE = re.compile(r"^[-*•]\s+(?P<text>.*)$")
EMPTY_BULLET_RE = re.compile(r"^[-*•]$")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(?P<text>.+)$")

# Control characters have no place in copy, break XML feeds and, for NUL,
# cannot be stored by PostgreSQL. Tabs are fine.

TITLE_MAX_LENGTH = 200
HEADING_MAX_LENGTH = 200

# Phrases naming a deciding body, and the slug of the Body they stand for.
BODY_NAMES = (
    (re.compile(r"\bsecurity\s+council\b", re.I), "un-security-council"),
    (re.compile(r"\bgeneral\s+assembly\b", re.I), "un-general-assembly"),
)

N = r"(\d{1,3})"
DASH = r"\s*[-–—]\s*"
YES_RE = re.compile(rf"\b{N}\s+(?:votes?\s+)?(?:for|in\s+favou?r)\b", re.I)
NO_RE = re.compile(rf"\b{N}\s+(?:votes?\s+)?against\b", re.I)
ABSTAIN_RE = re.compile(
    rf"\b{N}\s+(?:\w+\s+)?(?:abstentions?|abstaining|abstained)\b", re.I
)
VOTES_TO_RE = re.compile(rf"\b{N}\s+votes?\s+to\s+{N}\b", re.I)
TALLY_RE = re.compile(rf"(?<![\w/.-]){N}{DASH}{N}(?:{DASH}{N})?(?![\w/-])")
VOTE_WORDS_RE = re.compile(
    r"\b(votes?|voted|voting|passed|adopted|approved|carried|rejected|defeated|"
    r"failed|vetoed)\b",
    re.I,
)
OUTCOME_WORDS = (
    (re.compile(r"\bveto(ed)?\b", re.I), Outcome.VETOED),
    (
        re.compile(r"\b(rejected|defeated|failed|voted\s+down)\b", re.I),
        Outcome.REJECTED,
    ),
    (re.compile(r"\b(passed|adopted|approved|carried)\b", re.I), Outcome.ADOPTED),
)
SYMBOL_RE = re.compile(
    r"\b([AS]/(?:[A-Z0-9]+(?:[-.][A-Z0-9]+)*/)*[A-Z0-9]+(?:[-.][A-Z0-9]+)*"
    r"(?:\s*\(\d{4}\))?)"
)
MONTHS = (
    "january february march april may june july august september october "
    "november december"
).split()
MONTH = r"(" + "|".join(MONTHS) + r")"
DAY_MONTH_YEAR_RE = re.compile(rf"\b(\d{{1,2}})\s+{MONTH}\s+(\d{{4}})\b", re.I)
MONTH_DAY_YEAR_RE = re.compile(rf"\b{MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)

ALLEGED_RE = re.compile(
    r"\b(alleged(ly)?|allegations?|purported(ly)?|accused\s+of|is\s+said\s+to|"
    r"are\s+said\s+to|claims?\s+that|claimed\s+that)\b",
    re.I,
)
REPORTED_RE = re.compile(
    r"\b(reportedly|according\s+to|reports?\s+(say|said|suggest|suggested)|"
    r"(is|are|was|were)\s+reported|sources\s+(say|said))\b",
    re.I,
)


class BriefFormatError(ValueError):
    """A plain-text brief that does not follow the format."""

    def __init__(self, filename, line, reason):
        self.filename = filename
        self.line = line
        self.reason = reason
        super().__init__(f"{filename}:{line}: {reason}")


@dataclass
class ParsedVote:
    body_slug: str
    yes: int
    no: int
    abstain: int
    outcome: str | None
    title: str
    symbol: str = ""
    date: datetime.date | None = None
    line: int = 0


@dataclass
class ParsedBullet:
    text: str
    line: int
    attribution: str = Attribution.FACT
    vote: ParsedVote | None = None


@dataclass
class ParsedSection:
    heading: str
    line: int
    bullets: list[ParsedBullet] = field(default_factory=list)


@dataclass
class ParsedBrief:
    filename: str
    title: str
    summary: str
    sections: list[ParsedSection]
    warnings: list[str] = field(default_factory=list)

    @property
    def votes(self):
        return [b.vote for s in self.sections for b in s.bullets if b.vote]


class BriefTooLargeError(ValueError):
    """A file larger than the importer accepts; it was not read whole."""

    def __init__(self, filename, limit, size=None):
        self.filename, self.limit, self.size = filename, limit, size
        has = f"{size:,} bytes" if size is not None else "larger than that"
        super().__init__(
            f"{filename}: the file is {has}; a brief may be at most {limit:,} bytes"
        )


def read_limited(stream, limit, filename, size=None):
    """Return the bytes of `stream`, or raise BriefTooLargeError past `limit`.

    `size`, when known (an upload's or os.stat's), refuses the file unread;
    otherwise no more than `limit` + 1 bytes are read to find out.
    """
    if size is not None and size > limit:
        raise BriefTooLargeError(filename, limit, size)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise BriefTooLargeError(filename, limit)
    return data


def decode(data, filename):
    """Return the text of `data`, read as UTF-8 (with or without a BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BriefFormatError(
            filename,
            line,
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
        ) from None


def attribution_for(text):
    """Return the attribution a bullet's own wording gives its claim."""
    if ALLEGED_RE.search(text):
        return Attribution.ALLEGED
    if REPORTED_RE.search(text):
        return Attribution.REPORTED
    return Attribution.FACT


def find_date(text):
    match = DAY_MONTH_YEAR_RE.search(text)
    if match:
        day, month, year = match.groups()
    else:
        match = MONTH_DAY_YEAR_RE.search(text)
        if not match:
            return None
        month, day, year = match.groups()
    try:
        return datetime.date(int(year), MONTHS.index(month.lower()) + 1, int(day))
    except ValueError:
        return None


def find_counts(text):
    """Return (yes, no, abstain) from a vote sentence, or None if there is none."""
    if not VOTE_WORDS_RE.search(text) and not YES_RE.search(text):
        return None
    abstain_match = ABSTAIN_RE.search(text)
    abstain = int(abstain_match.group(1)) if abstain_match else 0
    yes_match, no_match = YES_RE.search(text), NO_RE.search(text)
    if yes_match and no_match:
        return int(yes_match.group(1)), int(no_match.group(1)), abstain
    votes_to = VOTES_TO_RE.search(text)
    if votes_to:
        return int(votes_to.group(1)), int(votes_to.group(2)), abstain
    tally = TALLY_RE.search(text)
    if tally and VOTE_WORDS_RE.search(text):
        yes, no, third = tally.groups()
        return int(yes), int(no), int(third) if third else abstain
    return None


def find_body(*texts):
    for text in texts:
        for pattern, slug in BODY_NAMES:
            if pattern.search(text):
                return slug
    return None


def vote_title(text, heading):
    """Name the measure from the words before the verb, else the heading."""
    verb = VOTE_WORDS_RE.search(text)
    subject = text[: verb.start()].strip(" ,;:") if verb else ""
    subject = re.sub(r"^(the|a|an)\s+", "", subject, flags=re.I)
    if len(subject) < 8:
        subject = heading
    subject = subject[0].upper() + subject[1:]
    return subject[:300]


def find_vote(text, line, heading, context):
    counts = find_counts(text)
    if counts is None:
        return None, None
    body_slug = find_body(text, heading, context)
    if body_slug is None:
        return None, (
            f"line {line}: reads like a vote ({'-'.join(map(str, counts))}) but names "
            "no body we know (General Assembly, Security Council); no vote recorded"
        )
    outcome = next((o for pattern, o in OUTCOME_WORDS if pattern.search(text)), None)
    symbol = SYMBOL_RE.search(text)
    vote = ParsedVote(
        body_slug=body_slug,
        yes=counts[0],
        no=counts[1],
        abstain=counts[2],
        outcome=outcome,
        title=vote_title(text, heading),
        symbol=symbol.group(1) if symbol else "",
        date=find_date(text) or find_date(context),
        line=line,
    )
    return vote, None


def _classify(raw_lines):
    """Yield (line number, kind, text) for each non-empty line."""
    for number, raw in enumerate(raw_lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if EMPTY_BULLET_RE.match(line):
            yield number, "empty-bullet", ""
        elif match := BULLET_RE.match(line):
            yield number, "bullet", match["text"].strip()
        elif match := MARKDOWN_HEADING_RE.match(line):
            yield number, "heading", match["text"].strip()
        else:
            yield number, "text", line


def parse_brief(source, filename="<text>"):
    """Return the ParsedBrief in `source` (str or bytes) or raise BriefFormatError."""
    text = decode(source, filename) if isinstance(source, bytes) else source
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        # The fields refuse these too; here the editor learns the line. Stray
        # spacing controls at either end (a form feed) go with the strip.
        if message := find_control_character(line.strip()):
            raise BriefFormatError(filename, number, message)
    items = list(_classify(lines))
    if not items:
        raise BriefFormatError(filename, 1, "the file is empty; expected a title")

    def fail(line, reason):
        raise BriefFormatError(filename, line, reason)

    title_line, kind, title = items[0]
    if kind in ("bullet", "empty-bullet"):
        fail(title_line, "the first line must be the title, not a bullet point")
    if len(title) > TITLE_MAX_LENGTH:
        fail(title_line, f"the title is longer than {TITLE_MAX_LENGTH} characters")

    paragraphs = []
    sections = []
    current = None
    last_line = title_line
    last_kind = None
    for index, (number, kind, content) in enumerate(items[1:], start=1):
        following = items[index + 1][1] if index + 1 < len(items) else None
        contiguous = number == last_line + 1
        if kind == "empty-bullet":
            fail(number, "an empty bullet point; write its text after the dash")
        elif kind == "bullet":
            if current is None:
                fail(
                    number,
                    "a bullet point before any heading; put a heading line "
                    "(a line of text, or '## Heading') above it",
                )
            current.bullets.append(ParsedBullet(text=content, line=number))
        elif kind == "heading" or following == "bullet":
            if current is not None and not current.bullets:
                fail(
                    current.line,
                    f"the heading '{current.heading}' has no bullet points",
                )
            if len(content) > HEADING_MAX_LENGTH:
                fail(number, f"a heading longer than {HEADING_MAX_LENGTH} characters")
            current = ParsedSection(heading=content, line=number)
            sections.append(current)
        elif current is None:
            if paragraphs and contiguous:
                paragraphs[-1] += " " + content
            else:
                paragraphs.append(content)
        elif last_kind == "bullet" and contiguous:
            current.bullets[-1].text += " " + content
            kind = "bullet"
        else:
            fail(
                number,
                "a line of text between sections that is neither a heading "
                "(it has no bullet points below it) nor a bullet point "
                "(start it with '- ')",
            )
        last_line, last_kind = number, kind

    if not sections:
        fail(
            last_line,
            "no sections: a brief needs at least one heading followed by bullet points",
        )
    if not current.bullets:
        fail(current.line, f"the heading '{current.heading}' has no bullet points")
    bullets = [bullet for section in sections for bullet in section.bullets]
    too_long = content_size_errors(len(sections), len(bullets))
    if too_long:
        # Point at the first section or bullet point past the limit.
        if len(sections) > MAX_SECTIONS_PER_BRIEF:
            line = sections[MAX_SECTIONS_PER_BRIEF].line
        else:
            line = bullets[MAX_BULLETS_PER_BRIEF].line
        fail(line, " ".join(too_long))

    summary = "\n\n".join(paragraphs)
    parsed = ParsedBrief(
        filename=filename, title=title, summary=summary, sections=sections
    )
    context = f"{title}\n{summary}"
    for section in sections:
        for bullet in section.bullets:
            bullet.attribution = attribution_for(bullet.text)
            bullet.vote, warning = find_vote(
                bullet.text, bullet.line, section.heading, context
            )
            if warning:
                parsed.warnings.append(f"{filename}: {warning}")
    return parsed

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
from .models.votes import BodyKind, Share
from .tally import Tally, Unread, decided, read_tally
from .validators import find_control_character

BULLET_RE = re.compile(r"^[-*•]\s+(?P<text>.*)$")
EMPTY_BULLET_RE = re.compile(r"^[-*•]$")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(?P<text>.+)$")

# Control characters have no place in copy, break XML feeds and, for NUL,
# cannot be stored by PostgreSQL. Tabs are fine.

TITLE_MAX_LENGTH = 200
HEADING_MAX_LENGTH = 200

# A count in what a measure needed: "needed 60 votes".
N = r"(\d{1,3}(?:,\d{3})+|\d{1,12})"
SHARES_RE = re.compile(r"\bshares\b", re.I)
# What one measure needed beyond its body's usual rule, where the sentence
# says so near a word of need: "short of the two-thirds majority it needed",
# "needed 60 votes", "cleared the three-fifths threshold". A share merely
# reached ("passed with a two-thirds majority") says nothing of the rule.
NEED = (
    r"(?:needs?|needed|require[sd]?|requiring|necessary|short\s+of|"
    r"threshold|clear(?:s|ed|ing)?|reach(?:ed|ing)?|miss(?:ed|ing)?)"
)
SHARE_WORDS = {
    r"two[-\s]thirds?|2/3": Share.TWO_THIRDS,
    r"three[-\s]fifths?|3/5": Share.THREE_FIFTHS,
    r"unanimity|unanimous\s+(?:support|approval|consent|backing|vote)": Share.UNANIMITY,
}
REQUIRED_SHARES = [
    (
        re.compile(
            rf"\b{NEED}\b(?:\s+\S+){{0,5}}?\s+(?:{words})"
            rf"|(?:{words})(?:\s+\S+){{0,3}}?\s+{NEED}\b",
            re.I,
        ),
        share,
    )
    for words, share in SHARE_WORDS.items()
]
REQUIRED_YES_RE = re.compile(
    rf"\b(?:needs?|needed|required|requires|requiring)\s+(?:at\s+least\s+|the\s+)?"
    rf"{N}\s+(?:yes\s+)?votes?\b"
    rf"|\b{N}\s+(?:yes\s+)?votes?\s+(?:needed|required|necessary)\b"
    rf"|\b{N}-vote\s+(?:threshold|majority|supermajority)\b",
    re.I,
)

# The last word of a deciding body's proper name, and the kind it suggests.
BODY_WORDS = {
    "Council": BodyKind.COUNCIL,
    "Parliament": BodyKind.PARLIAMENT,
    "Assembly": BodyKind.ASSEMBLY,
    "Senate": BodyKind.PARLIAMENT,
    "House": BodyKind.PARLIAMENT,
    "Chamber": BodyKind.PARLIAMENT,
    "Congress": BodyKind.PARLIAMENT,
    "Legislature": BodyKind.PARLIAMENT,
    "Bundestag": BodyKind.PARLIAMENT,
    "Bundesrat": BodyKind.PARLIAMENT,
    "Knesset": BodyKind.PARLIAMENT,
    "Duma": BodyKind.PARLIAMENT,
    "Sejm": BodyKind.PARLIAMENT,
    "Court": BodyKind.COURT,
    "Tribunal": BodyKind.COURT,
    "Board": BodyKind.BOARD,
    "Committee": BodyKind.COMMITTEE,
    "Commission": BodyKind.COMMITTEE,
    "Conference": BodyKind.ASSEMBLY,
    "Convention": BodyKind.ASSEMBLY,
    "Synod": BodyKind.ASSEMBLY,
}
# These name a body on their own ("the Senate"); "the Council" alone does not.
STANDALONE_WORDS = {
    "Senate",
    "Parliament",
    "Congress",
    "Legislature",
    "Bundestag",
    "Bundesrat",
    "Knesset",
    "Duma",
    "Sejm",
}
CAP_WORD = r"(?:[A-Z][\w&'’.-]*|[A-Z]{2,})"
BODY_NAME_RE = re.compile(
    rf"\b(?P<name>(?:{CAP_WORD}\s+){{0,6}}"
    rf"(?P<word>{'|'.join(BODY_WORDS)})\b"
    rf"(?:\s+of\s+(?:the\s+)?{CAP_WORD}(?:\s+(?:of\s+(?:the\s+)?)?{CAP_WORD})*)?)"
)
COMPANY = rf"(?P<company>{CAP_WORD}(?:\s+{CAP_WORD}){{0,4}})"
COMPANY_RES = (
    re.compile(rf"\b(?i:shareholders|stockholders)\s+(?:of|in|at)\s+{COMPANY}"),
    re.compile(
        rf"\b{COMPANY}(?:'s|’s|'|’)\s+(?:(?:annual|general|extraordinary|special)\s+)*"
        r"(?:(?:shareholders?|stockholders?)['’]?\s+)?meeting\b"
    ),
    re.compile(rf"\b{COMPANY}\s+(?i:shareholders|stockholders)\b"),
)
# Words that open a sentence but are no part of a name.
LEADING_WORDS = {
    "The", "A", "An", "At", "In", "On", "By", "After", "When", "Then", "Its",
    "Their", "This", "That", "Yesterday", "Today", "Last", "But", "And",
}  # fmt: skip
UN_PREFIXES = ("UN ", "U.N. ", "United Nations ")

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
    """A vote as a sentence reports it; `body_name` is "" where none is named."""

    body_name: str
    yes: int
    no: int
    abstain: int
    outcome: str | None
    title: str
    symbol: str = ""
    date: datetime.date | None = None
    line: int = 0
    not_voting: int | None = None
    body_kind: str = BodyKind.OTHER
    counts_shares: bool = False
    # What the sentence says this measure needed beyond the body's usual rule.
    required_share: str = ""
    required_yes: int | None = None
    # The sentence it was read from, for the editor to check it against.
    sentence: str = ""


@dataclass
class ParsedBullet:
    text: str
    line: int
    attribution: str = Attribution.FACT
    vote: ParsedVote | None = None
    # Sentences that look like votes but could not be read (ParsedUnread).
    unread: list = field(default_factory=list)


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

    @property
    def unread_votes(self):
        """Return every ParsedUnread of the brief, in reading order."""
        return [u for s in self.sections for b in s.bullets for u in b.unread]


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


def _count(text):
    return int(text.replace(",", ""))


# A sentence ends at ". ", "! " or "? " before a capital, but not after an
# initial or a short abbreviation ("U.N. Security Council", "No. 5").
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\s]+(?=[\"“‘'(]?[A-Z0-9])")
ABBREVIATIONS = {
    "no", "nos", "mr", "mrs", "ms", "dr", "st", "sen", "rep", "gov", "gen",
    "jr", "sr", "vs", "v", "inc", "co", "corp", "ltd", "art", "para", "sec",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "approx", "est", "cf", "hon", "prof", "mt", "ft",
}  # fmt: skip


def sentences(text):
    """Split a bullet point into its sentences."""
    pieces, start = [], 0
    for match in SENTENCE_END_RE.finditer(text):
        before = text[start : match.start()].rstrip(".!?")
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        if last.lower() in ABBREVIATIONS or re.fullmatch(
            r"(?:[A-Za-z]\.)*[A-Za-z]", last
        ):
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def find_counts(text):
    """Return (yes, no, abstain) from a vote sentence, or None if none is read."""
    tally = read_tally(text)
    if not isinstance(tally, Tally):
        return None
    return tally.yes, tally.no, tally.abstain


DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()


def _leading(word):
    stem = word.removesuffix("'s").removesuffix("’s")
    return word in LEADING_WORDS or stem.lower() in DAYS or stem.lower() in MONTHS


def _clean_name(name):
    words = name.split()
    while words and _leading(words[0]):
        words.pop(0)
    name = " ".join(words)
    for suffix in ("'s", "’s"):
        name = name.removesuffix(suffix)
    return name.strip(" ,.;:")


def kind_of(name):
    """Guess the kind of body a name stands for."""
    if name.startswith(UN_PREFIXES):
        return BodyKind.UN_ORGAN
    last = BODY_NAME_RE.search(name)
    if last:
        return BODY_WORDS[last["word"]]
    return BodyKind.OTHER


def body_names_in(text, known=()):
    """Return the names of deciding bodies in `text`, in reading order, as
    (start, name, kind): the `known` names (any case) and proper names."""
    found = []
    lowered = text.casefold()
    for name in known:
        key = name.casefold()
        for match in re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", lowered):
            found.append((match.start(), -len(key), name, None))
    for match in BODY_NAME_RE.finditer(text):
        name = _clean_name(match["name"])
        if name == match["word"] and name not in STANDALONE_WORDS:
            continue
        if name:
            start = match.start("name") + max(match["name"].find(name), 0)
            found.append((start, -len(name), name, None))
    for pattern in COMPANY_RES:
        for match in pattern.finditer(text):
            company = _clean_name(match["company"])
            if company and company not in LEADING_WORDS:
                found.append(
                    (
                        match.start(),
                        -len(company),
                        f"Shareholders of {company}",
                        BodyKind.SHAREHOLDERS,
                    )
                )
    found.sort(key=lambda item: (item[0], item[1]))
    return [(start, name, kind or kind_of(name)) for start, _, name, kind in found]


def find_body(texts, known=()):
    """Return (name, kind) of the body voting, from the first of `texts` (the
    sentence, then its heading, the summary and the title) that names one,
    or ("", None). A name found later that ends with it ("Senate", then "the
    Illinois Senate") is the fuller name of the same body."""
    levels = [body_names_in(text, known) for text in texts if text]
    for index, names in enumerate(levels):
        if not names:
            continue
        _, name, kind = names[0]
        for later in levels[index + 1 :]:
            for _, fuller, fuller_kind in later:
                if len(fuller) > len(name) and fuller.casefold().endswith(
                    " " + name.casefold()
                ):
                    return fuller, fuller_kind
        return name, kind
    return "", None


def vote_title(sentence, heading):
    """Name what was decided ("The budget", "Resolution 2728"), else the heading."""
    title = decided(sentence) or heading
    return (title[:1].upper() + title[1:])[:300]


@dataclass
class ParsedUnread:
    """A sentence that looks like a vote but could not be read whole."""

    line: int
    sentence: str
    reason: str


def read_votes(text, line, heading, context, known=()):
    """Return (votes, unread, warnings) for one bullet point: a ParsedVote for
    each sentence read whole, a ParsedUnread for each that looks like a vote
    but could not be read, and the warnings for the editor.

    `context` is the summary and the title (a string, or several in the order
    to search them); `known` the names and aliases of bodies already recorded.
    """
    votes, unread, warnings = [], [], []
    for sentence in sentences(text):
        tally = read_tally(sentence)
        if tally is None:
            continue
        if isinstance(tally, Unread):
            unread.append(ParsedUnread(line, sentence, tally.reason))
            continue
        vote, warning = _parsed_vote(sentence, tally, line, heading, context, known)
        votes.append(vote)
        if warning:
            warnings.append(warning)
    return votes, unread, warnings


def find_vote(text, line, heading, context, known=()):
    """Return (ParsedVote or None, warning or None): the first vote in a
    bullet point."""
    votes, _, warnings = read_votes(text, line, heading, context, known)
    if not votes:
        return None, None
    return votes[0], (warnings[0] if warnings else None)


def _parsed_vote(text, tally, line, heading, context, known):
    contexts = [context] if isinstance(context, str) else list(context)
    body_name, body_kind = find_body([text, heading, *contexts], known)
    counts_shares = bool(SHARES_RE.search(text))
    if counts_shares and body_kind in (None, BodyKind.OTHER):
        body_kind = BodyKind.SHAREHOLDERS
    if tally.court and body_kind in (None, BodyKind.OTHER):
        body_kind = BodyKind.COURT
    warning = None
    if not body_name:
        warning = (
            f"line {line}: a vote ({tally.yes}-{tally.no}-{tally.abstain}) that "
            "names no body; recorded against a placeholder body: choose the body "
            "on the vote before publishing"
        )
    symbol = SYMBOL_RE.search(text)
    vote = ParsedVote(
        body_name=body_name,
        body_kind=body_kind or BodyKind.OTHER,
        yes=tally.yes,
        no=tally.no,
        abstain=tally.abstain,
        not_voting=tally.not_voting,
        # A court's majority carries its ruling, whatever the verb says.
        outcome=None if body_kind == BodyKind.COURT else tally.stated_outcome,
        title=vote_title(text, heading),
        symbol=symbol.group(1) if symbol else "",
        date=find_date(text) or next(filter(None, map(find_date, contexts)), None),
        line=line,
        counts_shares=counts_shares,
        required_share=next(
            (share for pattern, share in REQUIRED_SHARES if pattern.search(text)), ""
        ),
        required_yes=find_required_yes(text),
        sentence=text,
    )
    return vote, warning


def find_required_yes(text):
    """Return the number of yes votes the sentence says the measure needed."""
    match = REQUIRED_YES_RE.search(text)
    if match is None:
        return None
    return _count(next(group for group in match.groups() if group))


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


def parse_brief(source, filename="<text>", known_bodies=()):
    """Return the ParsedBrief in `source` (str or bytes) or raise BriefFormatError.

    `known_bodies`: the names and aliases of the bodies recorded so far, which
    vote sentences may name in any case ("the security council").
    """
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
    context = (summary, title)
    for section in sections:
        for bullet in section.bullets:
            bullet.attribution = attribution_for(bullet.text)
            votes, bullet.unread, warnings = read_votes(
                bullet.text, bullet.line, section.heading, context, known_bodies
            )
            if votes:
                bullet.vote = votes[0]
            for extra in votes[1:]:
                bullet.unread.append(
                    ParsedUnread(
                        bullet.line,
                        extra.sentence,
                        "a second vote in one bullet point; give each vote a "
                        "bullet point of its own",
                    )
                )
            parsed.warnings += [f"{filename}: {warning}" for warning in warnings[:1]]
    return parsed

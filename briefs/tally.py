"""Read the tally of a vote out of one sentence.

A vote sentence is read as a run of tokens (numbers, words, separators), not
matched against whole-sentence patterns. The grammar has four parts:

- **numbers**: digits, with thousands separators ("412,880,115"), scaled
  ("1.2 million"), or words ("seven", "twenty-one", "a hundred"); "none",
  "no", "nobody" and "nil" are zero only where a label follows them;
- **labelled counts**: a number, a few words naming who or what was counted
  ("votes", "members", "shares voted"), then its label: for, against,
  abstaining, withheld, not voting, absent, voting present; or a label, a
  colon, then a number ("ayes: 300");
- **bare tallies**: two or three numbers joined by a separator (hyphen, en
  or em dash, "to", "votes to"): for-against(-abstaining), or, where the
  words say the measure failed by the larger number, against-for; a court's
  tally is majority-minority;
- **the outcome** from the words: what was decided, negation ("was not
  adopted"), and what the voters voted to do ("voted 6 to 5 to reject").

Numbers that belong to something else are masked first: compounds
("five-member", "two-thirds"), dates, years, times, ordinals, percentages,
money, ranges ("aged 5-11"), document numbers ("resolution 2728") and
quantities of other things ("3 hours").

`read_tally` returns a `Tally`, an `Unread` (the sentence looks like a vote
but cannot be read whole: the reason says why), or None (no vote). A wrong
number is worse than none: whatever cannot be bound to its own label makes
the sentence unread; nothing is guessed.

This module is domain-level: it imports nothing from the project.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ADOPTED, REJECTED, VETOED = "adopted", "rejected", "vetoed"
FOR, AGAINST, ABSTAIN, NOT_VOTING = "yes", "no", "abstain", "not_voting"

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
ZERO_WORDS = {"none", "no", "nobody", "nil", "noone", "nothing"}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}  # fmt: skip
DAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip

# Who or what a count counts: the words allowed between a number and its label.
COUNTED = {
    "vote", "votes", "member", "members", "share", "shares", "ballot", "ballots",
    "councillor", "councillors", "councilor", "councilors", "councilmember",
    "councilmembers", "council", "senator", "senators", "representative",
    "representatives", "deputy", "deputies", "mp", "mps", "mep", "meps",
    "delegate", "delegates", "delegation", "delegations", "country", "countries",
    "state", "states", "nation", "nations", "judge", "judges", "justice",
    "justices", "director", "directors", "governor", "governors", "minister",
    "ministers", "lawmaker", "lawmakers", "legislator", "legislators",
    "commissioner", "commissioners", "trustee", "trustees", "supervisor",
    "supervisors", "alderman", "aldermen", "alderpersons", "selectmen",
    "board", "shareholder", "shareholders", "stockholder", "stockholders",
    "union", "workers", "employees", "voters", "peers", "lords", "regents",
    "governments", "parties", "participants", "jurors", "elected", "house",
    "assembly", "committee", "other", "more", "further", "cast", "were", "was",
    "voted", "voting", "recorded", "valid", "registered",
}  # fmt: skip
# Vote nouns that may follow a bare tally ("on a 3-2 vote", "a 5-4 ruling").
VOTE_NOUNS = {
    "vote", "votes", "decision", "ruling", "majority", "margin", "verdict",
    "tally", "count", "division", "ballot", "roll", "split-decision", "result",
}  # fmt: skip
# Words after a count that show it counts voters, not some other quantity.
FUNCTION_WORDS = {
    "with", "in", "on", "at", "by", "to", "and", "or", "but", "after", "before",
    "as", "over", "from", "of", "when", "while", "that", "which", "who", "the",
    "a", "an", "this", "last", "its", "their", "his", "her", "late", "early",
    "earlier", "later", "then", "yesterday", "today", "tonight", "overnight",
    "for", "against", "amid", "despite", "following", "during", "without",
    "sending", "clearing", "giving", "ending", "making", "so", "thus",
    "behind", "under", "into", "within", "margin", "vote", "votes",
    "decision", "ruling", "majority", "tally", "verdict", "count", "division",
    "result", "approval", "passage", "adoption", "rejection", "defeat",
    "not", "no", "abstentions", "abstention", "abstaining", "abstained",
    "along", "largely", "mostly", "mainly", "nearly", "almost", "narrowly",
    "only", "just", "again", "once", "twice", "finally", "unanimously",
    "tuesday's", "monday's", "wednesday's", "thursday's", "friday's",
}  # fmt: skip
# A number after one of these is a range, a score or an identifier, not a count.
NOT_COUNT_BEFORE = {
    "aged", "age", "ages", "between", "from", "grade", "grades", "page", "pages",
    "pp", "chapter", "chapters", "verse", "verses", "score", "scored", "scoring",
    "won", "lost", "beat", "beating", "led", "leading", "trailed", "trailing",
    "lead", "drew", "draw", "odds", "ratio", "rows", "row", "hole", "round",
    "rounds", "year", "years", "children",
    "kids", "pupils", "students", "people", "patients", "adults", "girls",
    "boys", "men", "women", "those", "sizes", "size", "level", "levels", "phase",
    "stage", "step", "steps", "part", "parts", "volume", "annex", "schedule",
    "appendix", "table", "figure", "platform", "gate", "line", "lines", "unit",
    "units", "district", "ward", "precinct", "region", "zone", "category",
    "class", "type", "version", "model", "series", "season", "week", "day",
    "days", "cycle", "term", "terms", "point", "points", "top", "under",
    "over", "up", "nearly", "almost", "about", "around", "roughly", "some",
    "approximately", "estimated", "than", "least", "most", "every", "per",
    "only", "just", "all",
}  # fmt: skip
# A number after one of these names a document, unless a tally follows it
# ("resolution 2728", but "passed the bill 220-207").
IDENTIFIER_BEFORE = {
    "resolution", "resolutions", "bill", "bills", "act", "article", "articles",
    "section", "sections", "clause", "clauses", "paragraph", "paragraphs",
    "item", "items", "no", "nos", "number", "numbers", "amendment",
    "proposition", "prop", "measure", "question", "motion", "rule", "rules",
    "room", "route", "highway", "flight", "case", "cases", "docket", "ordinance",
    "law", "directive", "regulation", "decree", "convention", "protocol",
    "report", "document", "agenda", "file", "order", "plan", "initiative",
    "referendum", "bylaw", "by-law", "local",
}  # fmt: skip
# Words that make the numbers of a sentence a poll or a match, not a vote.
LOOK_ALIKE_WORDS = {
    "poll", "polls", "polled", "polling", "survey", "surveys", "surveyed",
    "respondents", "percent", "pollster", "pollsters", "approval-rating",
    "match", "matches", "game", "games", "goals", "goal", "innings", "team",
    "teams", "league", "cup", "championship", "tournament", "halftime",
    "half-time", "striker", "quarterfinal", "semifinal", "playoff", "playoffs",
    "scoreline", "fixture", "overtime", "wicket", "wickets",
}  # fmt: skip

# Labels, as word sequences, longest first where they share a start.
LABELS = [
    (("did", "not", "vote"), NOT_VOTING),
    (("didn't", "vote"), NOT_VOTING),
    (("did", "not", "take", "part"), NOT_VOTING),
    (("not", "taking", "part"), NOT_VOTING),
    (("not", "voting"), NOT_VOTING),
    (("non-voting",), NOT_VOTING),
    (("not", "present"), NOT_VOTING),
    (("absent",), NOT_VOTING),
    (("absences",), NOT_VOTING),
    (("absentees",), NOT_VOTING),
    (("did", "not", "participate"), NOT_VOTING),
    (("not", "participating"), NOT_VOTING),
    (("in", "favour"), FOR),
    (("in", "favor"), FOR),
    (("in", "support"), FOR),
    (("for",), FOR),
    (("yes",), FOR),
    (("yeas",), FOR),
    (("yea",), FOR),
    (("ayes",), FOR),
    (("aye",), FOR),
    (("supporting",), FOR),
    (("against",), AGAINST),
    (("opposed",), AGAINST),
    (("opposing",), AGAINST),
    (("in", "opposition"), AGAINST),
    (("nays",), AGAINST),
    (("nay",), AGAINST),
    (("noes",), AGAINST),
    (("nos",), AGAINST),
    (("no",), AGAINST),
    (("dissenting",), AGAINST),
    (("abstentions",), ABSTAIN),
    (("abstention",), ABSTAIN),
    (("abstaining",), ABSTAIN),
    (("abstained",), ABSTAIN),
    (("abstain",), ABSTAIN),
    (("abstainers",), ABSTAIN),
    (("withheld",), ABSTAIN),
    (("withholding",), ABSTAIN),
    (("withholds",), ABSTAIN),
    (("voting", "present"), ABSTAIN),
    (("voted", "present"), ABSTAIN),
    (("present", "votes"), ABSTAIN),
]
# A label may come first, then a colon or "were", then its number.
LEADING_LABELS = [
    (("ayes",), FOR),
    (("yeas",), FOR),
    (("yes",), FOR),
    (("for",), FOR),
    (("in", "favour"), FOR),
    (("in", "favor"), FOR),
    (("noes",), AGAINST),
    (("nays",), AGAINST),
    (("no",), AGAINST),
    (("against",), AGAINST),
    (("abstentions",), ABSTAIN),
    (("abstained",), ABSTAIN),
    (("absent",), NOT_VOTING),
    (("not", "voting"), NOT_VOTING),
]
LEADING_GLUE = {":", "were", "was", "numbered", "totalled", "totaled", "="}

# The words that decide; each kind ordered as the outcome it gives.
ADOPT_WORDS = {
    "passed", "passes", "pass", "adopted", "adopts", "adopt", "approved",
    "approves", "approve", "carried", "carries", "confirmed", "confirms",
    "ratified", "ratifies", "endorsed", "endorses", "upheld", "upholds",
    "cleared", "clears", "backed", "backs", "agreed", "accepted", "elected",
    "overrode", "override", "overrides", "overriding", "authorised", "authorized",
    "granted", "sustained", "advanced", "okayed", "affirmed", "enacted",
}  # fmt: skip
REJECT_WORDS = {
    "rejected", "rejects", "reject", "defeated", "defeats", "defeat", "blocked",
    "blocks", "block", "killed", "kills", "kill", "deadlocked", "deadlock",
    "tied", "tie", "refused", "refuses", "denied", "denies", "deny", "failed",
    "fails", "fail", "dismissed", "scrapped", "spurned", "vetoed", "vetoes",
    "veto", "sank", "sunk",
}  # fmt: skip
# Rejections where the tally named first is the losing "for" side when it
# is the larger: short of a higher bar ("failed 57-43, short of 60").
WEAK_REJECT_WORDS = {"failed", "fails", "fail"}
REJECT_PHRASES = [
    ("voted", "down"), ("turned", "down"), ("threw", "out"), ("thrown", "out"),
    ("fell", "short"), ("falls", "short"), ("fall", "short"), ("shot", "down"),
    ("struck", "down"), ("voted", "against"),
]  # fmt: skip
SHORTFALL_WORDS = {
    "short", "needed", "need", "needs", "required", "requires", "requiring",
    "threshold", "supermajority", "two-thirds", "three-fifths", "majority",
    "necessary", "shy",
}  # fmt: skip
DECISION_WORDS = (
    ADOPT_WORDS
    | REJECT_WORDS
    | {
        "voted", "votes", "vote", "voting", "ruled", "ruling", "rules", "decision",
        "ballot", "balloted", "tally", "division", "decided", "sided", "split",
        "divided",
        "struck", "overturned", "reversed",
    }
)  # fmt: skip
COURT_WORDS = {
    "court", "justices", "judges", "tribunal", "ruled", "ruling", "dissent",
    "dissented", "dissenting", "bench", "appeals", "supreme",
}  # fmt: skip
# What voters may vote to do: "voted 6 to 5 to reject".
TO_REJECT = {"reject", "block", "defeat", "kill", "oppose", "deny", "refuse",
             "scrap", "halt", "stop", "overturn", "dismiss", "sink"}  # fmt: skip
TO_ADOPT = {"approve", "adopt", "pass", "back", "confirm", "endorse", "ratify",
            "accept", "authorise", "authorize", "uphold", "override", "support",
            "advance", "allow", "grant", "elect", "keep", "create", "end", "ban",
            "raise", "cut", "send", "move", "table", "extend", "impeach", "censure",
            "expel", "suspend", "remove", "recall", "join", "leave", "sell", "buy",
            "merge", "close", "open", "hire", "fire", "appoint", "name",
            "set"}  # fmt: skip
NEGATIONS = {"not", "never", "n't", "didn't", "wasn't", "weren't", "hasn't",
             "haven't", "isn't", "fails", "failed", "failing", "fail"}  # fmt: skip


@dataclass
class Token:
    kind: str  # "num", "word", "dash", "punct", "symbol"
    text: str
    start: int
    end: int
    value: int | None = None
    # A number written as a word ("seven"), or zero written "none" / "no".
    spelled: bool = False
    zero_word: bool = False
    masked: bool = False

    @property
    def low(self):
        return self.text.lower()


@dataclass(frozen=True)
class Tally:
    """The counts and outcome a sentence reports."""

    yes: int
    no: int
    abstain: int = 0
    not_voting: int | None = None
    # None for a court: its majority carries whatever it decided.
    outcome: str | None = None
    # What the words say was decided, a court's too ("struck down").
    stated_outcome: str | None = None
    # The words speak of a court: the tally is majority and minority.
    court: bool = False
    # Where in the sentence the counts are (for the title).
    start: int = 0
    end: int = 0
    labelled: tuple = field(default=(), compare=False)


@dataclass(frozen=True)
class Unread:
    """A sentence that looks like a vote but cannot be read whole."""

    reason: str


TOKEN_RE = re.compile(
    r"""
    (?P<symbol>[A-Za-z0-9]+(?:/[A-Za-z0-9.\-]+)+)          # A/ES-11/L.10, 2/3
    |(?P<money>[$€£¥]\s?\d[\d,.]*)
    |(?P<ordinal>\d+(?:st|nd|rd|th)\b)
    |(?P<time>\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\.?)?|\d{1,2}\s?[ap]\.m\.|\d{1,2}[ap]m\b)
    |(?P<num>\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+
        |\d+(?:\.\d+)?)
    |(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)
    |(?P<dash>[-‐‑‒–—―])
    |(?P<punct>[^\w\s])
    """,
    re.X,
)


def tokenize(text):
    """Return the tokens of `text`, number words joined into numbers."""
    tokens = []
    for match in TOKEN_RE.finditer(text):
        kind = match.lastgroup
        piece = match.group()
        token = Token("word" if kind == "word" else kind, piece, *match.span())
        if kind == "num":
            token.value = _digits_value(piece)
            if token.value is None:
                token.masked = True  # a decimal is a measure, never a count
        elif kind in ("money", "ordinal", "time", "symbol"):
            token.kind = "num" if kind != "symbol" else "symbol"
            token.masked = True
        if kind == "word":
            token.text = piece.replace("’", "'")
        tokens.append(token)
    return _join_number_words(_scale(tokens), text)


def _digits_value(piece):
    cleaned = re.sub(r"[,\u00a0\u202f\u2009]", "", piece)
    if "." in cleaned:
        return None
    return int(cleaned)


def _scale(tokens):
    """Apply "million" / "billion" to the number before it: "1.2 million"."""
    out = []
    for token in tokens:
        previous = out[-1] if out else None
        if (
            token.kind == "word"
            and token.low in SCALES
            and previous is not None
            and previous.kind == "num"
            and not previous.spelled
            and previous.start + len(previous.text) + 1 >= token.start
        ):
            try:
                value = Decimal(previous.text.replace(",", "")) * SCALES[token.low]
            except InvalidOperation:
                value = None
            if value is not None and value == value.to_integral_value():
                previous.value = int(value)
                previous.masked = False
            else:
                previous.masked = True
            previous.text += " " + token.text
            previous.end = token.end
            continue
        out.append(token)
    return out


def _adjacent(a, b):
    return a.end == b.start


def _join_number_words(tokens, text):
    """Turn number words into number tokens: "twenty-one", "a hundred", "none"."""
    out = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        low = token.low if token.kind == "word" else ""
        value, used = None, 1
        if low in UNITS or low in TENS:
            value = UNITS.get(low, TENS.get(low))
            nxt = tokens[index + 1 : index + 3]
            if (
                low in TENS
                and len(nxt) == 2
                and nxt[0].kind == "dash"
                and _adjacent(token, nxt[0])
                and _adjacent(nxt[0], nxt[1])
                and nxt[1].low in UNITS
                and 0 < UNITS[nxt[1].low] < 10
            ):
                value += UNITS[nxt[1].low]
                used = 3
            hundred = tokens[index + used : index + used + 1]
            if hundred and hundred[0].low == "hundred" and 0 < value < 10:
                value, used = _hundreds(value * 100, tokens, index + used + 1)
                used -= index
        elif (
            low == "a"
            and index + 1 < len(tokens)
            and tokens[index + 1].low in ("hundred",)
        ):
            value, end = _hundreds(100, tokens, index + 2)
            used = end - index
        elif low == "hundred":
            value = None
        if value is not None:
            last = tokens[index + used - 1]
            out.append(
                Token(
                    "num",
                    text[token.start : last.end],
                    token.start,
                    last.end,
                    value=value,
                    spelled=True,
                )  # fmt: skip
            )
            index += used
            continue
        if low in ZERO_WORDS:
            token = Token("num", token.text, token.start, token.end, value=0,
                          spelled=True, zero_word=True)  # fmt: skip
        out.append(token)
        index += 1
    return out


def _hundreds(base, tokens, index):
    """Read the rest of "two hundred (and) five"; return (value, next index)."""
    rest = tokens[index : index + 4]
    position = 0
    if rest and rest[0].low == "and":
        position = 1
    if position < len(rest):
        word = rest[position].low
        if word in UNITS and UNITS[word] > 0:
            return base + UNITS[word], index + position + 1
        if word in TENS:
            value = base + TENS[word]
            tail = rest[position + 1 : position + 3]
            if (
                len(tail) == 2
                and tail[0].kind == "dash"
                and tail[1].low in UNITS
                and 0 < UNITS[tail[1].low] < 10
            ):
                return value + UNITS[tail[1].low], index + position + 3
            return value, index + position + 1
    return base, index


def _is_year(token):
    return (
        token.kind == "num"
        and not token.spelled
        and re.fullmatch(r"\d{4}", token.text) is not None
        and 1800 <= token.value <= 2100
    )


def _mask(tokens):
    """Mask the numbers that are no count: compounds, dates, years, ranges..."""
    for index, token in enumerate(tokens):
        if token.kind != "num" or token.masked:
            continue
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        after2 = tokens[index + 2] if index + 2 < len(tokens) else None
        # "five-member", "two-thirds", "30-year", "COVID-19", "G-20"
        if (
            after is not None
            and after.kind == "dash"
            and _adjacent(token, after)
            and after2 is not None
            and _adjacent(after, after2)
            and after2.kind == "word"
            and not (after2.kind == "num")
        ):
            token.masked = True
        if (
            before is not None
            and before.kind == "dash"
            and _adjacent(before, token)
            and index >= 2
            and tokens[index - 2].kind == "word"
            and _adjacent(tokens[index - 2], before)
        ):
            token.masked = True
        # Glued to letters or a slash: "5G", "H.R.5", "No.5".
        if (
            before is not None
            and _adjacent(before, token)
            and (before.kind in ("word", "symbol") or before.text in (".", "/", "#"))
        ):
            token.masked = True
        if (
            after is not None
            and _adjacent(token, after)
            and (after.kind in ("word", "symbol") or after.text in ("%", "/"))
        ):
            token.masked = True
        if (
            after is not None
            and after.low in ("percent", "pc", "%")
            or (
                after is not None
                and after.low == "per"
                and after2 is not None
                and after2.low == "cent"
            )
        ):
            token.masked = True
        if after is not None and after.low in MONTHS and not token.spelled:
            token.masked = True  # 25 March
        if before is not None and before.low in MONTHS and not token.spelled:
            token.masked = True  # March 25
        if _is_year(token) and not (
            after is not None and after.low in COUNTED | {"for", "against"}
        ):
            token.masked = True
        if before is not None and before.low in NOT_COUNT_BEFORE:
            token.masked = True
        if (
            before is not None
            and before.low in IDENTIFIER_BEFORE
            and not token.zero_word
            and not _starts_tally(tokens, index)
        ):
            token.masked = True
        if after is not None and after.low in ("am", "pm", "o'clock", "hours"):
            token.masked = True
        if _about_a_need(tokens, index):
            token.masked = True
    _mask_chains(tokens)


NEED_BEFORE = {
    "needed", "need", "needs", "required", "requires", "requiring", "necessary",
    "short", "threshold", "shy", "least", "majority", "margin", "by",
}  # fmt: skip
NEED_AFTER = {"needed", "required", "necessary", "short", "majority"}


def _about_a_need(tokens, index):
    """Return True if the number says what was needed: "short of the 60 votes
    needed", "a majority of 12", "at least 34"."""
    step = _separator(tokens, index)
    if step is not None and index + step < len(tokens):
        if tokens[index + step].kind == "num":
            return False  # the start of a tally: "by a majority of 310 to 118"
    for back in range(index - 1, max(-1, index - 4), -1):
        token = tokens[back]
        if token.kind != "word":
            break
        if token.low == "short" and tokens[back + 1].low != "of":
            continue
        if token.low in NEED_BEFORE:
            if token.low == "by":
                # "by 12 votes" alone is a margin; "by 432 votes to 202" is not.
                return _margin(tokens, index)
            return True
    for ahead in tokens[index + 1 : index + 3]:
        if ahead.kind != "word":
            break
        if ahead.low in NEED_AFTER:
            return True
    return False


def _margin(tokens, index):
    nxt = tokens[index + 1 : index + 4]
    if not nxt or nxt[0].low not in ("vote", "votes"):
        return False
    rest = [t.low for t in nxt[1:]]
    return (
        not rest
        or rest[0] not in ("to", "for", "in", "against")
        and not (rest[0] == "-")
    )


def _starts_tally(tokens, index):
    """Return True if a separator and a number follow the number at `index`."""
    step = _separator(tokens, index)
    return (
        step is not None
        and index + step < len(tokens)
        and tokens[index + step].kind == "num"
    )


def _chains(tokens):
    """Yield runs of number tokens joined by dashes: (start, end) indexes."""
    index = 0
    while index < len(tokens):
        if tokens[index].kind != "num":
            index += 1
            continue
        end = index
        while (
            end + 2 < len(tokens)
            and tokens[end + 1].kind == "dash"
            and tokens[end + 2].kind == "num"
        ):
            end += 2
        yield index, end
        index = end + 1


def _mask_chains(tokens):
    """A dash chain that holds a year or a masked number is no tally at all."""
    for start, end in _chains(tokens):
        members = tokens[start : end + 1 : 2]
        if len(members) < 2:
            continue
        if any(_is_year(t) or t.masked for t in members):
            for member in members:
                member.masked = True
        # "from 5-11", "between 3-4": the word before the chain decides.
        before = tokens[start - 1] if start else None
        if before is not None and before.low in NOT_COUNT_BEFORE:
            for member in members:
                member.masked = True


def _counts_voters(tokens, index):
    """Return True if the word after the number at `index` leaves it a count."""
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if after is None or after.kind in ("punct", "dash", "num"):
        return True
    low = after.low
    return (
        low in FUNCTION_WORDS
        or low in COUNTED
        or low in VOTE_NOUNS
        or low in DAYS
        or low in MONTHS
        or any(low == words[0] for words, _ in LABELS)
        or low in ADOPT_WORDS
        or low in REJECT_WORDS
    )


# After a dash tally, these make it a split, a score or a measure.
NOT_VOTERS_AFTER = {
    "split", "splits", "lead", "leads", "win", "wins", "victory", "loss",
    "losses", "defeat", "ratio", "odds", "score", "scoreline", "record",
    "percent", "per", "pc", "year", "years", "month", "months", "week",
    "weeks", "day", "days", "hour", "hours", "minute", "minutes", "km",
    "miles", "metres", "meters", "kg", "tonnes", "range", "scale", "share",
    "mix", "balance", "weighting", "formula", "basis", "ages", "age",
    "pages", "seats", "points", "goals", "sets", "games",
}  # fmt: skip


def _quantity_after(tokens, index):
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    return after is not None and (
        after.kind == "word" and after.low in NOT_VOTERS_AFTER or after.masked
    )


def _match_words(tokens, index, words):
    if index + len(words) > len(tokens):
        return False
    return all(
        (tokens[index + offset].kind == "word" or tokens[index + offset].zero_word)
        and tokens[index + offset].low == word
        for offset, word in enumerate(words)
    )


def _label_at(tokens, index, labels=LABELS):
    """Return (label, length) of the label starting at `index`, or None."""
    for words, label in labels:
        if _match_words(tokens, index, words):
            return label, len(words)
    return None


class Reading:
    """The state of one sentence being read."""

    def __init__(self, text):
        self.text = text
        self.tokens = tokenize(text)
        _mask(self.tokens)
        self.words = [t.low for t in self.tokens if t.kind == "word"]
        self.bound = {}  # token index -> label
        self.counts = {}  # label -> value
        self.problems = []
        self.positional = None  # (indexes, against_object)

    def bind(self, index, label):
        token = self.tokens[index]
        if label in self.counts and self.counts[label] != token.value:
            if label in (ABSTAIN, NOT_VOTING):
                # "2 abstentions and 1 voting present" add up.
                self.counts[label] += token.value
            else:
                self.problems.append(
                    f"two counts for '{_LABEL_NAMES[label]}' "
                    f"({self.counts[label]:,} and {token.value:,})"
                )
        else:
            self.counts[label] = token.value
        self.bound[index] = label


_LABEL_NAMES = {
    FOR: "for",
    AGAINST: "against",
    ABSTAIN: "abstaining",
    NOT_VOTING: "not voting",
}


def _count_tokens(reading):
    return [
        index
        for index, token in enumerate(reading.tokens)
        if token.kind == "num" and not token.masked and not token.zero_word
    ]


def _read_positional(reading):
    """Bind the bare tallies: "7-2", "52–47-1", "432 votes to 202", "eight to one"."""
    tokens = reading.tokens
    found = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind != "num" or token.masked or token.zero_word:
            index += 1
            continue
        members = [index]
        cursor = index
        while True:
            step = _separator(tokens, cursor)
            if step is None:
                break
            nxt = cursor + step
            if nxt >= len(tokens):
                break
            candidate = tokens[nxt]
            if candidate.kind != "num" or candidate.masked:
                break
            if candidate.zero_word and tokens[cursor + 1].kind == "dash":
                break
            members.append(nxt)
            cursor = nxt
        if len(members) >= 2:
            joined_by_to = tokens[members[0] + 1].kind != "dash"
            if len(members) > 3 or (joined_by_to and len(members) > 2):
                reading.problems.append("a run of more than three joined numbers")
            elif (
                _counts_voters(tokens, members[-1])
                or (not joined_by_to and not _quantity_after(tokens, members[-1]))
            ) and not _has_own_label(tokens, members[0]):
                found.append(members)
        index = cursor + 1
    return found


def _has_own_label(tokens, index):
    """Return True if the number at `index` carries its own label ("14 votes
    in favour to none against" is two labelled counts, not a bare tally)."""
    cursor = index + 1
    while cursor < len(tokens) and tokens[cursor].low in COUNTED:
        if _label_at(tokens, cursor) is not None:
            return True
        cursor += 1
    return cursor < len(tokens) and _label_at(tokens, cursor) is not None


def _separator(tokens, index):
    """Return how far the next number of a tally is from `index`, or None."""
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if nxt is None:
        return None
    if nxt.kind == "dash":
        return 2
    if nxt.low == "to":
        return 2
    if nxt.low in ("votes", "vote") and index + 2 < len(tokens):
        if tokens[index + 2].low == "to":
            return 3
    return None


def _read_labelled(reading):
    """Bind "N (counted words) LABEL" and "LABEL: N"."""
    tokens = reading.tokens
    for index, token in enumerate(tokens):
        if token.kind != "num" or token.masked or index in reading.bound:
            continue
        cursor = index + 1
        skipped = 0
        while cursor < len(tokens) and skipped <= 3:
            found = _label_at(tokens, cursor)
            if found is not None:
                label, length = found
                # "the vote was 7 to 2 for" is not "2 for"; "voted no" is.
                if (
                    tokens[cursor].low == "no"
                    and skipped == 0
                    and not (
                        cursor + 1 >= len(tokens) or tokens[cursor + 1].kind != "word"
                    )
                ):
                    break
                reading.bind(index, label)
                break
            if tokens[cursor].kind == "word" and tokens[cursor].low in COUNTED:
                cursor += 1
                skipped += 1
                continue
            break
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        found = _label_at(tokens, index, LEADING_LABELS)
        if found is None:
            continue
        label, length = found
        cursor = index + length
        while cursor < len(tokens) and tokens[cursor].low in LEADING_GLUE:
            cursor += 1
        glued = cursor > index + length or tokens[index].low in (
            "ayes",
            "yeas",
            "noes",
            "nays",
        )
        if (
            glued
            and cursor < len(tokens)
            and tokens[cursor].kind == "num"
            and not tokens[cursor].masked
            and cursor not in reading.bound
        ):
            reading.bind(cursor, label)


def _outcome_words(reading):
    """Return [(token index, outcome, weak)] for each deciding word."""
    tokens = reading.tokens
    found = []
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        low = token.low
        previous = tokens[index - 1].low if index else ""
        if previous == "to":
            continue  # "voted to reject": read by _voted_to
        phrase = (low, tokens[index + 1].low) if index + 1 < len(tokens) else None
        if phrase in REJECT_PHRASES:
            found.append((index, REJECTED, phrase[0] in ("fell", "falls", "fall")))
            continue
        if low in ("veto", "vetoes", "vetoed") and any(
            w in reading.words
            for w in (
                "overrode",
                "override",
                "overriding",
                "overrides",
                "overridden",
            )  # fmt: skip
        ):
            continue
        if low in ("vetoed", "vetoes") or (low == "veto" and previous in ("a",)):
            found.append((index, VETOED, False))
        elif low in REJECT_WORDS and low != "veto":
            found.append((index, REJECTED, low in WEAK_REJECT_WORDS))
        elif low in ADOPT_WORDS:
            window = [t.low for t in tokens[max(0, index - 3) : index]]
            negated = any(w in NEGATIONS or w.endswith("n't") for w in window)
            found.append((index, REJECTED if negated else ADOPTED, negated))
    return found


def _voted_to(reading):
    """Return ADOPTED or REJECTED for "voted ... to reject / to approve"."""
    tokens = reading.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.low == "to" and tokens[index + 1].kind == "word":
            verb = tokens[index + 1].low
            seen_vote = any(t.low in ("voted", "vote", "votes") for t in tokens[:index])
            if not seen_vote:
                continue
            if verb in TO_REJECT or (
                verb == "vote"
                and index + 2 < len(tokens)
                and tokens[index + 2].low in ("down", "against")
            ):
                return REJECTED, index
            if verb in TO_ADOPT:
                return ADOPTED, index
    return None, None


def read_tally(text):
    """Return the Tally in `text`, an Unread saying why it cannot be read
    whole, or None if the sentence reports no vote."""
    reading = Reading(text)
    words = set(reading.words)
    if words & LOOK_ALIKE_WORDS:
        return None
    positional = _read_positional(reading)
    for members in positional:
        for index in members:
            reading.bound[index] = "positional"
    _read_labelled(reading)
    counted = [
        index
        for index in _count_tokens(reading)
        if index in reading.bound or _counts_voters(reading.tokens, index)
    ]
    pairs = zip(reading.words, reading.words[1:], strict=False)
    decision = bool(words & DECISION_WORDS) or any(p in REJECT_PHRASES for p in pairs)
    labelled_sides = FOR in reading.counts and AGAINST in reading.counts
    looks_like_vote = (decision or labelled_sides) and (
        len(counted) + sum(1 for i in reading.bound if reading.tokens[i].zero_word) >= 2
    )
    if not looks_like_vote:
        return None

    if len(positional) > 1:
        return Unread("more than one tally in one sentence; give each vote its own")
    court = bool(words & COURT_WORDS)
    against_measure = False
    outcome_found = _outcome_words(reading)
    voted_to, _ = _voted_to(reading)
    yes = no = None
    if positional:
        members = positional[0]
        values = [reading.tokens[i].value for i in members]
        after = members[-1] + 1
        tail = reading.tokens[after].low if after < len(reading.tokens) else ""
        if tail == "against" and not court:
            against_measure = True
        if FOR in reading.counts or AGAINST in reading.counts:
            return Unread(
                "a bare tally and labelled counts for or against in one sentence"
            )
        if len(values) == 3:
            if ABSTAIN in reading.counts:
                return Unread(
                    "two counts of abstentions (the tally's third and a label)"
                )
            reading.counts[ABSTAIN] = values[2]
        first, second = values[0], values[1]
        outcome = _nearest_outcome(outcome_found, members[0])
        if voted_to == REJECTED:
            against_measure = True
        if court:
            yes, no = max(first, second), min(first, second)
        elif against_measure:
            yes, no = second, first
        elif outcome and outcome[1] == REJECTED and first > second and len(values) == 2:
            shortfall = bool(words & SHORTFALL_WORDS)
            if shortfall:
                yes, no = first, second
            elif outcome[2]:
                return Unread(
                    f"it failed {first:,}-{second:,}: say which count is for "
                    "and which against (or what the measure needed)"
                )
            else:
                # "rejected by 432 votes to 202": the larger side rejected it.
                yes, no = second, first
        else:
            yes, no = first, second
        start = reading.tokens[members[0]].start
        end = reading.tokens[members[-1]].end
    else:
        if FOR not in reading.counts or AGAINST not in reading.counts:
            missing = [
                _LABEL_NAMES[label]
                for label in (FOR, AGAINST)
                if label not in reading.counts
            ]
            return Unread(
                "no count "
                + " and no count ".join(f"'{m}'" for m in missing)
                + " could be read"
                + _unbound_note(reading)
            )
        yes, no = reading.counts[FOR], reading.counts[AGAINST]
        outcome = _nearest_outcome(outcome_found, min(reading.bound))
        bound = [reading.tokens[i] for i in reading.bound]
        start, end = min(t.start for t in bound), max(t.end for t in bound)
    if reading.problems:
        return Unread("; ".join(reading.problems))
    unbound = [
        i
        for i in counted
        if i not in reading.bound and _counts_voters(reading.tokens, i)
    ]
    if unbound:
        token = reading.tokens[unbound[0]]
        return Unread(
            f"the count '{token.text}' is not bound to a label (for, against, "
            "abstaining, not voting)"
        )

    if voted_to is not None:
        result = voted_to
    elif outcome is not None:
        result = outcome[1]
    else:
        result = None
    ties = {"deadlocked", "deadlock", "tied", "tie"}
    if words & ties and not court:
        result = REJECTED
    if against_measure and voted_to is None and outcome is None:
        result = REJECTED  # "voted 40 to 12 against the fee increase"
    if positional and result == ADOPTED and yes < no and not court:
        return Unread(
            f"the words say it was adopted, but the tally reads {yes:,} for and "
            f"{no:,} against"
        )
    return Tally(
        yes=yes,
        no=no,
        abstain=reading.counts.get(ABSTAIN, 0),
        not_voting=reading.counts.get(NOT_VOTING),
        outcome=None if court else result,
        stated_outcome=result,
        court=court,
        start=start,
        end=end,
    )


def _unbound_note(reading):
    free = [
        reading.tokens[i].text for i in _count_tokens(reading) if i not in reading.bound
    ]
    if free:
        return f"; unlabelled: {', '.join(free)}"
    return ""


def _nearest_outcome(found, position):
    """Return the deciding word nearest the counts, preferring one before them."""
    if not found:
        return None
    before = [item for item in found if item[0] < position]
    if before:
        return before[-1]
    return found[0]


# Who votes, never what was voted on: a subject made of these is the body.
VOTER_WORDS = COUNTED | {
    "court", "senate", "parliament", "congress", "legislature", "commission",
    "council", "assembly", "board", "committee", "house", "chamber", "panel",
    "bench", "jury", "cabinet", "government", "meeting", "conference", "synod",
    "caucus", "group", "they", "it", "who", "which", "ministers", "we",
}  # fmt: skip
TITLE_STOP = {
    "by", "with", "on", "in", "at", "after", "before", "from", "that", "when",
    "while", "as", "despite", "amid", "over", "following", "during", "and",
    "but", "which", "who", "for", "against", "unanimously", "late", "early",
    "yesterday", "today", "tonight", "last", "this", "so", "then", "thus",
}  # fmt: skip
AUXILIARIES = {"was", "were", "is", "are", "has", "have", "had", "been", "be",
               "being", "got", "narrowly", "finally", "also", "then", "not",
               "formally", "overwhelmingly", "easily", "again"}  # fmt: skip
DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "this", "that"}
VERB_WORDS = ADOPT_WORDS | REJECT_WORDS | {"voted", "ruled", "struck", "overturned",
                                           "reversed", "down", "out"}  # fmt: skip


def decided(text, tally=None):
    """Return what the sentence says was decided ("the budget", "resolution
    2728"), or "" where it does not say."""
    tokens = tokenize(text)
    _mask(tokens)
    verbs = [
        index
        for index, token in enumerate(tokens)
        if token.kind == "word" and token.low in VERB_WORDS - {"down", "out"}
    ]
    if not verbs:
        return ""
    verb = verbs[0]
    subject = _phrase_before(tokens, verb)
    if subject and not _names_voters(subject):
        return _join(text, subject)
    # "voted eight to one to approve the plan": the object of the to-verb.
    start = verb + 1
    for index in range(verb + 1, len(tokens) - 1):
        if tokens[index].low == "to" and tokens[index + 1].low in TO_ADOPT | TO_REJECT:
            start = index + 2
            break
        if tokens[index].kind == "punct":
            break
    while start < len(tokens) and tokens[start].low in ("down", "out", "to"):
        start += 1
    obj = _phrase_after(tokens, start)
    if obj and not _names_voters(obj):
        return _join(text, obj)
    return ""


def _phrase_before(tokens, verb):
    end = verb
    while end > 0 and tokens[end - 1].low in AUXILIARIES:
        end -= 1
    start = end
    while (
        start > 0
        and tokens[start - 1].kind in ("word", "symbol")
        or (start > 0 and tokens[start - 1].kind == "num" and tokens[start - 1].masked)
    ):
        if tokens[start - 1].low in TITLE_STOP - {"for", "against"}:
            break
        start -= 1
    return tokens[start:end]


def _phrase_after(tokens, start):
    end = start
    while end < len(tokens):
        token = tokens[end]
        if token.kind == "punct" and token.text in ("'", "’", "-"):
            end += 1
            continue
        if token.kind == "dash" and end > start and tokens[end - 1].kind == "word":
            end += 1
            continue
        if token.kind in ("punct", "dash"):
            break
        if token.kind == "num" and not token.masked:
            break
        if token.kind == "word" and token.low in TITLE_STOP | {"to"}:
            break
        end += 1
        if end - start >= 12:
            break
    return tokens[start:end]


def _names_voters(phrase):
    words = [t.low for t in phrase if t.kind == "word"]
    if not words:
        return True
    if words[-1] in VOTER_WORDS or words[-1].removesuffix("'s") in VOTER_WORDS:
        return True
    # A proper name alone ("Acme shareholders", "MPs", "Russia") is who voted.
    content = [t for t in phrase if t.low not in DETERMINERS]
    return (
        all(t.text[:1].isupper() for t in content)
        and phrase[0].low not in ("resolution",)
        and not any(t.kind in ("num", "symbol") for t in content)
    )


def _join(text, phrase):
    return text[phrase[0].start : phrase[-1].end].strip()

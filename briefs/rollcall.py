"""Read a roll call (how each member voted) from CSV, touching no database.

Columns are found by name, in any case: the member's code (`ms_code`,
`member_code`, `code`), name (`ms_name`, `member_name`, `member`, `name`) and
position (`ms_vote`, `position`, `vote`). The UN Digital Library's letters
(Y, N, A, and an empty cell for a member who did not vote) are read, and so are
words such as 'yes', 'aye', 'against', 'abstained', 'absent', 'not voting'.
Saving, with the check against the vote's counts, is
`briefs.services.roll_call_import`.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from .models.votes import Position, member_code_validator

CODE_COLUMNS = ("ms_code", "member_code", "code")
NAME_COLUMNS = ("ms_name", "member_name", "member", "name")
POSITION_COLUMNS = ("ms_vote", "position", "vote")
POSITION_WORDS = {
    Position.YES: {"y", "yes", "aye", "yea", "for", "in favour", "in favor"},
    Position.NO: {"n", "no", "nay", "against"},
    Position.ABSTAIN: {"a", "abstain", "abstained", "abstention", "withheld"},
    Position.ABSENT: {
        "",
        "x",
        "nv",
        "absent",
        "not voting",
        "did not vote",
        "non-voting",
    },
}
POSITION_OF = {word: key for key, words in POSITION_WORDS.items() for word in words}
CODE_LENGTH = 10


class RollCallError(ValueError):
    """A roll call that cannot be read, or that disagrees with its vote."""

    def __init__(self, filename, line, reason):
        self.filename, self.line, self.reason = filename, line, reason
        super().__init__(f"{filename}:{line}: {reason}")


@dataclass
class RollCallRow:
    line: int
    member_code: str
    member_name: str
    position: str


def _column(header, names):
    for name in names:
        if name in header:
            return header.index(name)
    return None


def code_from_name(name):
    """Return a member code made from a name: 'Ana Ruiz' -> 'ANA-RUIZ'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    code = re.sub(r"[^A-Z0-9]+", "-", ascii_name.upper()).strip("-")
    if not code or not code[0].isalpha():
        code = "M-" + code
    return code[:CODE_LENGTH].rstrip("-")


def parse_roll_call(data, filename="<csv>"):
    """Return the RollCallRows of CSV `data` (bytes or str), or raise
    RollCallError naming the line."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise RollCallError(filename, line, "not UTF-8 text") from None
    reader = csv.reader(io.StringIO(data.removeprefix("\ufeff")))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise RollCallError(filename, 1, "the file is empty") from None
    except csv.Error as error:
        raise RollCallError(filename, 1, f"not CSV ({error})") from None
    code_at = _column(header, CODE_COLUMNS)
    name_at = _column(header, NAME_COLUMNS)
    position_at = _column(header, POSITION_COLUMNS)
    if position_at is None or (code_at is None and name_at is None):
        raise RollCallError(
            filename,
            1,
            "the first line must name the columns: a member column "
            f"({', '.join(CODE_COLUMNS + NAME_COLUMNS)}) and a position column "
            f"({', '.join(POSITION_COLUMNS)})",
        )
    rows, seen, names = [], {}, set()
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            cells += [""] * (len(header) - len(cells))
            name = cells[name_at].strip() if name_at is not None else ""
            code = cells[code_at].strip().upper() if code_at is not None else ""
            if not code:
                if not name:
                    raise RollCallError(filename, line, "a row without a member")
                code = code_from_name(name)
                if code in seen and name not in names:
                    # Two names, one code ("Ana Ruiz", "Ana Ruiz-Diaz"): number it.
                    code = f"{code[: CODE_LENGTH - 3].rstrip('-')}-{len(rows) + 1}"
            names.add(name)
            try:
                member_code_validator(code)
            except Exception:
                raise RollCallError(
                    filename, line, f"'{code}' is not a member code"
                ) from None
            word = " ".join(cells[position_at].split()).lower()
            if word not in POSITION_OF:
                raise RollCallError(
                    filename,
                    line,
                    f"'{cells[position_at].strip()}' is not a position; use Y, N, "
                    "A or an empty cell (or yes, no, abstain, absent)",
                )
            if code in seen:
                raise RollCallError(
                    filename,
                    line,
                    f"{name or code} is listed twice (also on line {seen[code]})",
                )
            seen[code] = line
            rows.append(RollCallRow(line, code, name or code, POSITION_OF[word]))
    except csv.Error as error:
        raise RollCallError(filename, reader.line_num, f"not CSV ({error})") from None
    if not rows:
        raise RollCallError(filename, 1, "no members are listed")
    return rows

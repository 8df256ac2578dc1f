"""Server-rendered SVG charts of recorded votes: a tally bar and a seat chart.

The public templates draw them with `vote_chart` (briefs/jinja2.py), which
renders briefs/includes/vote_chart.html with `vote_chart_context`.
"""

import functools
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..models import Position, related

BAR_WIDTH = 400
HEMI_WIDTH = 400
HEMI_RADIUS = 190
HEMI_INNER = 0.38  # inner radius as a share of the outer one

# Order of the seats from left to right: yes on one side, no on the other.
SEAT_ORDER = [Position.YES, Position.ABSTAIN, Position.ABSENT, Position.NO]
UNKNOWN = "unknown"
LABELS = {
    Position.YES: "Yes",
    Position.NO: "No",
    Position.ABSTAIN: "Abstain",
    Position.ABSENT: "Not voting",
    UNKNOWN: "Not recorded",
}


@dataclass
class Segment:
    key: str
    label: str
    count: int
    x: float
    width: float

    @property
    def text_x(self):
        return self.x + self.width / 2

    @property
    def text(self):
        return f"{self.count:,}"

    @property
    def show_label(self):
        # A count fits inside its segment only when the segment is wide enough.
        return self.width >= 9 * len(self.text) + 6


@dataclass
class Seat:
    x: float
    y: float
    key: str
    label: str
    member: str = ""
    r: float = 4.0

    @property
    def corner(self):
        # Squares ('no') are drawn a little smaller than circles of the same r.
        return (round(self.x - self.r * 0.85, 2), round(self.y - self.r * 0.85, 2))

    @property
    def side(self):
        return round(self.r * 1.7, 2)

    @property
    def left(self):
        return self.corner[0]

    @property
    def top(self):
        return self.corner[1]


def tally(vote):
    """Return (key, label, count) for each of the four counts of `vote`."""
    counts = [
        (Position.YES, vote.yes),
        (Position.NO, vote.no),
        (Position.ABSTAIN, vote.abstain),
        (Position.ABSENT, vote.not_voting_count),
    ]
    return [(str(key), LABELS[key], count) for key, count in counts]


def bar_segments(vote, width=BAR_WIDTH):
    """Return the bar's segments, scaled so that the body's seats (or, where
    they are not known, the counts) fill `width`."""
    seats = max(vote.body.seats or 0, vote.recorded_total, 1)
    x = 0.0
    segments = []
    for key, label, count in tally(vote):
        share = width * count / seats
        segments.append(Segment(key, label, count, round(x, 2), round(share, 2)))
        x += share
    return segments


def row_count(seats):
    """Return how many rows of a hemicycle keep seats about as far apart as rows."""
    if seats <= 6:
        return 1
    # seats ~ pi * (sum of radii) / gap, for rows between HEMI_INNER and 1.
    factor = math.pi * (1 + HEMI_INNER) / 2 / (1 - HEMI_INNER)
    return max(1, math.floor((1 + math.sqrt(1 + 4 * seats / factor)) / 2))


@functools.cache
def seat_positions(seats):
    """Return (x, y) of `seats` seats in a hemicycle, ordered left to right."""
    rows = row_count(seats)
    if rows == 1:
        radii = [HEMI_RADIUS * (1 + HEMI_INNER) / 2]
    else:
        step = HEMI_RADIUS * (1 - HEMI_INNER) / (rows - 1)
        radii = [HEMI_RADIUS * HEMI_INNER + step * row for row in range(rows)]
    total = sum(radii)
    per_row = [round(seats * radius / total) for radius in radii]
    per_row[-1] += seats - sum(per_row)
    places = []
    for radius, count in zip(radii, per_row, strict=True):
        for index in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * index / (count - 1)
            places.append((angle, radius))
    cx, cy = HEMI_WIDTH / 2, HEMI_RADIUS + 10
    places.sort(key=lambda place: (-round(place[0], 6), place[1]))
    return tuple(
        (
            round(cx - radius * math.cos(math.pi - angle), 2),
            round(cy - radius * math.sin(angle), 2),
        )
        for angle, radius in places
    )


def seat_radius(seats):
    """Return a dot size that leaves room between neighbouring seats."""
    rows = row_count(seats)
    gap = HEMI_RADIUS * (1 - HEMI_INNER) / max(rows - 1, 1)
    mean_radius = HEMI_RADIUS * (1 + HEMI_INNER) / 2
    along = math.pi * mean_radius * rows / max(seats, 1)
    return round(min(gap, along, 24) * 0.42, 2)


def seat_chart(vote, positions):
    """Return one Seat per seat of the body, members grouped by position."""
    seats = max(vote.body.seats or 0, len(positions))
    by_position = {key: [] for key in SEAT_ORDER}
    for position in positions:
        by_position.setdefault(position.position, []).append(position)
    ordered = []
    for key in SEAT_ORDER:
        for position in by_position[key]:
            ordered.append(
                (str(key), LABELS[key], f"{position.member_name}: {LABELS[key]}")
            )
        if key == Position.ABSENT:
            ordered += [(UNKNOWN, LABELS[UNKNOWN], "")] * (seats - len(positions))
    r = seat_radius(seats)
    return [
        Seat(x, y, key, label, member, r)
        for (x, y), (key, label, member) in zip(
            seat_positions(seats), ordered, strict=True
        )
    ]


def members_by_position(positions):
    """Return (label, [members]) for each position with at least one member."""
    groups = []
    for key in [Position.YES, Position.NO, Position.ABSTAIN, Position.ABSENT]:
        members = [p for p in positions if p.position == key]
        if members:
            groups.append((LABELS[key], members))
    return groups


def seat_marks(seats):
    """Return the seat chart's shapes: a square per 'no', a circle otherwise.

    Built here rather than in a template loop: a General Assembly chart has
    193 of them, and this is the costliest part of a brief page.
    """
    marks = []
    for seat in seats:
        if seat.key == Position.NO:
            marks.append(
                f'<rect class="seat seat-no" x="{seat.left}" y="{seat.top}" '
                f'width="{seat.side}" height="{seat.side}">'
                f"<title>{escape(seat.member)}</title></rect>"
            )
        else:
            title = f"<title>{escape(seat.member)}</title>" if seat.member else ""
            marks.append(
                f'<circle class="seat seat-{escape(seat.key)}" cx="{seat.x}" '
                f'cy="{seat.y}" r="{seat.r}">{title}</circle>'
            )
    return Markup("\n".join(marks))


def member_names(members):
    """Return members as `<abbr>`s of their codes, separated by commas.

    Like `seat_marks`, built here: a General Assembly table lists 193.
    """
    return Markup(
        ", ".join(
            f'<abbr title="{escape(m.member_code)}">{escape(m.member_name)}</abbr>'
            for m in members
        )
    )


def vote_chart_context(vote):
    """Return what briefs/includes/vote_chart.html needs to draw `vote`."""
    positions = list(related(vote, "positions"))
    body = vote.body
    scale = max(body.seats or 0, vote.recorded_total, 1)
    needed = vote.yes_needed
    counts = tally(vote)
    described = ", ".join(f"{count:,} {label.lower()}" for _, label, count in counts)
    if body.seats is not None:
        described += f" of {body.seats:,} seats"
    if needed is not None:
        described += f"; {needed:,} yes votes were needed to pass ({vote.rule_text})."
    elif vote.rule_known:
        described += f"; nothing could pass under its rule ({vote.rule_text})."
    else:
        described += "; the rule that decided it is not recorded."
    needed_x = None
    if needed is not None:
        needed_x = round(BAR_WIDTH * min(needed, scale) / scale, 2)
    seat_list = seat_chart(vote, positions) if positions else []
    return {
        "vote": vote,
        "id": f"vote-{vote.pk}",
        "bar_width": BAR_WIDTH,
        "segments": bar_segments(vote),
        "counts": [(key, label, f"{count:,}") for key, label, count in counts],
        "needed": f"{needed:,}" if needed is not None else None,
        "needed_x": needed_x,
        "needed_anchor": "end"
        if needed_x is not None and needed_x > BAR_WIDTH * 0.7
        else "start",
        "description": described,
        "seats": seat_list,
        "seat_total": f"{len(seat_list):,}",
        "seat_marks": seat_marks(seat_list),
        "hemi_width": HEMI_WIDTH,
        "hemi_height": HEMI_RADIUS + 20,
        "centre_x": HEMI_WIDTH // 2,
        "centre_y": HEMI_RADIUS + 4,
        "groups": [
            (label, len(members), member_names(members))
            for label, members in members_by_position(positions)
        ],
        "has_unknown": body.seats is not None and len(positions) < body.seats,
    }

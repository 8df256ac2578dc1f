"""Exchange formats: votes as CSV with the UN Digital Library's column names, and
briefs as IPTC ninjs for syndication partners."""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from rest_framework.renderers import BaseRenderer

from ..images import ACCEPTED_FORMATS, media_url
from ..models import Position, lead_image
from .serializers import author_names, cited_sources, site_url

# One row per vote. The `total_*` names are the UN Digital Library's, so that a
# data desk can join our rows with UN voting records on `symbol` and `date`.
VOTE_COLUMNS = [
    "id",
    "symbol",
    "date",
    "body",
    "title",
    "vote_on",
    "required_share",
    "required_yes",
    "outcome",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "url",
]
# With `members=1`: one row per recorded member position ("long" format).
POSITION_COLUMNS = [
    "vote_id",
    "symbol",
    "date",
    "body",
    "title",
    "outcome",
    "ms_code",
    "ms_name",
    "ms_vote",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
]
# The UN library's letters; a member absent or not voting has an empty cell.
MS_VOTE = {
    Position.YES: "Y",
    Position.NO: "N",
    Position.ABSTAIN: "A",
    Position.ABSENT: "",
}


@dataclass
class Table:
    header: list
    rows: object  # an iterable of lists


def vote_totals(vote):
    seats = vote.body.seats
    not_voting = vote.not_voting
    if not_voting is None and seats is not None:
        # Not recorded: whatever the seats leave, as the UN library counts it.
        not_voting = max(seats - vote.yes - vote.no - vote.abstain, 0)
    # Unknown (no seats, nothing recorded) is an empty cell, not a zero.
    return [
        vote.yes,
        vote.no,
        vote.abstain,
        "" if not_voting is None else not_voting,
        "" if seats is None else seats,
    ]


def votes_table(votes, *, members=False):
    """Return the votes as a Table: one row per vote, or per member position."""
    if members:
        return Table(POSITION_COLUMNS, _position_rows(votes))
    return Table(VOTE_COLUMNS, _vote_rows(votes))


def _common(vote):
    return [
        vote.symbol,
        vote.date.isoformat() if vote.date else "",
        vote.body.slug,
        vote.title,
    ]


def _vote_rows(votes):
    for vote in votes:
        yield [
            vote.pk,
            *_common(vote),
            vote.vote_on,
            vote.required_share,
            vote.required_yes,
            vote.outcome,
            *vote_totals(vote),
            site_url(reverse("api:vote-detail", kwargs={"pk": vote.pk})),
        ]


def _position_rows(votes):
    for vote in votes:
        totals = vote_totals(vote)
        for position in vote.positions.all():
            yield [
                vote.pk,
                *_common(vote),
                vote.outcome,
                position.member_code,
                position.member_name,
                MS_VOTE[position.position],
                *totals,
            ]


# A cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets ("=HYPERLINK(...)", "@SUM(...)"), run when a journalist opens
# the file. Such text cells get a leading apostrophe, which spreadsheets hide
# and read as "this is text" (OWASP's advice on CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Return `value` such that no spreadsheet reads it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CSVRenderer(BaseRenderer):
    """Render a Table as CSV (RFC 4180, UTF-8, CRLF line ends).

    Text that a spreadsheet would run as a formula is defused (`spreadsheet_safe`);
    numbers are written as they are.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if not isinstance(data, Table):
            data = Table(["message"], [[str(data)]])
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(data.header)
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in data.rows)
        return buffer.getvalue().encode(self.charset)


NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
NINJS_STANDARD = {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA}


def brief_body_html(brief):
    """Return the brief's sections and bullets as escaped HTML."""
    parts = []
    for section in brief.sections.all():
        items = format_html_join(
            "",
            '<li data-attribution="{}">{}</li>',
            ((bullet.attribution, bullet.text) for bullet in section.bullets.all()),
        )
        parts.append(format_html("<h2>{}</h2><ul>{}</ul>", section.heading, items))
    return "".join(parts)


def brief_to_ninjs(brief):
    """Return a published brief as an IPTC ninjs 2.1 text item (a dict)."""
    item = _brief_item(brief)
    image = lead_image(brief)
    if image is not None:
        item["associations"] = [lead_image_association(brief, image)]
    return item


def _brief_item(brief):
    """Return the item without its image.

    Only properties the 2.1 schema defines: the page is a rendition, the
    slug an alternative id, and the cited sources are info sources.
    """
    url = f"{settings.SITE_URL}{brief.get_absolute_url()}"
    authors = author_names(brief)
    body = brief_body_html(brief)
    item = {
        "uri": brief.uuid.urn,
        "standard": NINJS_STANDARD,
        "type": "text",
        "representationtype": "full",
        "version": str(brief.version),
        "firstcreated": _iso(brief.first_published_at or brief.created_at),
        "versioncreated": _iso(brief.last_updated_at or brief.updated_at),
        "contentcreated": _iso(brief.created_at),
        "pubstatus": "usable",
        "language": settings.LANGUAGE_CODE.split("-")[0],
        "headlines": [{"role": "main", "value": brief.title}],
        "descriptions": [
            {"role": "summary", "contenttype": "text/plain", "value": brief.summary}
        ],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "charcount": len(body),
                "value": body,
            }
        ],
        "by": ", ".join(authors),
        "people": [{"name": name, "rel": "author"} for name in authors],
        "subjects": [
            {
                "name": topic.name,
                "uri": f"{settings.SITE_URL}{topic.get_absolute_url()}",
            }
            for topic in brief.topics.all()
        ],
        "infosources": [
            {"name": source.title, "uri": source.web_url}
            for source in cited_sources(brief)
            if source.web_url
        ],
        "slugline": brief.slug,
        "altids": [{"role": "slug", "value": brief.slug}],
        "renditions": [{"name": "page", "href": url, "contenttype": "text/html"}],
    }
    if brief.is_embargoed:
        item["embargoed"] = _iso(brief.embargo_until)
    return item


def withdrawal_to_ninjs(withdrawal):
    """Return the tombstone of a withdrawn brief as a canceled ninjs item."""
    return {
        "uri": withdrawal.uuid.urn,
        "standard": NINJS_STANDARD,
        "type": "text",
        "representationtype": "partial",
        "versioncreated": _iso(withdrawal.withdrawn_at),
        "pubstatus": "canceled",
        "slugline": withdrawal.slug,
        "altids": [{"role": "slug", "value": withdrawal.slug}],
    }


def lead_image_association(brief, image):
    """Return the ninjs 2.x association of a brief's lead image: a picture
    item with its renditions, alt text, caption and credit."""
    renditions = image.renditions or [
        {
            "name": image.file.name,
            "width": image.width,
            "height": image.height,
            "content_type": _original_type(image.file.name),
            "format": "original",
        }
    ]
    association = {
        "name": "leadimage",
        # The picture is identified by its original, which never changes
        # under its name (a new upload gets a new one).
        "uri": media_url(image.file.name),
        "type": "picture",
        "representationtype": "full",
        "renditions": [
            {
                "name": f"{r['format']}-{r['width']}",
                "href": media_url(r["name"]),
                "contenttype": r["content_type"],
                "width": r["width"],
                "height": r["height"],
            }
            for r in renditions
        ],
        "descriptions": [
            {"role": "alternative", "contenttype": "text/plain", "value": image.alt}
        ],
    }
    if image.caption:
        association["descriptions"].append(
            {"role": "caption", "contenttype": "text/plain", "value": image.caption}
        )
    if image.credit:
        association["by"] = image.credit
        association["copyrightnotice"] = image.credit
    return association


def _original_type(name):
    extension = name.rsplit(".", 1)[-1]
    return next(
        (kind for kind, ext in ACCEPTED_FORMATS.values() if ext == extension),
        "application/octet-stream",
    )


def _iso(value):
    return value.isoformat() if value else None

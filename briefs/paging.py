"""Newest-first pages of briefs that cost the same at page 1 and page 5,000.

A page is found from where the previous one ended (`?before=`) or the next
one began (`?after=`), never by counting or skipping rows: no `COUNT(*)`, no
`OFFSET`. A position is the publication time in microseconds and the id,
`1795000000123456-42`; anything else in those parameters is a 404, as a page
number past the end would be.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.http import Http404
from django.utils.http import urlencode

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_position(brief):
    moment = brief.published_at - EPOCH
    micros = (moment.days * 86400 + moment.seconds) * 1_000_000 + moment.microseconds
    return f"{micros}-{brief.pk}"


def decode_position(text):
    micros, sep, pk = text.partition("-")
    if not sep or not micros.isdigit() or not pk.isdigit() or len(micros) > 18:
        raise Http404("That page of briefs does not exist.")
    return EPOCH + timedelta(microseconds=int(micros)), int(pk)


@dataclass
class BriefPage:
    items: list
    newer_query: str | None = None
    older_query: str | None = None
    is_first: bool = True
    # The query string of this page itself, for its canonical link.
    own_query: str = ""

    @property
    def has_other_pages(self):
        return self.newer_query is not None or self.older_query is not None


def _query(extra, **position):
    params = {**extra, **position}
    return "?" + urlencode(params) if params else ""


def brief_page(queryset, params, per_page=20, keep=()):
    """Return the `BriefPage` that `params` (request.GET) asks for.

    `queryset` holds published briefs; `keep` names the query parameters the
    page links carry along (a search's `q`).
    """
    extra = {name: params[name] for name in keep if params.get(name)}
    before, after = params.get("before"), params.get("after")
    if before and after:
        raise Http404("A page of briefs is either before or after a brief.")
    newest_first = queryset.order_by("-published_at", "-id")
    if after:
        moment, pk = decode_position(after)
        later = Q(published_at__gt=moment) | Q(published_at=moment, id__gt=pk)
        rows = list(
            queryset.filter(later).order_by("published_at", "id")[: per_page + 1]
        )
        if len(rows) > per_page:
            items = rows[:per_page][::-1]
            return BriefPage(
                items,
                newer_query=_query(extra, after=encode_position(items[0])),
                older_query=_query(extra, before=encode_position(items[-1])),
                is_first=False,
                own_query=_query(extra, after=after),
            )
        # Nothing newer than a full page: that is the first page.
        before = None
    if before:
        moment, pk = decode_position(before)
        earlier = Q(published_at__lt=moment) | Q(published_at=moment, id__lt=pk)
        rows = list(newest_first.filter(earlier)[: per_page + 1])
        items = rows[:per_page]
        return BriefPage(
            items,
            newer_query=_query(extra, after=encode_position(items[0]))
            if items
            else _query(extra),
            older_query=_query(extra, before=encode_position(items[-1]))
            if len(rows) > per_page
            else None,
            is_first=False,
            own_query=_query(extra, before=before),
        )
    rows = list(newest_first[: per_page + 1])
    items = rows[:per_page]
    return BriefPage(
        items,
        older_query=_query(extra, before=encode_position(items[-1]))
        if len(rows) > per_page
        else None,
        own_query=_query(extra),
    )

"""Full-text search over published briefs.

PostgreSQL ranks matches with its full-text search over the stored, weighted
`Brief.search_vector` (GIN-indexed, migration 0006; kept in the row, migration
0009). Other databases fall back to a plain case-insensitive match of every
word, titles first. Both start from the briefs readers see.

So that a common word costs no more than a rare one, only the newest matches
(SEARCH_CANDIDATES of them) are ranked, in one ORM query that returns their
ids, best first, and nothing else: PostgreSQL walks the briefs newest first and
stops at the last candidate when a word is common, and reads the GIN index when
it is rare. So the number of results is known without counting, and only the
briefs of the page asked for are read.
"""

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from .models import Brief
from .models.briefs import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
# How many of the newest matches are ranked; results stop there. 15 pages of
# 20: few readers page further, and a search costs the same at 1,000 briefs
# as at 100,000 (a common word matches about 300 of 1,000 generated briefs).
SEARCH_CANDIDATES = 300


def clean_query(text):
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


def search_briefs(text, queryset=None):
    """Return the published briefs matching `text`, best matches first.

    The result is a sequence of briefs (`SearchResults`); `queryset` is where
    they are looked for and how they are read (with its prefetches).
    """
    text = clean_query(text)
    queryset = Brief.objects.published() if queryset is None else queryset
    if not text:
        return SearchResults([], queryset)
    newest = (
        ranked_matches(queryset, text)
        .order_by("-published_at", "-id")
        .values("pk")[:SEARCH_CANDIDATES]
    )
    # One query: the newest matches, ranked; among briefs that rank alike the
    # newer comes first. Only their ids come back.
    best = (
        ranked_matches(queryset.filter(pk__in=newest), text)
        .prefetch_related(None)
        .order_by("-rank", "-published_at", "-id")
        .values_list("pk", flat=True)
    )
    return SearchResults(list(best), queryset)


def matching_briefs(text, queryset):
    """Return the briefs of `queryset` that search finds for `text`, unordered.

    For lists that choose their own order (the API); they hold the same
    briefs as `search_briefs`.
    """
    text = clean_query(text)
    if not text:
        return queryset.none()
    newest = ranked_matches(queryset, text).order_by("-published_at", "-id")
    return queryset.filter(pk__in=newest.values("pk")[:SEARCH_CANDIDATES])


def ranked_matches(queryset, text):
    """Return the briefs of `queryset` matching `text`, annotated with `rank`."""
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    return fallback_matches(queryset, text)


def fallback_matches(queryset, text):
    """Match every word (a leading '-' leaves a word out); titles rank first."""
    wanted, unwanted = [], []
    for word in text.replace('"', " ").split():
        if word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:])
        elif word != "-":
            wanted.append(word)
    if not wanted:
        return queryset.none().annotate(rank=Value(0))
    matches, in_title, in_summary = Q(), Q(), Q()
    for word in wanted:
        matches &= Q(search_document__icontains=word)
        in_title &= Q(title__icontains=word)
        in_summary &= Q(summary__icontains=word)
    for word in unwanted:
        matches &= ~Q(search_document__icontains=word)
    rank = Case(
        When(in_title, then=Value(3)),
        When(in_summary, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.filter(matches).annotate(rank=rank)


class SearchResults(Sequence):
    """Briefs found by a search, best first, read from the database by slices.

    Its length is known without a query, so a Paginator pages it with one
    query for the briefs of the page (and one per prefetch).
    """

    def __init__(self, ids, queryset):
        self.ids = ids
        self.queryset = queryset

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._read(self.ids[index])
        return self._read([self.ids[index]])[0]

    def __iter__(self):
        return iter(self._read(self.ids))

    def _read(self, ids):
        if not ids:
            return []
        # The search text and its vector are large and no page shows them.
        briefs = self.queryset.defer("search_document", "search_vector")
        by_id = briefs.in_bulk(ids)
        # A brief unpublished since the ids were read is left out.
        return [by_id[pk] for pk in ids if pk in by_id]

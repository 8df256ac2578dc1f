"""Full-text search over published briefs.

PostgreSQL ranks matches with its full-text search, served by a GIN index on
`search_document` (see migration 0003); other databases fall back to a plain
case-insensitive match of every word, titles first. Both start from the
briefs readers see.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from .models import Brief

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200

# The index in migration 0003 is built on this very expression; a query uses
# the index only when it repeats it exactly.
INDEXED_VECTOR = SearchVector("search_document", config=SEARCH_CONFIG)


def search_briefs(text, queryset=None):
    """Return published briefs matching `text`, best matches first."""
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    queryset = Brief.objects.published() if queryset is None else queryset
    if not text:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        weighted = (
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
            + SearchVector("search_document", weight="C", config=SEARCH_CONFIG)
        )
        return (
            queryset.annotate(search_vector=INDEXED_VECTOR)
            .filter(search_vector=query)
            .annotate(rank=SearchRank(weighted, query))
            .order_by("-rank", "-published_at", "-id")
        )
    return fallback_search(queryset, text)


def fallback_search(queryset, text):
    """Match every word (a leading '-' leaves a word out); titles rank first."""
    wanted, unwanted = [], []
    for word in text.replace('"', " ").split():
        if word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:])
        elif word != "-":
            wanted.append(word)
    if not wanted:
        return queryset.none()
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
    return (
        queryset.filter(matches)
        .annotate(rank=rank)
        .order_by("-rank", "-published_at", "-id")
    )

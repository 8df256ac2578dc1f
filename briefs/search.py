"""Full-text search over published briefs.

PostgreSQL ranks matches with its full-text search, served by a GIN index on
`search_document` (see migration 0003); other databases fall back to a plain
case-insensitive match of every word. Both start from the briefs readers see.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

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
    matches = Q()
    for word in text.split():
        matches &= Q(search_document__icontains=word)
    return queryset.filter(matches).order_by("-published_at", "-id")

"""Full-text search over published briefs.

PostgreSQL ranks matches with its full-text search over the stored, weighted
`Brief.search_vector` (GIN-indexed, migration 0006). So that a common word
costs no more than a rare one, only the newest matches (SEARCH_CANDIDATES of
them) are ranked. Other databases fall back to a plain case-insensitive match
of every word, titles first. Both start from the briefs readers see.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from .models import Brief
from .models.briefs import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
# How many of the newest matches are ranked; results stop there.
SEARCH_CANDIDATES = 1000


def search_briefs(text, queryset=None):
    """Return published briefs matching `text`, best matches first."""
    text = " ".join((text or "").split())[:MAX_QUERY_LENGTH]
    queryset = Brief.objects.published() if queryset is None else queryset
    if not text:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return (
            queryset.filter(pk__in=newest_matches(queryset.filter(search_vector=query)))
            .annotate(rank=SearchRank(F("search_vector"), query))
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
        queryset.filter(pk__in=newest_matches(queryset.filter(matches)))
        .annotate(rank=rank)
        .order_by("-rank", "-published_at", "-id")
    )


def newest_matches(matches):
    """Return the ids of the newest SEARCH_CANDIDATES briefs in `matches`."""
    return matches.order_by("-published_at", "-id").values("pk")[:SEARCH_CANDIDATES]

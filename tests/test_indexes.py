import pytest
from django.db import connection

from briefs.models import Brief, Bullet, Section, Source, Vote, VotePosition

# Every public filter and ordering, as the columns an index must start with.
PUBLIC_ACCESS_PATHS = [
    (Brief, ["status", "published_at", "id"]),  # lists, feeds, API, keyset pages
    (Brief, ["updated_at", "id"]),  # partners syncing what changed since
    (Brief, ["slug"]),
    (Brief.topics.through, ["topic_id"]),  # topic pages
    (Section, ["brief_id", "position"]),
    (Bullet, ["section_id", "position"]),
    (Bullet.sources.through, ["bullet_id"]),
    (Brief.sources.through, ["source_id"]),  # is a source public?
    (Brief.votes.through, ["vote_id"]),  # is a vote public?
    (VotePosition, ["vote_id"]),
    (Vote, ["date", "id"]),
    (Vote, ["body_id", "date", "id"]),
    (Vote, ["outcome", "date", "id"]),
    (Source, ["title", "id"]),
    (Source, ["publisher", "title", "id"]),
]


def indexed_column_lists(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "columns"),
    PUBLIC_ACCESS_PATHS,
    ids=[f"{m._meta.db_table}({','.join(c)})" for m, c in PUBLIC_ACCESS_PATHS],
)
def test_each_public_filter_and_ordering_has_an_index(model, columns):
    assert any(
        indexed[: len(columns)] == columns for indexed in indexed_column_lists(model)
    ), indexed_column_lists(model)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "column"),
    [(Section, "brief_id"), (Bullet, "section_id"), (VotePosition, "vote_id")],
)
def test_big_tables_carry_no_index_that_a_wider_one_already_serves(model, column):
    # Each index slows the millions of inserts; a composite one serves both.
    assert [column] not in indexed_column_lists(model)

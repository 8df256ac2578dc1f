"""Render generated briefs from the generator's own rows, in worker processes.

Reading a batch of new briefs back through the ORM to render them costs more
than making them. The generator already holds every row, so this module builds
model instances from those rows, linked the way `rendering.page_queryset` and
`rendering.api_prefetches` link them (the lists `prefetch()` fills, in the
same orders), and hands them to the site's own rendering functions: the
renderings are the ones `render_briefs` would store (`tests/test_generator.py`
compares them).

The work runs in forked worker processes while the generator makes and saves
the next batch. Workers never touch the database: everything they need is in
the batch they are sent, and a query in a worker is an error.
"""

import multiprocessing
import operator

from django.db import DEFAULT_DB_ALIAS, connection, connections

from .. import rendering
from ..models import (
    Body,
    Brief,
    Bullet,
    Correction,
    Section,
    Source,
    Topic,
    Vote,
    VotePosition,
)
from ..models.images import LEAD_IMAGE
from ..models.prefetch import held_as

# Briefs per task sent to a worker: small enough to share a batch out evenly.
CHUNK = 50
# Text columns whose order is the database's collation, not Python's.
COLLATED = {Topic: "name", Source: "title", VotePosition: "member_name"}


def database_order(values):
    """Return {value: rank} in the order the database sorts these strings."""
    values = sorted(set(values))
    if connection.vendor == "postgresql" and values:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT value FROM unnest(%s::text[]) AS value ORDER BY value", [values]
            )
            values = [row[0] for row in cursor.fetchall()]
    return {value: rank for rank, value in enumerate(values)}


class Batch:
    """The rows of a batch that its renderings need, ready to send to a worker."""

    def __init__(self, rows, sources, votes, positions):
        self.briefs = rows[Brief]
        self.sections = rows[Section]
        self.bullets = rows[Bullet]
        self.corrections = rows[Correction]
        self.brief_topics = rows[Brief.topics.through]
        self.brief_sources = rows[Brief.sources.through]
        self.brief_votes = rows[Brief.votes.through]
        self.bullet_sources = rows[Bullet.sources.through]
        # New and reused ones alike: a brief may cite a source of an earlier batch.
        self.sources = sources
        self.votes = votes
        self.positions = positions
        self.ranks = {
            Source: database_order(row["title"] for row in sources),
            VotePosition: database_order(row["member_name"] for row in positions),
        }

    def chunks(self, size):
        """Split the batch into smaller ones of `size` briefs each.

        Each holds only its own briefs' rows: a worker builds every row it is
        sent, and whole batches sent with each chunk cost more than rendering.
        """
        sections = group(self.sections, "brief_id")
        bullets = group(self.bullets, "section_id")
        cites = group(self.bullet_sources, "bullet_id")
        links = {
            name: group(getattr(self, name), "brief_id")
            for name in ("corrections", "brief_topics", "brief_sources", "brief_votes")
        }
        sources = {row["id"]: row for row in self.sources}
        votes = {row["id"]: row for row in self.votes}
        positions = group(self.positions, "vote_id")
        for start in range(0, len(self.briefs), size):
            part = object.__new__(Batch)
            part.briefs = self.briefs[start : start + size]
            ids = [row["id"] for row in part.briefs]
            part.sections = [row for pk in ids for row in sections.get(pk, ())]
            part.bullets = [
                row
                for section in part.sections
                for row in bullets.get(section["id"], ())
            ]
            part.bullet_sources = [
                row for bullet in part.bullets for row in cites.get(bullet["id"], ())
            ]
            for name, grouped in links.items():
                setattr(part, name, [row for pk in ids for row in grouped.get(pk, ())])
            source_ids = {row["source_id"] for row in part.brief_sources}
            source_ids.update(row["source_id"] for row in part.bullet_sources)
            part.sources = [sources[pk] for pk in sorted(source_ids)]
            vote_ids = sorted({row["vote_id"] for row in part.brief_votes})
            part.votes = [votes[pk] for pk in vote_ids]
            part.positions = [row for pk in vote_ids for row in positions.get(pk, ())]
            part.ranks = {
                Source: {
                    row["title"]: self.ranks[Source][row["title"]]
                    for row in part.sources
                },
                VotePosition: {
                    row["member_name"]: self.ranks[VotePosition][row["member_name"]]
                    for row in part.positions
                },
            }
            yield part


class Builder:
    """Makes linked model instances from rows: what `page_queryset` would fetch."""

    def __init__(self, topics, bodies):
        self.defaults = {}
        self.topics = {topic.pk: topic for topic in topics}
        self.bodies = {body.pk: body for body in bodies}
        self.ranks = {Topic: database_order(topic.name for topic in topics)}
        self.keys = {}

    def instance(self, model, row):
        """Return a `model` instance holding `row`'s values, as if read from the
        database (columns the row lacks hold their defaults)."""
        if model not in self.defaults:
            self.defaults[model] = [
                (field.attname, field.get_default())
                for field in model._meta.concrete_fields
            ]
        columns = self.defaults[model]
        values = [row.get(name, default) for name, default in columns]
        return model.from_db(DEFAULT_DB_ALIAS, [name for name, _ in columns], values)

    def prefetched(self, owner, name, model, objs, ordering=None):
        """Give `owner` the list of relation `name`, as `prefetch(name)` would."""
        objs = list(objs)
        if len(objs) > 1:
            for key, reverse in self.sort_keys(model, ordering or model._meta.ordering):
                objs.sort(key=key, reverse=reverse)
        setattr(owner, held_as(name), objs)

    def sort_keys(self, model, ordering):
        """Return (key, reverse) pairs that sort by `ordering`, last field first."""
        if (model, tuple(ordering)) in self.keys:
            return self.keys[model, tuple(ordering)]
        keys = self.keys[model, tuple(ordering)] = []
        for field in reversed(ordering):
            name = field.lstrip("-")
            key = operator.attrgetter(model._meta.get_field(name).attname)
            if COLLATED.get(model) == name:
                key = ranked(self.ranks, model, key)
            keys.append((key, field.startswith("-")))
        return keys

    def briefs(self, batch):
        """Return the batch's briefs with all their content linked."""
        self.ranks.update(batch.ranks)
        sources = {row["id"]: self.instance(Source, row) for row in batch.sources}
        positions = group(batch.positions, "vote_id")
        votes = {}
        for row in batch.votes:
            vote = self.instance(Vote, row)
            vote.body = self.bodies[vote.body_id]
            self.prefetched(
                vote,
                "positions",
                VotePosition,
                (self.instance(VotePosition, p) for p in positions.get(vote.pk, ())),
            )
            votes[vote.pk] = vote

        wanted = {row["id"] for row in batch.briefs}
        sections = group(
            (row for row in batch.sections if row["brief_id"] in wanted), "brief_id"
        )
        section_ids = {row["id"] for rows in sections.values() for row in rows}
        bullets = group(
            (row for row in batch.bullets if row["section_id"] in section_ids),
            "section_id",
        )
        cites = group(batch.bullet_sources, "bullet_id")
        links = {
            name: group((r for r in rows if r["brief_id"] in wanted), "brief_id")
            for name, rows in (
                ("topics", batch.brief_topics),
                ("sources", batch.brief_sources),
                ("votes", batch.brief_votes),
                ("corrections", batch.corrections),
            )
        }

        made = []
        for row in batch.briefs:
            brief = self.instance(Brief, row)
            pk = brief.pk
            self.prefetched(
                brief,
                "topics",
                Topic,
                (self.topics[r["topic_id"]] for r in links["topics"].get(pk, ())),
            )
            self.prefetched(brief, "authors", Brief.authors.field.related_model, ())
            # Generated briefs have no lead image.
            setattr(brief, held_as(LEAD_IMAGE), None)
            self.prefetched(
                brief,
                "sources",
                Source,
                (sources[r["source_id"]] for r in links["sources"].get(pk, ())),
            )
            corrections = links["corrections"].get(pk, ())
            self.prefetched(
                brief,
                "corrections",
                Correction,
                (self.instance(Correction, row) for row in corrections),
            )
            brief_sections = []
            for section_row in sections.get(pk, ()):
                section = self.instance(Section, section_row)
                section_bullets = []
                for bullet_row in bullets.get(section.pk, ()):
                    bullet = self.instance(Bullet, bullet_row)
                    self.prefetched(
                        bullet,
                        "sources",
                        Source,
                        (sources[r["source_id"]] for r in cites.get(bullet.pk, ())),
                    )
                    section_bullets.append(bullet)
                self.prefetched(section, "bullets", Bullet, section_bullets)
                brief_sections.append(section)
            self.prefetched(brief, "sections", Section, brief_sections)
            brief.linked_votes = [
                votes[r["vote_id"]] for r in links["votes"].get(pk, ())
            ]
            made.append(brief)
        return made

    def render(self, batch):
        """Return {brief id: (page, API detail, API list item, card)} for the batch."""
        made = {}
        for brief in self.briefs(batch):
            self.prefetched(
                brief, "votes", Vote, brief.linked_votes, rendering.PAGE_VOTE_ORDER
            )
            page = rendering.render_page(brief)
            # The page numbered the bullets' citations; the API orders votes its way.
            self.prefetched(brief, "votes", Vote, brief.linked_votes)
            made[brief.pk] = (
                page,
                rendering.render_api_detail(brief),
                rendering.render_api_item(brief),
                rendering.render_card(brief),
            )
        return made


def ranked(ranks, model, value):
    """Return a sort key: the rank of `value(obj)` in the database's order
    (looked up when sorting, as each batch brings its own ranks)."""
    return lambda obj: ranks[model][value(obj)]


def group(rows, key):
    grouped = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


# Worker processes ------------------------------------------------------------

_builder = None


def _refuse_queries(execute, sql, params, many, context):
    raise RuntimeError("A render worker must not query the database.")


def _start_worker(builder):
    global _builder
    _builder = builder
    # The connections came with the fork: they belong to the parent.
    for alias in connections:
        connections[alias].execute_wrappers.append(_refuse_queries)


def _render_chunk(batch):
    return _builder.render(batch)


class Renderer:
    """Renders batches in `processes` forked workers (0: in this process).

    `submit(batch)` starts rendering and returns a function that waits for
    the result.
    """

    def __init__(self, processes):
        topics = list(Topic.objects.all())
        bodies = list(Body.objects.all())
        self.builder = Builder(topics, bodies)
        self.pool = None
        if processes:
            context = multiprocessing.get_context("fork")
            # Forked workers inherit the builder as it is: no copy is sent.
            self.pool = context.Pool(
                processes, initializer=_start_worker, initargs=(self.builder,)
            )

    def submit(self, batch):
        if self.pool is None:
            made = self.builder.render(batch)
            return lambda: made
        pending = self.pool.map_async(_render_chunk, list(batch.chunks(CHUNK)))

        def result():
            made = {}
            for part in pending.get():
                made.update(part)
            return made

        return result

    def close(self):
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None and exc[0] is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        self.close()

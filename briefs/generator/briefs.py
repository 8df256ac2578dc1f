"""The generator: briefs shaped like real ones, made and saved batch by batch.

The briefs have the shape of real ones (5-8 sections of 2-4 bullets, 0-3 votes,
3-8 sources, 1-3 topics) and are written from word lists in our own words. They
are saved in batches, one transaction each (through COPY on PostgreSQL), so that
100,000 of them take about two minutes and the memory in use stays flat.
"""

import contextlib
import datetime
import random
import string
import uuid
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.utils import timezone
from django.utils.text import slugify

from briefs import changes

from ..models import (
    Attribution,
    Body,
    Brief,
    BriefRendering,
    Bullet,
    Correction,
    Outcome,
    Position,
    Section,
    Share,
    Source,
    Topic,
    Vote,
    VoteOn,
    VotePosition,
)
from ..models.briefs import weighted_search_vector
from ..rendering import current_stamp
from ..statistics import analyze
from .render import Batch, Renderer
from .rows import (
    BriefSource,
    BriefTopic,
    BriefVote,
    BulletSource,
    insert_rows,
    make_unique,
    reserve_ids,
)
from .words import (
    ACTORS,
    ALLEGED,
    CLAIMS,
    CORRECTIONS,
    HEADINGS,
    ISSUES,
    MEASURES,
    OPENERS,
    PLACES,
    PUBLISHERS,
    REPORTED,
    SOURCE_KINDS,
    SUMMARY_SENTENCES,
    TITLE_VERBS,
    TOPICS,
    UN_MEMBERS,
    VERBS,
)

# How content is spread; the shares follow the demo briefs.
SECTIONS_PER_BRIEF = (5, 8)
BULLETS_PER_SECTION = (2, 4)
SOURCES_PER_BRIEF = (3, 8)
TOPICS_PER_BRIEF = (1, 3)
VOTES_PER_BRIEF = (0, 1, 2, 3)
VOTES_PER_BRIEF_WEIGHTS = (35, 35, 20, 10)
SHARE_WITH_POSITIONS = 0.1  # of new votes; a General Assembly one adds 193 rows
SHARE_REUSED_VOTE = 0.15
SHARE_REUSED_SOURCE = 0.3
SHARE_DRAFT = 0.02
SHARE_SCHEDULED = 0.01
SHARE_CORRECTED = 0.03
RECENT_POOL = 500


# The tables a batch fills, in the order they are filled.
BATCH_MODELS = (Source, Brief, Vote, VotePosition, Section, Bullet) + (
    Correction,
    BriefTopic,
    BriefSource,
    BriefVote,
    BulletSource,
)


@dataclass
class GenerationStats:
    briefs: int = 0
    sections: int = 0
    bullets: int = 0
    votes: int = 0
    positions: int = 0
    sources: int = 0
    corrections: int = 0

    def add(self, other):
        for field in fields(self):
            setattr(
                self, field.name, getattr(self, field.name) + getattr(other, field.name)
            )

    def __str__(self):
        return ", ".join(
            f"{getattr(self, field.name):,} {field.name}" for field in fields(self)
        )


class BriefGenerator:
    """Make `count` synthetic briefs in batches; the same seed makes the same briefs.

    Publication times spread evenly over `span_days` before `end` (now by
    default), in the order the briefs are made; a few are drafts or scheduled.
    Rows are plain dicts with their ids reserved up front, so that PostgreSQL
    can take them through COPY; other databases get `bulk_create`.
    """

    def __init__(
        self,
        *,
        seed=None,
        batch_size=1000,
        span_days=3650,
        end=None,
        render=True,
        processes=0,
    ):
        self.random = random.Random(seed)
        self.render = render
        self.processes = processes
        self.batch_size = batch_size
        self.end = end or timezone.now().replace(second=0, microsecond=0)
        self.span = datetime.timedelta(days=span_days)
        self.recent_sources = []
        self.recent_votes = []
        # The rows of the recent sources and votes, which later briefs may
        # cite: their renderings need them.
        self.source_rows = {}
        self.vote_rows = {}
        self.position_rows = {}
        self.reserved = {}  # the last id reserved, per model

    def generate(self, count, *, progress=None, dry_run=False):
        """Save `count` briefs; call `progress(done, count)` after each batch.

        Batches overlap: while one is being rendered (in `processes` worker
        processes, or here if none), the next is made and the one before is
        saved, with its renderings, in one transaction.
        """
        self.topic_ids = self._topic_ids()
        bodies = Body.objects.prefetch_related("permanent_members")
        bodies = {body.slug: body for body in bodies}
        self.assembly = bodies["un-general-assembly"]
        self.council = bodies["un-security-council"]
        permanent = self.council.permanent_codes()
        self.council_permanent = [m for m in UN_MEMBERS if m[0] in permanent]
        self.council_elected = [m for m in UN_MEMBERS if m[0] not in permanent]
        stats = GenerationStats()
        done = made = 0
        unsaved = None
        # On an error, leaving the block stops the workers at once, where
        # closing the pool would wait for the batch they are rendering.
        with (
            Renderer(self.processes) if self.render else contextlib.nullcontext()
        ) as renderer:
            while made < count or unsaved:
                batch = None
                if made < count:
                    size = min(self.batch_size, count - made)
                    rows = self._make_batch(made, size, count, unsaved)
                    rendered = None
                    if renderer:
                        rendered = renderer.submit(self._to_render(rows))
                    batch = (rows, rendered)
                    made += size
                    if dry_run:
                        # Nothing is kept, so nothing can be cited again.
                        self.recent_sources, self.recent_votes = [], []
                if unsaved:
                    stats.add(self._save_batch(*unsaved, dry_run=dry_run))
                    done += len(unsaved[0][Brief])
                    if progress:
                        progress(done, count)
                unsaved = batch
        # The briefs are stored with their renderings: only the pages go.
        changes.send(changes.BriefsChanged(frozenset(), public=True))
        if not dry_run:
            filled = (*BATCH_MODELS, BriefRendering, Topic)
            analyze(model._meta.db_table for model in filled)
        return stats

    def _topic_ids(self):
        Topic.objects.bulk_create(
            [Topic(slug=slug, name=name) for slug, name in TOPICS.items()],
            ignore_conflicts=True,
        )
        return list(
            Topic.objects.filter(slug__in=TOPICS)
            .order_by("slug")
            .values_list("pk", flat=True)
        )

    # One batch --------------------------------------------------------------

    def _make_batch(self, first, size, count, unsaved):
        """Return the rows of briefs `first` to `first + size`, not yet saved."""
        r = self.random
        self.now = timezone.now()
        rows = {model: [] for model in BATCH_MODELS}
        with transaction.atomic():
            self.ids = {
                model: iter(self._reserve(model, n))
                for model, n in (
                    (Brief, size),
                    (Source, size * SOURCES_PER_BRIEF[1]),
                    (Vote, size * max(VOTES_PER_BRIEF)),
                    (Section, size * SECTIONS_PER_BRIEF[1]),
                    (Bullet, size * SECTIONS_PER_BRIEF[1] * BULLETS_PER_SECTION[1]),
                )
            }
        for index in range(first, first + size):
            issue, place = r.choice(ISSUES), r.choice(PLACES)
            brief = self._brief(index, count, issue, place)
            rows[Brief].append(brief)
            for topic_id in r.sample(self.topic_ids, r.randint(*TOPICS_PER_BRIEF)):
                rows[BriefTopic].append({"brief_id": brief["id"], "topic_id": topic_id})

            cited = []
            for _ in range(r.randint(*SOURCES_PER_BRIEF)):
                if self.recent_sources and r.random() < SHARE_REUSED_SOURCE:
                    source_id = r.choice(self.recent_sources)
                else:
                    source = self._source(brief, issue, place)
                    rows[Source].append(source)
                    source_id = source["id"]
                if source_id not in cited:
                    cited.append(source_id)
            rows[BriefSource].extend(
                {"brief_id": brief["id"], "source_id": s} for s in cited
            )

            for vote_id in self._votes_for(brief, issue, place, rows):
                rows[BriefVote].append({"brief_id": brief["id"], "vote_id": vote_id})

            searchable = [brief["title"], brief["summary"]]
            headings = r.sample(HEADINGS, r.randint(*SECTIONS_PER_BRIEF))
            for number, heading in enumerate(headings, start=1):
                section = {
                    "id": next(self.ids[Section]),
                    "brief_id": brief["id"],
                    "heading": heading,
                    "position": number,
                }
                rows[Section].append(section)
                for position in range(1, r.randint(*BULLETS_PER_SECTION) + 1):
                    bullet, bullet_cites = self._bullet(section, position, cited)
                    rows[Bullet].append(bullet)
                    searchable.append(bullet["text"])
                    rows[BulletSource].extend(
                        {"bullet_id": bullet["id"], "source_id": s}
                        for s in bullet_cites
                    )

            brief["search_document"] = "\n".join(searchable)

            published = brief["published_at"] and brief["published_at"] <= self.end
            if published and r.random() < SHARE_CORRECTED:
                rows[Correction].append(self._correction(brief))

        # Rows that are few or many by chance get their ids once counted.
        with transaction.atomic():
            for model in (VotePosition, Correction):
                ids = self._reserve(model, len(rows[model]))
                for row, pk in zip(rows[model], ids, strict=True):
                    row["id"] = pk
        # The batch before this one is not saved yet: its values count as taken.
        pending = unsaved[0] if unsaved else {Source: [], Brief: []}
        for model, field in ((Source, "url"), (Brief, "slug")):
            taken = [row[field] for row in pending[model]]
            make_unique(model, field, rows[model], taken)

        self.source_rows.update((row["id"], row) for row in rows[Source])
        self.vote_rows.update((row["id"], row) for row in rows[Vote])
        for row in rows[VotePosition]:
            self.position_rows.setdefault(row["vote_id"], []).append(row)
        new_sources = [row["id"] for row in rows[Source]]
        new_votes = [row["id"] for row in rows[Vote]]
        self.recent_sources = (self.recent_sources + new_sources)[-RECENT_POOL:]
        self.recent_votes = (self.recent_votes + new_votes)[-RECENT_POOL:]
        return rows

    def _reserve(self, model, count):
        ids = reserve_ids(model, count, after=self.reserved.get(model, 0))
        if ids:
            self.reserved[model] = ids[-1]
        return ids

    def _to_render(self, rows):
        """Return what the renderers need of a batch, reused sources and votes too."""
        source_ids = {link["source_id"] for link in rows[BriefSource]}
        vote_ids = {link["vote_id"] for link in rows[BriefVote]}
        batch = Batch(
            rows,
            sources=[self.source_rows[pk] for pk in sorted(source_ids)],
            votes=[self.vote_rows[pk] for pk in sorted(vote_ids)],
            positions=[
                row for pk in sorted(vote_ids) for row in self.position_rows.get(pk, ())
            ],
        )
        # Forget what can no longer be cited again.
        for kept, recent in (
            (self.source_rows, set(self.recent_sources)),
            (self.vote_rows, set(self.recent_votes)),
            (self.position_rows, set(self.recent_votes)),
        ):
            for pk in [pk for pk in kept if pk not in recent]:
                del kept[pk]
        return batch

    def _save_batch(self, rows, rendered, *, dry_run):
        """Save a batch's rows and renderings in one transaction; return its stats."""
        with transaction.atomic():
            for model, model_rows in rows.items():
                computed = None
                if model is Brief and connection.vendor == "postgresql":
                    computed = {"search_vector": weighted_search_vector()}
                insert_rows(model, model_rows, computed)
            self._save_renderings(rows[Brief], rendered() if rendered else {})
            if dry_run:
                transaction.set_rollback(True)
        # With DEBUG on, Django keeps the SQL of the last 9,000 queries, and
        # bulk inserts are huge; a test counting queries keeps them all.
        if settings.DEBUG and not connection.force_debug_cursor:
            reset_queries()
        return GenerationStats(
            briefs=len(rows[Brief]),
            sections=len(rows[Section]),
            bullets=len(rows[Bullet]),
            votes=len(rows[Vote]),
            positions=len(rows[VotePosition]),
            sources=len(rows[Source]),
            corrections=len(rows[Correction]),
        )

    def _save_renderings(self, briefs, made):
        """Store the new briefs' renderings; those not made are left stale for
        `render_briefs` (when the generator was asked not to render)."""
        stamp = current_stamp()
        rows = []
        for brief in briefs:
            page, detail, item, card = made.get(brief["id"], ("", "", "", ""))
            rows.append(
                {
                    "brief_id": brief["id"],
                    "rendered_with": stamp if brief["id"] in made else "",
                    "revision": 0,
                    "changed_at": brief["updated_at"],
                    "page": page,
                    "api_detail": detail,
                    "api_item": item,
                    "card": card,
                }
            )
        insert_rows(BriefRendering, rows)

    # Content ----------------------------------------------------------------

    def _brief(self, index, count, issue, place):
        r = self.random
        actor = r.choice(ACTORS)
        title = (
            f"{actor[0].upper()}{actor[1:]} {r.choice(TITLE_VERBS)} "
            f"{r.choice(MEASURES)} {issue} in {place}"
        )
        summary = " ".join(
            sentence.format(actor=actor, issue=issue, place=place)
            for sentence in r.sample(SUMMARY_SENTENCES, r.randint(2, 3))
        )
        # Spread evenly over the span in the order made, with some jitter.
        at = self.end - self.span + self.span * ((index + r.random()) / count)
        at = min(at, self.end).replace(microsecond=0)
        status, first, last = Brief.Status.PUBLISHED.value, at, at
        roll = r.random()
        if roll < SHARE_DRAFT:
            status, at, first, last = Brief.Status.DRAFT.value, None, None, None
        elif roll < SHARE_DRAFT + SHARE_SCHEDULED:
            at = first = last = self.end + datetime.timedelta(
                hours=r.randint(1, 24 * 30)
            )
        return {
            "id": next(self.ids[Brief]),
            # Not from the seeded generator: a second run with the same seed
            # adds briefs, and a UUID is never given twice.
            "uuid": uuid.uuid4(),
            "title": title,
            "slug": f"{slugify(title)[:200]}-{index + 1}",
            "summary": summary[0].upper() + summary[1:],
            "status": status,
            "published_at": at,
            "first_published_at": first,
            "last_updated_at": last,
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
            "share_key": 0,
            # Filled in once the bullets exist, as Brief.build_search_document does.
            "search_document": "",
        }

    def _news_day(self, brief):
        """Return the day of the news: no later than today, even if scheduled."""
        return min(brief["published_at"] or self.end, self.end).date()

    def _source(self, brief, issue, place):
        r = self.random
        publisher, host = r.choice(PUBLISHERS)
        token = "".join(r.choices(string.ascii_lowercase + string.digits, k=10))
        day = self._news_day(brief)
        return {
            "id": next(self.ids[Source]),
            "url": f"https://{host}/{day:%Y/%m}/{token}",
            "title": f"{r.choice(SOURCE_KINDS)}: {issue} in {place}",
            "publisher": publisher,
            "published_on": day - datetime.timedelta(days=r.randint(0, 3)),
            "accessed_on": day,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _bullet(self, section, position, cited):
        r = self.random
        claim = r.choice(CLAIMS).format(issue=r.choice(ISSUES), place=r.choice(PLACES))
        roll = r.random()
        if roll < 0.75:
            attribution = Attribution.FACT
            text = f"{r.choice(OPENERS)} {r.choice(VERBS)} {claim}."
        elif roll < 0.93:
            attribution = Attribution.REPORTED
            text = r.choice(REPORTED).format(claim=claim)
        else:
            attribution = Attribution.ALLEGED
            text = r.choice(ALLEGED).format(claim=claim)
        bullet = {
            "id": next(self.ids[Bullet]),
            "section_id": section["id"],
            "text": text,
            "position": position,
            "attribution": attribution.value,
        }
        # Reported and alleged claims must cite a source to be publishable.
        least = 0 if attribution == Attribution.FACT else 1
        return bullet, r.sample(cited, min(len(cited), r.randint(least, 2)))

    def _correction(self, brief):
        r = self.random
        at = brief["published_at"] + datetime.timedelta(hours=r.randint(2, 72))
        at = min(at, self.end)
        brief["last_updated_at"] = max(brief["last_updated_at"], at)
        if r.random() < 0.3:
            kind, text = Correction.Kind.UPDATE, CORRECTIONS[2]
        else:
            kind = Correction.Kind.CORRECTION
            text = r.choice([CORRECTIONS[0], CORRECTIONS[1], CORRECTIONS[3]])
        return {
            "brief_id": brief["id"],
            "kind": kind.value,
            "text": text,
            "published_at": at,
            "created_at": self.now,
        }

    # Votes ------------------------------------------------------------------

    def _votes_for(self, brief, issue, place, rows):
        """Return the ids of the brief's votes, some new, some shared."""
        r = self.random
        (wanted,) = r.choices(VOTES_PER_BRIEF, VOTES_PER_BRIEF_WEIGHTS)
        vote_ids = []
        for _ in range(wanted):
            if self.recent_votes and r.random() < SHARE_REUSED_VOTE:
                vote_id = r.choice(self.recent_votes)
            else:
                vote_id = self._vote(brief, issue, place, rows)
            if vote_id not in vote_ids:
                vote_ids.append(vote_id)
        return vote_ids

    def _vote(self, brief, issue, place, rows):
        r = self.random
        day = self._news_day(brief) - datetime.timedelta(days=r.randint(0, 2))
        with_positions = r.random() < SHARE_WITH_POSITIONS
        if r.random() < 0.7:
            vote, members = self._assembly_vote(with_positions)
            symbol = f"A/{day.year - 1945}/L.{r.randint(1, 99)}"
        else:
            vote, members = self._council_vote(with_positions)
            symbol = f"S/{day.year}/{r.randint(100, 999)}"
        vote_id = next(self.ids[Vote])
        rows[Vote].append(
            {
                "id": vote_id,
                "body_id": vote.body.pk,
                "title": f"Draft resolution on {issue} in {place}",
                "symbol": symbol,
                "date": day,
                "vote_on": (
                    VoteOn.AMENDMENT if r.random() < 0.1 else VoteOn.TEXT
                ).value,
                "required_share": vote.required_share,
                "required_yes": vote.required_yes,
                "yes": vote.yes,
                "no": vote.no,
                "abstain": vote.abstain,
                "not_voting": vote.not_voting,
                "outcome": str(vote.outcome),
                "context": False,
                "created_at": self.now,
                "updated_at": self.now,
            }
        )
        rows[VotePosition].extend(
            {
                "vote_id": vote_id,
                "member_code": code,
                "member_name": name,
                "position": str(position),
            }
            for (code, name), position in members
        )
        return vote_id

    def _assembly_vote(self, with_positions):
        r = self.random
        seats = self.assembly.seats
        yes = r.randint(20, 180)
        no = r.randint(0, min(110, seats - yes))
        abstain = r.randint(0, seats - yes - no)
        rest = seats - yes - no - abstain
        vote = Vote(
            body=self.assembly,
            yes=yes,
            no=no,
            abstain=abstain,
            not_voting=rest if r.random() < 0.6 or with_positions else None,
            # Some questions need two thirds, as the Charter's important ones do.
            required_share=Share.TWO_THIRDS if r.random() < 0.2 else "",
        )
        (vote.outcome,) = vote.expected_outcomes(self.assembly)
        members = []
        if with_positions:
            labels = (
                [Position.YES] * yes
                + [Position.NO] * no
                + [Position.ABSTAIN] * abstain
                + [Position.ABSENT] * rest
            )
            r.shuffle(labels)
            members = list(zip(UN_MEMBERS, labels, strict=True))
        return vote, members

    def _council_vote(self, with_positions):
        """Return a Security Council vote, vetoed where a permanent member says no."""
        r = self.random
        seats = self.council.seats
        yes = r.randint(5, seats)
        no = r.randint(0, seats - yes)
        abstain = r.randint(0, seats - yes - no)
        rest = seats - yes - no - abstain
        veto = no > 0 and r.random() < 0.5
        vote = Vote(
            body=self.council,
            yes=yes,
            no=no,
            abstain=abstain,
            not_voting=rest,
        )
        members = []
        if with_positions:
            elected = r.sample(
                self.council_elected, seats - len(self.council_permanent)
            )
            if veto:
                vetoing = r.choice(self.council_permanent)
                others = [m for m in self.council_permanent + elected if m != vetoing]
                r.shuffle(others)
                naysayers = [vetoing, *others[: no - 1]]
                others = others[no - 1 :]
            else:
                # Only elected members vote no (there are never more than 10 noes).
                r.shuffle(elected)
                naysayers, others = elected[:no], elected[no:] + self.council_permanent
                r.shuffle(others)
            labels = (
                [Position.YES] * yes
                + [Position.ABSTAIN] * abstain
                + [Position.ABSENT] * rest
            )
            members = [(m, Position.NO) for m in naysayers] + list(
                zip(others, labels, strict=True)
            )
            by_position = [
                VotePosition(member_code=m[0], position=p) for m, p in members
            ]
            allowed = vote.expected_outcomes(self.council, by_position)
        else:
            allowed = vote.expected_outcomes(self.council)
        if Outcome.VETOED in allowed and (veto or Outcome.ADOPTED not in allowed):
            vote.outcome = Outcome.VETOED
        elif Outcome.ADOPTED in allowed:
            vote.outcome = Outcome.ADOPTED
        else:
            vote.outcome = Outcome.REJECTED
        return vote, members

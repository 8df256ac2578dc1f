"""The one change event: which briefs changed, and whether readers can see it.

A service function (`briefs.services`) runs inside `collect()`. Whatever it
`record()`s there is gathered, the changed briefs' stored renderings are
retired in the same transaction (so a rolled-back change retires nothing and
a committed one is never served old), and once the outermost transaction
commits one `BriefsChanged` goes out on the `briefs_changed` signal.

Before the commit, in the same transaction, each change partners can see
takes the next number of the change feed (`briefs.models.Change`); the event
carries those numbers (`seqs`), so that webhooks send the same ones.

Consumers connect to `briefs_changed` (see `briefs.apps`): the stored
renderings queue the briefs for rendering again, the page cache retires its
pages when readers can see the change. A consumer that fails is logged and
does not stop the others.
"""

import dataclasses
import functools
import threading
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.utils import timezone

# Sent on commit with `change`, a BriefsChanged.
briefs_changed = Signal()


@dataclasses.dataclass(frozen=True)
class BriefsChanged:
    """What one committed change touched."""

    brief_ids: frozenset[int]
    # True if a reader could see the change: a published brief changed, or one
    # was published, unpublished or deleted.
    public: bool
    # What happened to each brief (one of KINDS); a brief left out was updated.
    # Consumers that only need to know *which* briefs changed ignore it.
    kinds: dict = dataclasses.field(default_factory=dict, compare=False)
    # The change feed's number of each brief's change, for those partners see.
    seqs: dict = dataclasses.field(default_factory=dict, compare=False)

    def kind_of(self, brief_id):
        return self.kinds.get(brief_id, UPDATED)

    def seq_of(self, brief_id):
        return self.seqs.get(brief_id)


UPDATED, PUBLISHED, CORRECTED, WITHDRAWN = (
    "updated",
    "published",
    "corrected",
    "withdrawn",
)
# When one change does several things to a brief, the later in this list wins:
# a brief published and corrected at once was published; one withdrawn was
# withdrawn, whatever else happened to it.
KINDS = (UPDATED, CORRECTED, PUBLISHED, WITHDRAWN)


class _Collector:
    def __init__(self):
        self.brief_ids = set()
        self.public = False
        self.kinds = {}
        # (uuid, slug, version) of briefs withdrawn here: a deleted one can no
        # longer be read when the change is numbered.
        self.identities = {}
        self.seqs = {}

    def add_kind(self, brief_ids, kind):
        for pk in brief_ids:
            known = self.kinds.get(pk, UPDATED)
            self.kinds[pk] = max(known, kind, key=KINDS.index)

    def event(self):
        return BriefsChanged(
            frozenset(self.brief_ids),
            self.public,
            dict(self.kinds),
            dict(self.seqs),
        )


_local = threading.local()


def _current():
    return getattr(_local, "collector", None)


def send(change):
    """Send `change` to every consumer now."""
    briefs_changed.send_robust(sender=BriefsChanged, change=change)


@contextmanager
def collect():
    """Gather the changes recorded in the block; send them once it commits.

    Nested blocks join the outermost one, so a service calling another makes
    one event.
    """
    if _current() is not None:
        with transaction.atomic():
            yield _current()
        return
    collector = _local.collector = _Collector()
    try:
        with transaction.atomic():
            yield collector
            if collector.brief_ids or collector.public:
                _retire_renderings(collector.brief_ids)
                collector.seqs = number_changes(collector)
                event = collector.event()
                transaction.on_commit(functools.partial(send, event))
    finally:
        _local.collector = None


@contextmanager
def discarded():
    """Run a block whose writes are always rolled back, recording nothing.

    For working out what a change would give without making it: the block runs
    in a savepoint that is rolled back, with a collector of its own, so that
    none of it reaches the change event or retires a rendering.
    """
    previous = _current()
    _local.collector = _Collector()
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        _local.collector = previous


def collected(func):
    """Run `func` in one transaction that sends one change event on commit."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with collect():
            return func(*args, **kwargs)

    return wrapper


def record(*, brief_ids=(), public=None, kind=UPDATED):
    """Note that `brief_ids` changed; `public`: whether readers can see it.

    Left to None, `public` is True if one of the briefs is published now;
    a service that unpublishes or deletes says so itself. `kind` (one of
    KINDS) says what happened to them, for consumers such as webhooks.
    """
    if kind not in KINDS:
        raise ValueError(f"No such kind of change: {kind}")
    from .models import Brief

    brief_ids = {pk for pk in brief_ids if pk is not None}
    if public is None:
        public = Brief.objects.filter(
            pk__in=brief_ids, status=Brief.Status.PUBLISHED
        ).exists()
    collector = _current()
    if collector is None:
        # Outside a service (a shell, a data migration): an event of its own.
        with collect():
            record(brief_ids=brief_ids, public=public, kind=kind)
        return
    if kind == WITHDRAWN:
        known = set(collector.identities)
        collector.identities.update(
            (row["pk"], row)
            for row in Brief.objects.filter(pk__in=brief_ids - known).values(
                "pk", "uuid", "slug", "version"
            )
        )
    collector.brief_ids |= brief_ids
    collector.public |= bool(public)
    collector.add_kind(brief_ids, kind)


def record_briefs_of(queryset, *, public=None, kind=UPDATED):
    """Record the briefs of `queryset` (a Brief queryset) as changed."""
    record(
        brief_ids=set(queryset.values_list("pk", flat=True)), public=public, kind=kind
    )


def _retire_renderings(brief_ids):
    from .models import BriefRendering

    if brief_ids:
        BriefRendering.objects.filter(brief_id__in=brief_ids).mark_stale()


# Numbering the changes partners can see ----------------------------------

# Briefs read at once when numbering a large change (a content import).
NUMBER_BATCH = 500


def number_changes(collector):
    """Write a `Change` for each brief of `collector` whose change partners
    can see; return {brief id: seq}.

    Whether partners see it is read from the brief as it now stands and from
    the last change the feed told of it: a brief partners can see changed (and
    was "published" if the feed had not told of it, or told it was gone); a
    brief they could see and can no longer was "withdrawn" ("deleted" if the
    row went). Anything else (a draft saved, a brief scheduled) is not in the
    feed until partners can see it.
    """
    from .models import Brief, Change

    ids = sorted(collector.brief_ids)
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        # Numbers must become visible in their order: a later number committed
        # first would let a reader step over an earlier one. Writers of the
        # feed take turns from here to their commit. (SQLite writers always do.)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Change._meta.db_table} IN EXCLUSIVE MODE")
    now = timezone.now()
    pending = []
    for start in range(0, len(ids), NUMBER_BATCH):
        batch = ids[start : start + NUMBER_BATCH]
        rows = {
            row["pk"]: row
            for row in Brief.objects.filter(pk__in=batch)
            .annotate(
                syndicated=Exists(
                    Brief.objects.published(embargoed=True).filter(pk=OuterRef("pk"))
                ),
                readable=Exists(Brief.objects.published().filter(pk=OuterRef("pk"))),
            )
            .values("pk", "uuid", "slug", "version", "syndicated", "readable")
        }
        identities = {pk: rows.get(pk) or collector.identities.get(pk) for pk in batch}
        uuids = [row["uuid"] for row in identities.values() if row is not None]
        last = Change.objects.latest_of(uuids)
        for pk in batch:
            identity = identities[pk]
            if identity is None:
                continue
            change = _change_of(
                identity,
                rows.get(pk),
                last.get(identity["uuid"]),
                collector.kinds.get(pk, UPDATED),
                now,
            )
            if change is not None:
                pending.append((pk, change))
    created = Change.objects.bulk_create(change for _, change in pending)
    return {pk: change.pk for (pk, _), change in zip(pending, created, strict=True)}


def _change_of(identity, row, last, kind, now):
    """Return the unsaved Change a brief's change makes, or None."""
    from .models import Change, ChangeKind

    known = last is not None and not last.gone
    fields = {
        "uuid": identity["uuid"],
        "slug": identity["slug"],
        "version": identity["version"],
        "created": now,
    }
    if row is not None and row["syndicated"]:
        readable = row["readable"]
        if not known:
            feed_kind = ChangeKind.PUBLISHED
        elif readable and not last.public:
            feed_kind = ChangeKind.EMBARGO_ENDED
        elif last.slug != row["slug"]:
            feed_kind = ChangeKind.SLUG_CHANGED
        elif kind == CORRECTED:
            feed_kind = ChangeKind.CORRECTED
        else:
            feed_kind = ChangeKind.UPDATED
        # Readers who had the brief hear of it going under embargo again.
        public = readable or (known and last.public)
        return Change(kind=feed_kind, public=public, **fields)
    if not known:
        return None
    feed_kind = ChangeKind.DELETED if row is None else ChangeKind.WITHDRAWN
    return Change(kind=feed_kind, public=last.public, **fields)

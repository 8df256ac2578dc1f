"""Changes made by time passing: a scheduled brief going live, an embargo
ending. Nobody saves anything at that moment, so the worker makes them into
changes (`timed_changes_record`), with their number in the change feed, a new
version and `updated_at`, and one change event, as any save would."""

import datetime

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef
from django.tasks import task
from django.utils import timezone

from .. import changes
from ..models import Brief, Change

# How far back a moment is still looked for: a worker stopped longer than
# this leaves those briefs to the next edit.
LOOKBACK = datetime.timedelta(days=30)
# Briefs made into changes per run; the next run takes the rest.
BATCH = 500
# The longest the worker waits between two looks for timed changes; it also
# wakes at the next scheduled time or embargo end it knows of.
TIMED_CHANGES_EVERY = datetime.timedelta(minutes=1)


def went_live(at):
    """Return the briefs partners can see since their publication time `at`
    or earlier, whose going live the feed has not told yet."""
    told = Change.objects.filter(
        uuid=OuterRef("uuid"), created__gte=OuterRef("published_at")
    )
    return (
        Brief.objects.published(at, embargoed=True)
        .filter(published_at__gt=at - LOOKBACK)
        .exclude(Exists(told))
    )


def embargo_ended(at):
    """Return the briefs readers can see since their embargo ended, whose end
    the feed has not told readers yet."""
    told = Change.objects.filter(
        uuid=OuterRef("uuid"), public=True, created__gte=OuterRef("embargo_until")
    )
    return (
        Brief.objects.published(at)
        .filter(embargo_until__gt=at - LOOKBACK)
        .exclude(Exists(told))
    )


@changes.collected
def timed_changes_record(*, at=None):
    """Make a change of each brief that went live or left its embargo by `at`
    (now) and has none yet; return how many. Running it again finds none."""
    at = at or timezone.now()
    live = set(went_live(at).values_list("pk", flat=True)[:BATCH])
    ended = set(embargo_ended(at).values_list("pk", flat=True)[:BATCH])
    if not live | ended:
        return 0
    # Another worker may be at the same briefs: wait for it, then look again.
    list(
        Brief.objects.select_for_update()
        .filter(pk__in=live | ended)
        .values_list("pk", flat=True)
    )
    live = set(went_live(at).filter(pk__in=live).values_list("pk", flat=True))
    ended = set(embargo_ended(at).filter(pk__in=ended).values_list("pk", flat=True))
    Brief.objects.filter(pk__in=live | ended).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    changes.record(brief_ids=live, public=True, kind=changes.PUBLISHED)
    changes.record(brief_ids=ended - live, public=True)
    return len(live | ended)


@task()
def timed_changes_task():
    """Number the briefs that went live or left their embargo (see
    `timed_changes_record`), then queue the next look; return how many were
    numbered."""
    count = timed_changes_record()
    queue_next_timed_changes()
    return count


def queue_next_timed_changes(now=None):
    """Queue `timed_changes_task` for the next moment due, on backends that can
    wait; workers sharing the cache queue one task per moment between them."""
    backend = timed_changes_task.get_backend()
    if not backend.supports_defer:
        return
    now = now or timezone.now()
    # On a whole second, so that every worker names the same moment.
    latest = (now + TIMED_CHANGES_EVERY).replace(microsecond=0)
    upcoming = Brief.objects.next_public_change()
    at = latest if upcoming is None else min(latest, upcoming)
    if cache.add(f"timed-changes:{at.isoformat()}", True, 3600):
        timed_changes_task.using(run_after=at).enqueue()

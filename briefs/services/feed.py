"""Changes made by time passing: a scheduled brief going live, an embargo
ending. Nobody saves anything at that moment, so the worker makes them into
changes (`timed_changes_record`), with their number in the change feed, a new
version and `updated_at`, and one change event, as any save would."""

import datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from .. import changes
from ..models import Brief, Change

# How far back a moment is still looked for: a worker stopped longer than
# this leaves those briefs to the next edit.
LOOKBACK = datetime.timedelta(days=30)
# Briefs made into changes per run; the next run takes the rest.
BATCH = 500


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

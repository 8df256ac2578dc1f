"""The newsletters' consumer of the briefs' change event (briefs.changes)."""

from django.utils import timezone

from briefs import changes
from briefs.models import Brief

from .models import visible_at


def on_briefs_changed(sender, change, **kwargs):
    """Queue the alerts of the briefs this change published.

    A brief readers can see now is sent at once; a scheduled or embargoed one
    is queued for its moment where the task backend can wait, and is in any
    case sent by the periodic run once readers can see it (`sending` checks
    again before each batch). Withdrawals and edits send nothing.
    """
    from .tasks import send_alert_task

    published = [
        pk for pk in change.brief_ids if change.kind_of(pk) == changes.PUBLISHED
    ]
    if not published:
        return
    now = timezone.now()
    briefs = Brief.objects.filter(pk__in=published, status=Brief.Status.PUBLISHED).only(
        "pk", "published_at", "embargo_until"
    )
    for brief in briefs:
        moment = visible_at(brief)
        if moment <= now:
            send_alert_task.enqueue(brief.pk)
        elif send_alert_task.get_backend().supports_defer:
            send_alert_task.using(run_after=moment).enqueue(brief.pk)

"""Background work, on Django's Tasks framework (`django.tasks`).

The backend is chosen in the settings (`TASK_QUEUE_URL`): the database by
default, RQ on Redis for scale. `manage.py run_worker` runs the tasks.
"""

import datetime

from django.core.cache import cache
from django.tasks import task
from django.utils import timezone

from . import images, rendering, services, webhooks
from .models import Brief

# The longest the worker waits between two looks for timed changes; it also
# wakes at the next scheduled time or embargo end it knows of.
TIMED_CHANGES_EVERY = datetime.timedelta(minutes=1)


@task()
def render_briefs_task(brief_ids):
    """Render and store the renderings of `brief_ids`; return how many."""
    return rendering.render_briefs(brief_ids)


@task()
def render_stale_task():
    """Render every brief without a current rendering: none yet (a content
    import), retired, or made by other code (a deploy)."""
    ids = rendering.stale_brief_ids()
    for start in range(0, len(ids), rendering.BATCH_SIZE):
        render_briefs_task.enqueue(brief_ids=ids[start : start + rendering.BATCH_SIZE])
    return len(ids)


@task()
def lead_image_renditions_task(brief_id, name):
    """Make the renditions of the lead image stored as `name`; return how many."""
    return images.make_and_record_renditions(brief_id, name)


@task()
def dispatch_webhooks_task():
    """Queue a delivery task for each webhook delivery that is due."""
    return webhooks.dispatch_due()


@task()
def deliver_webhook_task(delivery_id):
    """Try one webhook delivery; then queue any whose task was lost."""
    status = webhooks.deliver(delivery_id)
    webhooks.sweep()
    return status


@task()
def timed_changes_task():
    """Number the briefs that went live or left their embargo (see
    `services.timed_changes_record`), then queue the next look; return how
    many were numbered."""
    count = services.timed_changes_record()
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

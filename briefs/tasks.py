"""Background work, on Django's Tasks framework (`django.tasks`).

The backend is chosen in the settings (`TASK_QUEUE_URL`): the database by
default, RQ on Redis for scale. `manage.py run_worker` runs the tasks.
"""

from django.tasks import task

from . import images, rendering, webhooks


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

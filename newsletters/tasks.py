"""The newsletters' background work, on Django's Tasks framework.

`manage.py send_newsletters` (from cron, every few minutes) runs or queues
`send_newsletters_task`, which sends the digests that fell due and the alerts
still owed; alerts for briefs published now are queued by the change event.
"""

from django.tasks import task

from . import sending


@task()
def send_confirmation_task(subscriber_id):
    """Send the confirmation (or "already subscribed") email."""
    return sending.send_confirmation(subscriber_id)


@task()
def send_alert_task(brief_id):
    """Send the alert of one brief to the readers still owed it."""
    return sending.send_alert(brief_id)


@task()
def send_newsletters_task():
    """Send the alerts still owed and the digests whose hour has come."""
    return {
        "alerts": sending.send_pending_alerts(),
        "digests": sending.send_due_digests(),
    }

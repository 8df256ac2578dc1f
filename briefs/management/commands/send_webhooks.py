"""Send the webhook deliveries that are due: `manage.py send_webhooks`.

The background worker sends deliveries by itself; run this from cron (every
minute or so) as a safety net for deliveries whose task was lost, or with
`--queue` to hand them to the worker instead of sending them here. It first
makes scheduled go-lives and embargo ends that the worker has not reached yet
into changes, so that their deliveries are among those due.
"""

from django.core.management.base import BaseCommand

from briefs import services, webhooks
from briefs.models import WebhookDelivery


class Command(BaseCommand):
    help = "Send every webhook delivery whose next try is due (or queue them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue a task per due delivery for the worker; send nothing here.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many are due."
        )

    def handle(self, *args, queue=False, dry_run=False, verbosity=1, **options):
        if not dry_run:
            # Briefs that went live or left their embargo are news to send.
            services.timed_changes_record()
        if dry_run:
            count = WebhookDelivery.objects.due().count()
            self.stdout.write(f"{count} webhook deliveries are due.")
            return
        if queue:
            count = webhooks.dispatch_due()
            if verbosity:
                self.stdout.write(self.style.SUCCESS(f"Queued {count} deliveries."))
            return
        results = {}
        ids = list(WebhookDelivery.objects.due().values_list("pk", flat=True))
        for pk in ids:
            status = webhooks.deliver(pk)
            if status is not None:
                results[status] = results.get(status, 0) + 1
        if verbosity:
            summary = ", ".join(f"{n} {s}" for s, n in sorted(results.items()))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tried {sum(results.values())} "
                    f"deliveries: {summary or 'none due'}."
                )
            )

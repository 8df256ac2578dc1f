"""Send the newsletters that are due: `manage.py send_newsletters`.

Run it from cron every few minutes: it sends the daily and weekly digests
whose hour has come and the alerts still owed (an embargo that ended, a
worker that was down). With `--queue` the worker does the sending instead.
Running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand

from newsletters import sending
from newsletters.tasks import send_newsletters_task


class Command(BaseCommand):
    help = "Send the digests that are due and the alerts still owed (or queue them)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the task for the worker; send nothing here.",
        )

    def handle(self, *args, queue=False, verbosity=1, **options):
        if queue:
            send_newsletters_task.enqueue()
            if verbosity:
                self.stdout.write(self.style.SUCCESS("Queued the newsletters."))
            return
        alerts = sending.send_pending_alerts()
        digests = sending.send_due_digests()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Sent {alerts} alerts and {digests} digests.")
            )

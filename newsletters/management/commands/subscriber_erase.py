"""Delete all that is kept about one subscriber: `manage.py subscriber_erase EMAIL`.

For a reader's request to be forgotten: the address, the choices and the
record of what was sent to it go; nothing of it is kept.
"""

from django.core.management.base import BaseCommand, CommandError

from newsletters.models import Subscriber, normalize_email
from newsletters.services import subscriber_erase


class Command(BaseCommand):
    help = "Delete one subscriber's address, choices and delivery record."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say whether it is kept."
        )

    def handle(self, *args, email, dry_run=False, verbosity=1, **options):
        if not Subscriber.objects.filter(email=normalize_email(email)).exists():
            raise CommandError(f"No subscriber has the address {email}.")
        if dry_run:
            self.stdout.write(f"{email} is subscribed; nothing was deleted.")
            return
        subscriber_erase(email=email)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Deleted everything kept about {email}.")
            )

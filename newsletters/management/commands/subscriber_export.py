"""Print all that is kept about one subscriber: `manage.py subscriber_export EMAIL`.

For a reader's request to see their data: the address, the choices, when
they consented and confirmed, and what was sent to them, as JSON.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from newsletters.services import subscriber_export


class Command(BaseCommand):
    help = "Print, as JSON, everything kept about one subscriber's address."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        data = subscriber_export(email=email)
        if data is None:
            raise CommandError(f"No subscriber has the address {email}.")
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

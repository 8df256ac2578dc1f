"""Load the demo briefs: `manage.py load_demo` (safe to run again)."""

from django.core.management.base import BaseCommand

from briefs.demo import BRIEFS, load_demo


class Command(BaseCommand):
    help = "Create the demo topics, sources, votes and published briefs; idempotent."

    def handle(self, *args, **options):
        made = load_demo()
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content ready: {made} new brief(s), "
                    f"{len(BRIEFS) - made} already there."
                )
            )

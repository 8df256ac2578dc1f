"""Make synthetic briefs for load tests: `manage.py generate_briefs --count N`."""

import os
import time

from django.core.management.base import BaseCommand, CommandError

from briefs.generator import BriefGenerator
from briefs.management.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Create N synthetic published briefs (with sections, bullets, votes, "
        "sources and topics) in batches, for load tests and benchmarks. Safe to "
        "run on a database that already has briefs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many.")
        parser.add_argument(
            "--seed", type=int, help="The same seed makes the same briefs."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="Briefs saved per transaction (default 1000).",
        )
        parser.add_argument(
            "--span-days",
            type=int,
            default=3650,
            help="Publication dates spread over this many past days (default 3650).",
        )
        parser.add_argument(
            "--no-render",
            action="store_false",
            dest="render",
            help="Leave the briefs' pages and API representations unrendered "
            "(served live) for `render_briefs --stale` to make later.",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=os.cpu_count() or 1,
            help="Worker processes that render while batches are made and saved "
            "(default: one per CPU core; 0 renders in this process).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Make the briefs and roll every batch back: save nothing.",
        )

    def handle(
        self,
        *args,
        count,
        seed,
        batch_size,
        span_days,
        dry_run,
        render,
        processes,
        **options,
    ):
        if count < 1 or batch_size < 1 or span_days < 1:
            raise CommandError("--count, --batch-size and --span-days must be >= 1.")
        if processes < 0:
            raise CommandError("--processes must be >= 0.")
        verbosity = options["verbosity"]
        progress = ProgressBar(self.stderr) if verbosity >= 1 else None
        generator = BriefGenerator(
            seed=seed,
            batch_size=batch_size,
            span_days=span_days,
            render=render,
            processes=processes,
        )
        started = time.monotonic()
        stats = generator.generate(count, progress=progress, dry_run=dry_run)
        seconds = time.monotonic() - started
        if verbosity >= 1:
            verb = "Made and rolled back" if dry_run else "Created"
            self.stdout.write(self.style.SUCCESS(f"{verb} {stats} in {seconds:.1f} s."))

"""Render and store briefs' pages and API representations: `manage.py render_briefs`.

The background worker does this by itself after each change and when it starts
(`manage.py run_worker`); the command is for rendering at once, or in shards
side by side, after a deploy or a bulk load.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from briefs.management.progress import ProgressBar
from briefs.models import Brief
from briefs.rendering import BATCH_SIZE, render_briefs, stale_brief_ids


def parse_shard(text):
    part, sep, parts = text.partition("/")
    if not (sep and part.isdigit() and parts.isdigit() and int(part) < int(parts)):
        raise CommandError(
            f"--shard wants K/N with 0 <= K < N, such as 0/2; not {text!r}."
        )
    return int(part), int(parts)


class Command(BaseCommand):
    help = (
        "Render and store the public page and API representations of briefs, "
        "newest first, in batches. Without --stale, every brief."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only briefs whose stored rendering is missing, stale or made "
            "by other code.",
        )
        parser.add_argument(
            "--limit", type=int, help="Render at most this many (newest first)."
        )
        parser.add_argument(
            "--shard",
            metavar="K/N",
            help="Only briefs whose id leaves K when divided by N (0 <= K < N), "
            "so that N processes can render side by side.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many briefs would be rendered, and render none.",
        )

    def handle(self, *args, stale, limit, shard, dry_run, **options):
        if stale:
            ids = stale_brief_ids()
        else:
            ids = Brief.objects.order_by("-pk").values_list("pk", flat=True)
        if shard:
            part, parts = parse_shard(shard)
            ids = [pk for pk in ids if pk % parts == part]
        ids = list(ids[:limit] if limit else ids)
        verbosity = options["verbosity"]
        if dry_run:
            self.stdout.write(f"{len(ids):,} briefs would be rendered.")
            return
        progress = ProgressBar(self.stderr) if verbosity >= 1 else None
        started = time.monotonic()
        stored = 0
        for start in range(0, len(ids), BATCH_SIZE):
            stored += render_briefs(ids[start : start + BATCH_SIZE])
            if progress:
                progress(min(start + BATCH_SIZE, len(ids)), len(ids))
        seconds = time.monotonic() - started
        if verbosity >= 1:
            skipped = len(ids) - stored
            note = f" ({skipped:,} changed meanwhile, left stale)" if skipped else ""
            message = f"Rendered {stored:,} briefs in {seconds:.1f} s{note}."
            self.stdout.write(self.style.SUCCESS(message))

"""Export all content as JSON Lines: `manage.py export_content [--output FILE]`."""

import functools
import gzip
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from briefs.backup import count_content, export_content
from briefs.management.progress import ProgressBar


def open_text(path, mode):
    """Open `path` as UTF-8 text, through gzip when it ends in .gz."""
    if path.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


class Command(BaseCommand):
    help = (
        "Write all content (topics, sources, bodies, votes with their positions, "
        "briefs with their sections, bullets, links and corrections, and the "
        "accounts credited, without passwords) as JSON Lines, one object a line. "
        "`import_content` loads the file into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (gzip-compressed if it ends in .gz) instead of "
            "standard output.",
        )

    def handle(self, *args, output=None, **options):
        try:
            stream = open_text(output, "w") if output else sys.stdout
        except OSError as error:
            raise CommandError(f"{output}: cannot write ({error.strerror})") from None
        try:
            # One snapshot: a save during the export cannot half-appear in it.
            with transaction.atomic():
                progress = None
                if options["verbosity"] >= 1:
                    bar = ProgressBar(self.stderr, unit="objects")
                    progress = functools.partial(bar, total=count_content())
                counts = export_content(stream, progress=progress)
        finally:
            if output:
                stream.close()
        if options["verbosity"] >= 1 and output:
            total = sum(counts.values())
            self.stderr.write(
                self.style.SUCCESS(f"Exported {total} objects to {output}.")
            )
        if options["verbosity"] >= 2:
            for label, count in counts.items():
                self.stderr.write(f"{label}: {count}")

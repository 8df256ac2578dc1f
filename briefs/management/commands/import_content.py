"""Import a file of `export_content` into an empty database:
`manage.py import_content FILE [--force] [--dry-run]`."""

import functools

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from briefs.backup import ContentImportError, content_tables
from briefs.management.progress import ProgressBar
from briefs.services import content_import
from briefs.statistics import analyze

from .export_content import open_text


def count_lines(path):
    """Return the lines in the file at `path`, read as `import_content` reads it."""
    with open_text(path, "r") as stream:
        return sum(1 for _ in stream)


class DryRun(Exception):
    """Raised to roll a dry run back."""


class Command(BaseCommand):
    help = (
        "Load a file written by export_content into a migrated database that has "
        "no content yet, in one transaction: a malformed file stops the run, "
        "naming the line, and nothing is saved. Imported accounts have no usable "
        "password (set one with changepassword); accounts the database already "
        "has are kept as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="A .jsonl or .jsonl.gz file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import even though the database has content; objects with the "
            "same ids are overwritten.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the whole file by importing it, then save nothing.",
        )

    def handle(self, *args, file, force, dry_run, **options):
        try:
            stream = open_text(file, "r")
        except OSError as error:
            raise CommandError(f"{file}: cannot read ({error.strerror})") from None
        try:
            progress = None
            if options["verbosity"] >= 1:
                bar = ProgressBar(self.stderr, unit="lines")
                progress = functools.partial(bar, total=count_lines(file))
            with stream, transaction.atomic():
                counts = content_import(lines=stream, force=force, progress=progress)
                if dry_run:
                    raise DryRun
        except (ContentImportError, UnicodeDecodeError, OSError, EOFError) as error:
            raise CommandError(
                f"{file}: {error}\nNothing was imported.", returncode=1
            ) from None
        except DryRun:
            total = sum(counts.values())
            self.stderr.write(f"Dry run: {total} objects would be imported.")
            return
        analyze(content_tables())
        if options["verbosity"] >= 1:
            total = sum(counts.values())
            self.stderr.write(
                self.style.SUCCESS(f"Imported {total} objects from {file}.")
            )
        if options["verbosity"] >= 2:
            for label, count in sorted(counts.items()):
                self.stderr.write(f"{label}: {count}")

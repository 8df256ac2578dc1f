"""Import plain-text briefs: `manage.py import_brief FILE... [--publish]`.

A sentence that looks like a vote but cannot be read whole is printed as
FILE:LINE: reason, and nothing is saved, unless `--allow-unread-votes`.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from briefs.importer import BriefFormatError, parse_brief
from briefs.management.files import UnreadableFileError, read_import_file
from briefs.services import (
    BriefExistsError,
    known_body_names,
    save_parsed_brief,
    unread_vote_messages,
)


class DryRun(Exception):
    """Raised to roll a dry run back."""


class Command(BaseCommand):
    help = (
        "Import plain-text briefs as drafts (or published with --publish). All files "
        "are imported in one transaction: if one is malformed, nothing is saved. "
        "Prints the slug of each new brief."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish each brief now; it must pass the publish checklist.",
        )
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="Skip a file whose title an existing brief already has, instead "
            "of importing it under a new slug.",
        )
        parser.add_argument(
            "--allow-unread-votes",
            action="store_true",
            help="Import briefs even where a sentence that looks like a vote could "
            "not be read; each stays on the brief's publish checklist until an "
            "editor records the vote by hand or marks it as no vote.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and parse the files, save nothing.",
        )

    def handle(
        self,
        *args,
        files,
        publish,
        skip_existing,
        dry_run,
        allow_unread_votes,
        **options,
    ):
        parsed, errors = [], []
        known = known_body_names()
        for name in files:
            try:
                data = read_import_file(name)
            except UnreadableFileError as error:
                errors.append(str(error))
                continue
            try:
                parsed.append(parse_brief(data, name, known_bodies=known))
            except BriefFormatError as error:
                errors.append(str(error))
        unread = [
            message for brief in parsed for message in unread_vote_messages(brief)
        ]
        if unread and not allow_unread_votes:
            raise CommandError(
                "\n".join(
                    [
                        *errors,
                        *unread,
                        "Nothing was imported. Rewrite these sentences, or pass "
                        "--allow-unread-votes to import them for an editor to check.",
                    ]
                ),
                returncode=1,
            )
        if errors:
            raise CommandError("\n".join(errors), returncode=1)
        for message in unread:
            self.stderr.write(self.style.WARNING(f"unread vote: {message}"))

        for brief in parsed:
            for warning in brief.warnings:
                self.stderr.write(self.style.WARNING(f"warning: {warning}"))

        slugs, recorded = [], []
        try:
            with transaction.atomic():
                for brief in parsed:
                    try:
                        saved = save_parsed_brief(
                            brief,
                            publish=publish,
                            skip_existing=skip_existing,
                            allow_unread_votes=allow_unread_votes,
                        )
                    except BriefExistsError as skipped:
                        self.stderr.write(str(skipped))
                        continue
                    slugs.append(saved.slug)
                    recorded += [
                        (brief.filename, parsed_vote.line, vote)
                        for parsed_vote, vote in zip(
                            brief.votes,
                            saved.votes.select_related("body").order_by("id"),
                            strict=True,
                        )
                    ]
                if dry_run:
                    raise DryRun
        except BriefFormatError as error:
            raise CommandError(
                f"{error}\nNothing was imported.", returncode=1
            ) from None
        except DryRun:
            if options["verbosity"] >= 1:
                self.stderr.write(f"Dry run: {len(slugs)} brief(s) would be imported.")
            return

        for slug in slugs:
            self.stdout.write(slug)
        # Slugs go to stdout for scripts; what was recorded is for the editor.
        for filename, line, vote in recorded:
            self.stderr.write(
                f"vote recorded: {filename}:{line}: {vote.outcome_label} "
                f"in the {vote.body.name}"
                + (" (a placeholder: choose the body)" if vote.body.placeholder else "")
            )
        if options["verbosity"] >= 2:
            status = "published" if publish else "draft"
            self.stderr.write(
                self.style.SUCCESS(f"Imported {len(slugs)} brief(s) as {status}.")
            )

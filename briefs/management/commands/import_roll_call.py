"""Load how each member voted: `manage.py import_roll_call VOTE FILE.csv`."""

from django.core.management.base import BaseCommand, CommandError

from briefs.management.files import UnreadableFileError, read_import_file
from briefs.models import Vote
from briefs.rollcall import RollCallError
from briefs.services import roll_call_import


class Command(BaseCommand):
    help = (
        "Replace a vote's per-member positions with a roll call in CSV: a member "
        "column (ms_code, member_code, code, ms_name, member_name, member or "
        "name) and a position column (ms_vote, position or vote; Y, N, A or "
        "empty, as the UN Digital Library writes them, or words such as yes, "
        "no, abstain, absent). The positions must agree with the vote's counts; "
        "otherwise nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("vote", type=int, metavar="VOTE", help="The vote's id.")
        parser.add_argument("file", metavar="FILE.csv")

    def handle(self, *args, vote, file, **options):
        try:
            vote = Vote.objects.select_related("body").get(pk=vote)
        except Vote.DoesNotExist:
            raise CommandError(f"No vote has the id {vote}.", returncode=1) from None
        try:
            data = read_import_file(file)
        except UnreadableFileError as error:
            raise CommandError(str(error), returncode=1) from None
        try:
            positions = roll_call_import(vote=vote, data=data, filename=file)
        except RollCallError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"{len(positions)} positions recorded for {vote} ({vote.body.name})."
        )

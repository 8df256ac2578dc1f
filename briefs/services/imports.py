"""Briefs from plain text: the importer's results saved through the services."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import changes
from ..importer import BriefFormatError, parse_brief
from ..models import Body, Brief, Vote
from .briefs import brief_create, brief_transition


class BriefExistsError(ValueError):
    """A brief with the same title already exists and the caller asked to skip it."""

    def __init__(self, filename, brief):
        self.filename = filename
        self.brief = brief
        super().__init__(
            f"{filename}: a brief titled '{brief.title}' already exists "
            f"({brief.slug}); skipped"
        )


def _messages(error):
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def _save_vote(parsed_vote, filename):
    try:
        body = Body.objects.get(slug=parsed_vote.body_slug)
    except Body.DoesNotExist:
        raise BriefFormatError(
            filename, parsed_vote.line, f"no body '{parsed_vote.body_slug}' exists"
        ) from None
    vote = Vote(
        body=body,
        title=parsed_vote.title,
        symbol=parsed_vote.symbol,
        date=parsed_vote.date,
        yes=parsed_vote.yes,
        no=parsed_vote.no,
        abstain=parsed_vote.abstain,
        outcome=parsed_vote.outcome or "",
    )
    if not vote.outcome:
        # The sentence gave counts but no verb: the body's rule decides.
        allowed = vote.expected_outcomes(body)
        vote.outcome = min(allowed) if len(allowed) == 1 else ""
    try:
        vote.full_clean()
    except ValidationError as error:
        raise BriefFormatError(
            filename, parsed_vote.line, "the vote " + " ".join(_messages(error))
        ) from None
    vote.save()
    return vote


@changes.collected
def save_parsed_brief(parsed, *, publish=False, author=None, skip_existing=False):
    """Create a draft (or, with `publish`, a published) brief from `parsed`."""
    if skip_existing:
        existing = Brief.objects.filter(title__iexact=parsed.title).first()
        if existing:
            raise BriefExistsError(parsed.filename, existing)
    try:
        Brief(title=parsed.title, summary=parsed.summary).full_clean(exclude=["slug"])
    except ValidationError as error:
        raise BriefFormatError(parsed.filename, 1, " ".join(_messages(error))) from None
    sections = [
        {
            "heading": section.heading,
            "bullets": [
                {"text": bullet.text, "attribution": bullet.attribution}
                for bullet in section.bullets
            ],
        }
        for section in parsed.sections
    ]
    brief = brief_create(
        title=parsed.title, summary=parsed.summary, user=author, sections=sections
    )
    votes = [_save_vote(vote, parsed.filename) for vote in parsed.votes]
    brief.votes.add(*votes)
    if publish:
        try:
            brief_transition(brief=brief, action="publish", user=author)
        except ValidationError as error:
            reasons = "; ".join(_messages(error))
            raise BriefFormatError(
                parsed.filename, 1, f"cannot publish: {reasons}"
            ) from None
    return brief


@transaction.atomic
def brief_import(*, text, filename="<text>", publish=False, author=None):
    """Parse one plain-text brief and save it, all or nothing."""
    return save_parsed_brief(
        parse_brief(text, filename), publish=publish, author=author
    )

"""Briefs from plain text: the importer's results saved through the services."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import changes
from ..importer import BriefFormatError, parse_brief
from ..models import Brief
from .briefs import brief_create, brief_transition
from .votes import error_messages, known_body_names, vote_from_parsed


class BriefExistsError(ValueError):
    """A brief with the same title already exists and the caller asked to skip it."""

    def __init__(self, filename, brief):
        self.filename = filename
        self.brief = brief
        super().__init__(
            f"{filename}: a brief titled '{brief.title}' already exists "
            f"({brief.slug}); skipped"
        )


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
        raise BriefFormatError(
            parsed.filename, 1, " ".join(error_messages(error))
        ) from None
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
    votes = [vote_from_parsed(vote, parsed.filename) for vote in parsed.votes]
    brief.votes.add(*votes)
    if publish:
        try:
            brief_transition(brief=brief, action="publish", user=author)
        except ValidationError as error:
            reasons = "; ".join(error_messages(error))
            raise BriefFormatError(
                parsed.filename, 1, f"cannot publish: {reasons}"
            ) from None
    return brief


@transaction.atomic
def brief_import(*, text, filename="<text>", publish=False, author=None):
    """Parse one plain-text brief and save it, all or nothing."""
    parsed = parse_brief(text, filename, known_bodies=known_body_names())
    return save_parsed_brief(parsed, publish=publish, author=author)

"""Briefs from plain text: the importer's results saved through the services."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import changes
from ..importer import BriefFormatError, parse_brief
from ..models import Brief, Bullet, UnreadVote
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


class UnreadVotesError(BriefFormatError):
    """A brief with sentences that look like votes but could not be read."""

    def __init__(self, filename, unread):
        self.unread = unread
        first = unread[0]
        super().__init__(filename, first.line, f"an unread vote: {first.reason}")


def unread_vote_messages(parsed):
    """Return 'FILE:LINE: reason' for each unread vote sentence of `parsed`."""
    return [
        f"{parsed.filename}:{unread.line}: a sentence that looks like a vote "
        f"could not be read ({unread.reason}): {unread.sentence}"
        for unread in parsed.unread_votes
    ]


@changes.collected
def save_parsed_brief(
    parsed,
    *,
    publish=False,
    author=None,
    skip_existing=False,
    allow_unread_votes=False,
):
    """Create a draft (or, with `publish`, a published) brief from `parsed`.

    A sentence that looks like a vote but could not be read stops the import
    (UnreadVotesError) unless `allow_unread_votes`: then it is kept on its
    bullet point, and the publish checklist lists it until an editor deals
    with it.
    """
    if parsed.unread_votes and not allow_unread_votes:
        raise UnreadVotesError(parsed.filename, parsed.unread_votes)
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
    _save_unread_votes(brief, parsed)
    if publish:
        try:
            brief_transition(brief=brief, action="publish", user=author)
        except ValidationError as error:
            reasons = "; ".join(error_messages(error))
            raise BriefFormatError(
                parsed.filename, 1, f"cannot publish: {reasons}"
            ) from None
    return brief


def _save_unread_votes(brief, parsed):
    bullets = Bullet.objects.filter(section__brief=brief).order_by(
        "section__position", "section__id", "position", "id"
    )
    parsed_bullets = [b for section in parsed.sections for b in section.bullets]
    rows = [
        UnreadVote(bullet=bullet, sentence=unread.sentence, reason=unread.reason[:300])
        for bullet, parsed_bullet in zip(bullets, parsed_bullets, strict=True)
        for unread in parsed_bullet.unread
    ]
    for row in rows:
        row.full_clean(exclude=["bullet"])
    UnreadVote.objects.bulk_create(rows)


def brief_import_preview(*, text, filename="<text>"):
    """Return the ParsedBrief in `text`, saving nothing, for the editor to check
    each vote read against its sentence before `brief_import` saves it."""
    return parse_brief(text, filename, known_bodies=known_body_names())


@transaction.atomic
def brief_import(
    *,
    text,
    filename="<text>",
    publish=False,
    author=None,
    allow_unread_votes=False,
):
    """Parse one plain-text brief and save it, all or nothing."""
    parsed = parse_brief(text, filename, known_bodies=known_body_names())
    return save_parsed_brief(
        parsed,
        publish=publish,
        author=author,
        allow_unread_votes=allow_unread_votes,
    )

"""Writes that span several models."""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction

from .importer import BriefFormatError, parse_brief
from .models import Body, Brief, Bullet, Section, Vote


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


def save_parsed_brief(parsed, *, publish=False, author=None, skip_existing=False):
    """Create a draft (or, with `publish`, a published) brief from `parsed`."""
    if skip_existing:
        existing = Brief.objects.filter(title__iexact=parsed.title).first()
        if existing:
            raise BriefExistsError(parsed.filename, existing)
    brief = Brief(title=parsed.title, summary=parsed.summary)
    try:
        brief.full_clean(exclude=["slug"])
    except ValidationError as error:
        raise BriefFormatError(parsed.filename, 1, " ".join(_messages(error))) from None
    brief.save()
    if author is not None:
        brief.authors.add(author)
    bullets = []
    for position, parsed_section in enumerate(parsed.sections, start=1):
        section = Section.objects.create(
            brief=brief, heading=parsed_section.heading, position=position
        )
        for index, parsed_bullet in enumerate(parsed_section.bullets, start=1):
            bullets.append(
                Bullet(
                    section=section,
                    text=parsed_bullet.text,
                    position=index,
                    attribution=parsed_bullet.attribution,
                )
            )
    Bullet.objects.bulk_create(bullets)
    brief.refresh_search_document()
    votes = [_save_vote(vote, parsed.filename) for vote in parsed.votes]
    brief.votes.add(*votes)
    if publish:
        try:
            brief.publish(user=author)
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


@transaction.atomic
def brief_delete(*, brief, user=None):
    """Delete `brief`, recording it first with all it holds as its last revision.

    The revision keeps the brief with its links (authors, topics, sources,
    votes), its sections, their bullets (with the sources each cites) and its
    corrections, so that the brief can be recovered from the admin's list of
    deleted briefs exactly as it was.
    """
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Deleted.")
        reversion.add_to_revision(brief)
        for correction in brief.corrections.all():
            reversion.add_to_revision(correction)
    brief.delete()

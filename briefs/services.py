"""Writes that span several models."""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .importer import BriefFormatError, parse_brief
from .models import (
    Body,
    BodyKind,
    Brief,
    Bullet,
    Outcome,
    Position,
    Section,
    Vote,
    VotePosition,
)


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


def known_body_names():
    """Return every name, short name and alias of the recorded bodies, for
    `parse_brief(known_bodies=...)`."""
    names = []
    for name, short_name, aliases in Body.objects.filter(placeholder=False).values_list(
        "name", "short_name", "aliases"
    ):
        names += [name, short_name, *aliases.splitlines()]
    return sorted({name.strip() for name in names if name.strip()})


def _unique_body_slug(name):
    base = slugify(name)[:50] or "body"
    slug, number = base, 1
    while Body.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def body_for_name(name, kind=BodyKind.OTHER):
    """Return the body called `name` (by name, short name or alias, in any
    case), creating it, of the `kind` guessed and with its rule unknown, if
    there is none; with no name, the placeholder body."""
    name = " ".join(name.split())[: Body._meta.get_field("name").max_length]
    if not name:
        return Body.objects.placeholder()
    body = Body.objects.named(name)
    if body is None:
        body = Body(name=name, slug=_unique_body_slug(name), kind=kind)
        body.full_clean()
        body.save()
    return body


def vote_from_parsed(parsed_vote, filename):
    """Save the vote a brief's sentence reports, against the body it names;
    raise BriefFormatError naming the line where the counts or the outcome
    break the body's rule."""
    body = body_for_name(parsed_vote.body_name, parsed_vote.body_kind)
    yes, no, outcome = parsed_vote.yes, parsed_vote.no, parsed_vote.outcome
    if body.kind == BodyKind.COURT:
        # A court's tally is majority-minority: the majority's ruling carries,
        # whatever it decided ("rejected the appeal 7-2").
        outcome = None
        if yes < no:
            yes, no = no, yes
    elif parsed_vote.against_measure:
        # "voted 52-48 to reject": 48 were for the measure, 52 against.
        yes, no = no, yes
    vote = Vote(
        body=body,
        title=parsed_vote.title,
        symbol=parsed_vote.symbol,
        date=parsed_vote.date,
        yes=yes,
        no=no,
        abstain=parsed_vote.abstain,
        not_voting=parsed_vote.not_voting,
        outcome=outcome or "",
    )
    if not vote.outcome:
        # The sentence gave counts but no verb: the body's rule decides; an
        # unknown rule is read as "more yes than no".
        allowed = vote.expected_outcomes(body)
        if not body.rule_known:
            allowed = {Outcome.ADOPTED if yes > no else Outcome.REJECTED}
        vote.outcome = min(allowed) if len(allowed) == 1 else ""
    try:
        vote.full_clean()
    except ValidationError as error:
        raise BriefFormatError(
            filename,
            parsed_vote.line,
            f"the vote in the {body.label}: " + " ".join(_messages(error)),
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
    votes = [vote_from_parsed(vote, parsed.filename) for vote in parsed.votes]
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
    parsed = parse_brief(text, filename, known_bodies=known_body_names())
    return save_parsed_brief(parsed, publish=publish, author=author)


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


@transaction.atomic
def body_merge(*, source, target):
    """Merge the duplicate body `source` into `target`: its votes, names and
    veto holders move to `target`, and `source` is deleted.

    Refused (ValidationError, nothing changed) if a vote that moves would break
    `target`'s rules, or if either is the placeholder body.
    """
    if source.pk == target.pk:
        raise ValidationError("A body cannot be merged into itself.")
    if source.placeholder or target.placeholder:
        raise ValidationError(
            "The placeholder stands in for bodies the briefs did not name: "
            "choose the body on each of its votes instead of merging it."
        )
    source, target = (
        Body.objects.select_for_update()
        .prefetch_related("permanent_members")
        .get(pk=body.pk)
        for body in (source, target)
    )
    problems = []
    for vote in source.votes.prefetch_related("positions"):
        vote.body = target
        for messages in vote.rule_errors(list(vote.positions.all())).values():
            problems += [f"{vote}: {message}" for message in messages]
    if problems:
        raise ValidationError(problems)
    taken = {target.name.casefold(), *target.alias_keys()}
    aliases = target.alias_list()
    for name in (source.name, source.short_name, *source.alias_list()):
        if name and name.casefold() not in taken:
            aliases.append(name)
            taken.add(name.casefold())
    target.aliases = "\n".join(aliases)
    codes = target.permanent_codes()
    source.permanent_members.exclude(code__in=codes).update(body=target)
    source.votes.update(body=target)
    source.delete()
    # Saved last: its briefs, now including the moved votes', render again.
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def roll_call_import(*, vote, data, filename="<csv>"):
    """Replace `vote`'s per-member positions with the roll call in CSV `data`.

    The positions must agree with the vote's counts and its body's rules;
    otherwise RollCallError names the line and nothing is saved.
    """
    from .rollcall import RollCallError, parse_roll_call

    rows = parse_roll_call(data, filename)
    vote = Vote.objects.select_related("body").select_for_update().get(pk=vote.pk)
    seats = vote.body.seats
    limits = {
        Position.YES: vote.yes,
        Position.NO: vote.no,
        Position.ABSTAIN: vote.abstain,
        Position.ABSENT: vote.not_voting
        if vote.not_voting is not None
        else (seats - vote.recorded_total if seats is not None else None),
    }
    tally = dict.fromkeys(limits, 0)
    for row in rows:
        tally[row.position] += 1
        limit = limits[row.position]
        if limit is not None and tally[row.position] > limit:
            label = Position(row.position).label.lower()
            raise RollCallError(
                filename,
                row.line,
                f"{row.member_name} makes {tally[row.position]} members '{label}', "
                f"but the vote counts {limit}; nothing was saved",
            )
    positions = [
        VotePosition(
            vote=vote,
            member_code=row.member_code,
            member_name=row.member_name[:120],
            position=row.position,
        )
        for row in rows
    ]
    errors = vote.rule_errors(positions)
    if errors:
        messages = " ".join(m for field in errors.values() for m in field)
        raise RollCallError(filename, rows[-1].line, f"{messages} Nothing was saved.")
    vote.positions.all().delete()
    VotePosition.objects.bulk_create(positions)
    # Saved last, so the briefs that report the vote render its new chart.
    vote.save(update_fields=["updated_at"])
    return positions

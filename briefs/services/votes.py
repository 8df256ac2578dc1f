"""Votes and the bodies that cast them: votes from the importer, merging
bodies, roll calls.

Each records the briefs that show what changed (`briefs.changes`).
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from .. import changes
from ..importer import BriefFormatError
from ..models import Body, BodyKind, Outcome, Position, Vote, VotePosition
from .shared import briefs_showing, briefs_touched, check_shared_change


def error_messages(error):
    """Return the messages of a ValidationError as one flat list."""
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
    if BodyKind.COURT in (body.kind, parsed_vote.body_kind):
        # A court's tally is majority-minority: the majority's ruling carries,
        # whatever it decided ("rejected the appeal 7-2").
        outcome = None
        if yes < no:
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
        required_share=parsed_vote.required_share,
        required_yes=parsed_vote.required_yes,
    )
    if not vote.outcome:
        # The sentence gave counts but no verb: the body's rule decides; an
        # unknown rule is read as "more yes than no".
        allowed = vote.expected_outcomes(body)
        if not vote.rule_known:
            allowed = {Outcome.ADOPTED if yes > no else Outcome.REJECTED}
        vote.outcome = min(allowed) if len(allowed) == 1 else ""
    try:
        vote.full_clean()
    except ValidationError as error:
        raise BriefFormatError(
            filename,
            parsed_vote.line,
            f"the vote in the {body.label}: " + " ".join(error_messages(error)),
        ) from None
    vote.save()
    return vote


@changes.collected
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
    changes.record_briefs_of(briefs_showing(source))
    source.votes.update(body=target)
    source.delete()
    target.full_clean()
    target.save()
    briefs_touched(briefs_showing(target))
    return target


@changes.collected
def roll_call_import(*, vote, data, filename="<csv>", user=None):
    """Replace `vote`'s per-member positions with the roll call in CSV `data`.

    The positions must agree with the vote's counts and its body's rules;
    otherwise RollCallError names the line and nothing is saved. Raises
    LiveSharedError if `user` may not change the vote (see shared.py).
    """
    from ..rollcall import RollCallError, parse_roll_call

    check_shared_change(obj=vote, user=user)

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
    # Its Last-Modified moves with its positions.
    vote.save(update_fields=["updated_at"])
    briefs_touched(briefs_showing(vote))
    return positions

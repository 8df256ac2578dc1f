"""Recorded votes and the rules of the bodies that cast them."""

import math
from collections import Counter
from fractions import Fraction

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from ..access import reads_drafts
from ..validators import validate_no_control_characters

member_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,9}$",
    "Use the member's code in capitals, e.g. the ISO 3166 alpha-3 code 'USA'.",
)


class Position(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    ABSTAIN = "abstain", "Abstain"
    ABSENT = "absent", "Absent / not voting"


class Outcome(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    REJECTED = "rejected", "Rejected"
    VETOED = "vetoed", "Vetoed"


class VoteOn(models.TextChoices):
    TEXT = "text", "Whole text"
    AMENDMENT = "amendment", "Amendment"


# Which count each recorded position is tallied against.
POSITION_COUNT_FIELD = {
    Position.YES: "yes",
    Position.NO: "no",
    Position.ABSTAIN: "abstain",
    Position.ABSENT: "not_voting",
}


class BodyKind(models.TextChoices):
    UN_ORGAN = "un_organ", "UN organ"
    PARLIAMENT = "parliament", "Parliament or chamber"
    COUNCIL = "council", "Council"
    ASSEMBLY = "assembly", "Assembly"
    COURT = "court", "Court"
    BOARD = "board", "Board"
    SHAREHOLDERS = "shareholders", "Shareholder meeting"
    COMMITTEE = "committee", "Committee"
    OTHER = "other", "Other"


class ThresholdBase(models.TextChoices):
    CAST = "cast", "votes cast"
    PRESENT = "present", "members present and voting"
    MEMBERS = "members", "all members"
    SHARES = "shares", "shares voted"


class Share(models.TextChoices):
    UNKNOWN = "", "Not known"
    MORE_YES = "more_yes", "More yes than no"
    MAJORITY = "majority", "A majority (more than half)"
    THREE_FIFTHS = "three_fifths", "Three fifths"
    TWO_THIRDS = "two_thirds", "Two thirds"
    UNANIMITY = "unanimity", "Unanimity"
    FIXED = "fixed", "A fixed number of yes votes"


# The fractions a share needs, reached or passed ("at least").
SHARE_FRACTIONS = {
    Share.THREE_FIFTHS: Fraction(3, 5),
    Share.TWO_THIRDS: Fraction(2, 3),
}
SHARE_WORDS = {
    Share.MAJORITY: "more than half",
    Share.THREE_FIFTHS: "three fifths",
    Share.TWO_THIRDS: "two thirds",
    Share.UNANIMITY: "all",
}
# The shares a single measure may need beyond its body's usual rule: a charter
# amendment needing two thirds, a closure motion three fifths.
REQUIRED_SHARE_CHOICES = [
    ("", "The body's usual rule"),
    *[
        (share.value, share.label)
        for share in (
            Share.MAJORITY,
            Share.THREE_FIFTHS,
            Share.TWO_THIRDS,
            Share.UNANIMITY,
        )
    ],
]


class BodyQuerySet(models.QuerySet):
    def named(self, name):
        """Return the body called `name` (its name, short name or an alias, in
        any case), or None."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return None
        found = self.filter(
            Q(name__iexact=wanted) | Q(short_name__iexact=wanted)
        ).first()
        if found is not None:
            return found
        # Aliases are a few lines per body; matching whole lines needs Python.
        for body in self.filter(aliases__icontains=wanted).order_by("pk"):
            if wanted in body.alias_keys():
                return body
        return None

    def visible_to(self, user):
        """Return every body for staff who may read drafts; for readers, the
        bodies of votes that published briefs report (a body named only by a
        draft would give the draft away)."""
        if reads_drafts(user):
            return self.all()
        return self.filter(
            Exists(Vote.objects.cited_by_published().filter(body=OuterRef("pk")))
        )

    def placeholder(self):
        """Return the body that stands in for one no brief named (made once)."""
        body, _ = self.get_or_create(
            placeholder=True,
            defaults={
                "name": PLACEHOLDER_NAME,
                "slug": "body-to-be-named",
                "kind": BodyKind.OTHER,
            },
        )
        return body


class BodyManager(models.Manager.from_queryset(BodyQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


PLACEHOLDER_NAME = "Body to be named"


class Body(models.Model):
    """A deciding body (a council, parliament, court, board, shareholder
    meeting...) with its size and its decision rule, as data."""

    name = models.CharField(
        max_length=120, unique=True, validators=[validate_no_control_characters]
    )
    short_name = models.CharField(
        max_length=40,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="Used in charts, e.g. 'General Assembly'.",
    )
    slug = models.SlugField(max_length=60, unique=True)
    aliases = models.TextField(
        blank=True,
        validators=[validate_no_control_characters],
        help_text="Other names briefs use for this body, one per line, e.g. "
        "'UNGA'. The importer matches them in any case.",
    )
    kind = models.CharField(max_length=16, choices=BodyKind, default=BodyKind.OTHER)
    jurisdiction = models.CharField(
        "country or jurisdiction",
        max_length=120,
        blank=True,
        validators=[validate_no_control_characters],
    )
    seats = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many members may vote. Counts can never add up to more. "
        "Leave empty where it is not known or where shares are counted.",
    )
    threshold_base = models.CharField(
        "threshold measured on",
        max_length=10,
        choices=ThresholdBase,
        default=ThresholdBase.CAST,
    )
    share = models.CharField(
        "share needed",
        max_length=14,
        choices=Share,
        blank=True,
        default=Share.UNKNOWN,
        help_text="Leave 'not known' until someone checks the body's rules: "
        "outcomes are then taken as the brief states them.",
    )
    abstentions_count = models.BooleanField(
        "abstentions count",
        default=False,
        help_text="Whether abstentions count among the votes the share is "
        "measured on (they then work like votes against).",
    )
    min_yes = models.PositiveIntegerField(
        "minimum yes votes",
        null=True,
        blank=True,
        help_text="Yes votes a measure needs whatever the abstentions "
        "(9 in the Security Council): the number for 'a fixed number', or "
        "a floor under any other share.",
    )
    placeholder = models.BooleanField(
        default=False,
        editable=False,
        help_text="Stands in for a body that a brief did not name.",
    )

    objects = BodyManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__isnull=True) | Q(seats__gte=1),
                name="body_has_seats",
            ),
            models.CheckConstraint(
                condition=Q(min_yes__isnull=True)
                | Q(seats__isnull=True)
                | Q(min_yes__lte=F("seats")),
                name="body_min_yes_within_seats",
            ),
            models.UniqueConstraint(
                fields=["placeholder"],
                condition=Q(placeholder=True),
                name="body_one_placeholder",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        # Migrations make the bodies; a backup names them, never numbers them.
        return (self.slug,)

    def clean(self):
        errors = {}
        if self.share == Share.FIXED and self.min_yes is None:
            errors["min_yes"] = "Give the number of yes votes the rule needs."
        if self.threshold_base == ThresholdBase.MEMBERS and self.seats is None:
            errors["seats"] = "A share of all members needs the number of seats."
        if errors:
            raise ValidationError(errors)

    @property
    def label(self):
        return self.short_name or self.name

    def alias_list(self):
        """Return the aliases, one per line, as a list."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def alias_keys(self):
        return {" ".join(alias.split()).casefold() for alias in self.alias_list()}

    @property
    def rule_known(self):
        return bool(self.share)

    def permanent_codes(self):
        """Return the codes of the members holding a veto (uses any prefetch)."""
        return {member.code for member in self.permanent_members.all()}

    def yes_needed(self, no, abstain, share="", min_yes=None):
        """Return the fewest yes votes that pass with these other counts, or
        None where the rule is not known or nothing could pass.

        `share` and `min_yes` are what one measure needed beyond the usual
        rule (see Vote.required_share): the share replaces the body's, the
        number adds a floor; the body's base, abstentions and floor still hold.
        """
        share = share or self.share
        floors = [n for n in (self.min_yes, min_yes) if n is not None]
        if not share and not floors:
            return None
        counted = no + (abstain if self.abstentions_count else 0)
        needed = no + 1
        if self.threshold_base == ThresholdBase.MEMBERS and self.seats is not None:
            needed = max(needed, self._of_members(share))
        elif share == Share.MAJORITY:
            needed = max(needed, counted + 1)
        elif share in SHARE_FRACTIONS:
            fraction = SHARE_FRACTIONS[share]
            # yes >= fraction * (yes + counted), solved for yes.
            needed = max(needed, math.ceil(fraction * counted / (1 - fraction)))
        elif share == Share.UNANIMITY and counted:
            return None
        return max([needed, *floors])

    def _of_members(self, share):
        seats = self.seats
        if share == Share.MAJORITY:
            return seats // 2 + 1
        if share in SHARE_FRACTIONS:
            return math.ceil(SHARE_FRACTIONS[share] * seats)
        if share == Share.UNANIMITY:
            return seats
        return 1

    def rule_text(self, share="", min_yes=None):
        """Return the decision rule in words, e.g. 'three fifths of all members';
        `share` and `min_yes` as for yes_needed."""
        share = share or self.share
        floors = [n for n in (self.min_yes, min_yes) if n is not None]
        if not share and not floors:
            return "rule not recorded"
        base = self.get_threshold_base_display()
        if share in ("", Share.FIXED):
            parts = []
        elif share == Share.MORE_YES:
            parts = ["more yes than no"]
        else:
            parts = [f"{SHARE_WORDS[share]} of {base}"]
            if self.threshold_base == ThresholdBase.MEMBERS and self.seats:
                parts[0] += f" ({self._of_members(share)} of {self.seats})"
        if share not in ("", Share.MORE_YES) and self.abstentions_count:
            parts.append("abstentions counting")
        if floors:
            parts.append(f"at least {max(floors):,} yes")
        return ", ".join(parts)


class PermanentMemberManager(models.Manager):
    def get_by_natural_key(self, body_slug, code):
        return self.get(body__slug=body_slug, code=code)


class PermanentMember(models.Model):
    """A member whose 'no' vetoes a measure in its body."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="permanent_members"
    )
    code = models.CharField(max_length=10, validators=[member_code_validator])
    name = models.CharField(max_length=120, validators=[validate_no_control_characters])

    objects = PermanentMemberManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "code"], name="permanent_member_unique_per_body"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.body.label})"

    def natural_key(self):
        return (*self.body.natural_key(), self.code)

    natural_key.dependencies = ["briefs.body"]


class VoteQuerySet(models.QuerySet):
    def cited_by_published(self):
        """Return the votes that at least one brief visible to readers reports."""
        from .briefs import Brief

        return self.filter(
            Exists(Brief.objects.published().filter(votes=OuterRef("pk")))
        )

    def visible_to(self, user):
        """Return every vote for staff who may read drafts, else what readers see."""
        if reads_drafts(user):
            return self.all()
        return self.cited_by_published()


class Vote(models.Model):
    """A recorded vote on a measure, usable by several briefs."""

    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="votes",
        help_text="Who voted. Its seats and rules decide which counts and "
        "outcomes are possible.",
    )
    title = models.CharField(
        max_length=300,
        validators=[validate_no_control_characters],
        help_text="The measure voted on, in readers' words.",
    )
    symbol = models.CharField(
        max_length=60,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="The document symbol, e.g. 'A/ES-11/L.10' or 'S/RES/2774 (2025)'.",
    )
    date = models.DateField(null=True, blank=True, help_text="The day of the vote.")
    vote_on = models.CharField(
        "vote on",
        max_length=12,
        choices=VoteOn,
        default=VoteOn.TEXT,
        help_text="Whether members voted on the whole text or on an amendment.",
    )
    required_share = models.CharField(
        "share this measure needed",
        max_length=14,
        choices=REQUIRED_SHARE_CHOICES,
        blank=True,
        default="",
        help_text="Only where this measure needed more than the body's usual "
        "rule, e.g. two thirds for a charter amendment. Measured as the body's "
        "rule measures it.",
    )
    required_yes = models.PositiveBigIntegerField(
        "yes votes this measure needed",
        null=True,
        blank=True,
        help_text="Only where this measure needed a fixed number of yes votes, "
        "e.g. 60 to close a debate in a 100-seat senate.",
    )
    # Big: a shareholder meeting counts shares, and shares run to billions.
    yes = models.PositiveBigIntegerField(default=0, help_text="Votes in favour.")
    no = models.PositiveBigIntegerField(default=0, help_text="Votes against.")
    abstain = models.PositiveBigIntegerField(
        default=0, help_text="Abstentions (votes withheld included)."
    )
    not_voting = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="Members present or absent who did not vote. When recorded "
        "and the body's seats are known, the four counts must add up to them.",
    )
    outcome = models.CharField(
        max_length=12,
        choices=Outcome,
        help_text="Must agree with the counts and the body's rule: e.g. in the "
        "Security Council 'adopted' needs 9 yes and no permanent member against.",
    )
    context = models.BooleanField(
        "background only",
        default=False,
        help_text="An earlier decision the brief mentions as background: it "
        "stays in the data and the API, but the page draws no chart for it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["body", "date", "id"]),
            models.Index(fields=["outcome", "date", "id"]),
            models.Index(fields=["date", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="adopted") | Q(yes__gt=F("no")),
                name="vote_adopted_needs_more_yes_than_no",
                violation_error_message="An adopted measure needs more yes than no.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="vetoed") | Q(no__gte=1),
                name="vote_vetoed_needs_a_no",
                violation_error_message="A veto needs at least one vote against.",
            ),
        ]

    def __str__(self):
        label = self.symbol or self.title
        return f"{label}: {self.outcome_label}"

    @property
    def counts_label(self):
        """Return the counts the way newsrooms write them, e.g. '93-18-65'."""
        return f"{self.yes:,}-{self.no:,}-{self.abstain:,}"

    @property
    def outcome_label(self):
        """Return the outcome in words, e.g. 'Adopted, 93-18-65'."""
        return f"{self.get_outcome_display()}, {self.counts_label}"

    @property
    def outcome_words(self):
        """Return the outcome as readers say it of this body, with the counts:
        a court's majority 'ruled' rather than 'adopted'."""
        if self.outcome == Outcome.ADOPTED and self.body.kind == BodyKind.COURT:
            return f"Ruled, {self.counts_label}"
        return self.outcome_label

    @property
    def yes_needed(self):
        """Return the yes votes these counts needed to pass under the body's
        rule, or None where the rule is not known."""
        return self.body.yes_needed(self.no, self.abstain, **self._requirement())

    @property
    def not_voting_count(self):
        """Return 'not voting' as recorded, or else what the seats leave (0
        where the seats are not known)."""
        if self.not_voting is not None:
            return self.not_voting
        if self.body.seats is None:
            return 0
        return max(self.body.seats - self.yes - self.no - self.abstain, 0)

    @property
    def recorded_total(self):
        return self.yes + self.no + self.abstain + (self.not_voting or 0)

    @property
    def rule_text(self):
        """Return the rule this vote was decided by, in words."""
        return self.body.rule_text(**self._requirement())

    @property
    def rule_known(self):
        """Whether the rule this vote was decided by is known: the body's, or
        what the measure needed."""
        return (
            self.body.rule_known
            or bool(self.required_share)
            or (self.required_yes is not None)
        )

    def _requirement(self):
        return {"share": self.required_share, "min_yes": self.required_yes}

    def clean(self):
        # A form that edits the positions alongside the counts sets
        # `defer_position_rules` and checks both together once it has them all.
        if self.pk and not getattr(self, "defer_position_rules", False):
            positions = list(self.positions.all())
        else:
            positions = []
        errors = self.rule_errors(positions)
        if errors:
            raise ValidationError(errors)

    def rule_errors(self, positions=()):
        """Return field-keyed messages for every rule these counts break.

        `positions` are the per-member positions to check against the counts
        (saved or about to be saved); the rules of the body apply either way.
        """
        errors = {}
        if self.body_id is None:
            return errors
        body = self.body
        for key, message in self._seat_errors(body):
            errors.setdefault(key, []).append(message)
        for key, message in self._position_errors(body, positions):
            errors.setdefault(key, []).append(message)
        if not errors and self.outcome:
            message = self._outcome_error(body, positions)
            if message:
                errors["outcome"] = [message]
        return errors

    def _seat_errors(self, body):
        if body.seats is None:
            return
        total = self.recorded_total
        parts = f"{self.yes:,} yes, {self.no:,} no, {self.abstain:,} abstaining"
        if self.not_voting is not None:
            parts += f", {self.not_voting:,} not voting"
            if total != body.seats:
                yield (
                    NON_FIELD_ERRORS,
                    f"The {body.label} has {body.seats} seats; these counts "
                    f"({parts}) add up to {total:,}. With 'not voting' recorded "
                    f"they must add up to exactly {body.seats}.",
                )
        elif total > body.seats:
            yield (
                NON_FIELD_ERRORS,
                f"The {body.label} has {body.seats} seats; these counts "
                f"({parts}) add up to {total:,}.",
            )

    def _position_errors(self, body, positions):
        if not positions:
            return
        codes = Counter(p.member_code for p in positions)
        repeated = sorted(code for code, n in codes.items() if n > 1)
        if repeated:
            yield (
                NON_FIELD_ERRORS,
                f"Each member votes once; recorded more than once: "
                f"{', '.join(repeated)}.",
            )
        seats = body.seats
        if seats is not None and len(positions) > seats:
            yield (
                NON_FIELD_ERRORS,
                f"{len(positions)} positions are recorded but the {body.label} "
                f"has only {seats} seats.",
            )
            return
        complete = seats is not None and len(positions) == seats
        tally = Counter(p.position for p in positions)
        for position, field in POSITION_COUNT_FIELD.items():
            count = getattr(self, field)
            if count is None:
                if seats is None:
                    continue
                # Not voting was not recorded: it is whatever the seats leave.
                count = seats - self.yes - self.no - self.abstain
            recorded = tally.get(position, 0)
            label = Position(position).label.lower()
            if complete and recorded != count:
                yield (
                    field,
                    f"All {seats} members' positions are recorded and "
                    f"{recorded} of them are '{label}', but this count says {count}.",
                )
            elif recorded > count:
                yield (
                    field,
                    f"{recorded} members are recorded as '{label}', more than "
                    f"this count of {count}.",
                )

    def expected_outcomes(self, body=None, positions=()):
        """Return the outcomes the body's rule allows for these counts."""
        body = body or self.body
        needed = body.yes_needed(self.no, self.abstain, **self._requirement())
        if not (
            body.rule_known or self.required_share or self.required_yes is not None
        ):
            # Taken as the brief states it; only 'adopted' needs more yes than no.
            if self.yes > self.no:
                return {Outcome.ADOPTED, Outcome.REJECTED}
            return {Outcome.REJECTED}
        if needed is None or self.yes < needed:
            return {Outcome.REJECTED}
        permanent = body.permanent_codes()
        if not permanent:
            return {Outcome.ADOPTED}
        by_code = {p.member_code: p.position for p in positions}
        if any(by_code.get(code) == Position.NO for code in permanent):
            return {Outcome.VETOED}
        if all(code in by_code for code in permanent) or self.no == 0:
            return {Outcome.ADOPTED}
        # Without every permanent member's position, a 'no' may be a veto.
        return {Outcome.ADOPTED, Outcome.VETOED}

    def _outcome_error(self, body, positions):
        allowed = self.expected_outcomes(body, positions)
        if self.outcome in allowed:
            return None
        counts = f"{self.yes:,} yes, {self.no:,} no"
        if self.abstain:
            counts += f", {self.abstain:,} abstaining"
        if self.outcome == Outcome.VETOED and not body.rule_known:
            return (
                f"The {body.label}'s rule is not recorded, so no veto is known "
                "and the outcome cannot be 'vetoed'."
            )
        if self.outcome == Outcome.VETOED and Outcome.REJECTED in allowed:
            return (
                f"A veto blocks a measure that would otherwise pass; with "
                f"{counts} it fails anyway, so the outcome is 'rejected'."
            )
        if self.outcome == Outcome.VETOED:
            return (
                "'Vetoed' needs a permanent member voting no, and the recorded "
                "positions show none."
            )
        if Outcome.VETOED in allowed and self.outcome == Outcome.ADOPTED:
            return (
                f"A permanent member of the {body.label} voted no, so the "
                "measure was vetoed, not adopted."
            )
        if Outcome.REJECTED in allowed:
            return f"With {counts} the measure fails {self._rule_text(body)}."
        return f"With {counts} the measure passes {self._rule_text(body)}."

    def _rule_text(self, body):
        rule = body.rule_text(**self._requirement())
        return f"the {body.label}'s rule (it needs {rule})"


class VotePosition(models.Model):
    """How one member voted."""

    # No index of its own: the (vote, member_code) unique constraint serves it.
    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="positions", db_index=False
    )
    member_code = models.CharField(
        max_length=10,
        validators=[member_code_validator],
        help_text="ISO 3166 alpha-3 code, e.g. 'USA'.",
    )
    member_name = models.CharField(
        max_length=120, validators=[validate_no_control_characters]
    )
    position = models.CharField(max_length=8, choices=Position)

    class Meta:
        ordering = ["member_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "member_code"], name="position_unique_per_vote"
            )
        ]
        indexes = [models.Index(fields=["member_code", "position"])]

    def __str__(self):
        return f"{self.member_name}: {self.get_position_display()}"


class UnreadVote(models.Model):
    """A sentence of a bullet point that looks like a vote but that the
    importer could not read whole. It waits on the publish checklist until an
    editor records the vote by hand or says the sentence holds no vote."""

    class Resolution(models.TextChoices):
        OPEN = "", "Not checked yet"
        RECORDED = "recorded", "Vote recorded by hand"
        NO_VOTE = "no_vote", "No vote in this sentence"

    bullet = models.ForeignKey(
        "briefs.Bullet", on_delete=models.CASCADE, related_name="unread_votes"
    )
    sentence = models.TextField(validators=[validate_no_control_characters])
    reason = models.CharField(
        max_length=300, help_text="Why the importer could not read the sentence."
    )
    resolution = models.CharField(
        max_length=10,
        choices=Resolution,
        blank=True,
        default=Resolution.OPEN,
        help_text="Record the vote by hand (and choose it below), or say the "
        "sentence holds no vote; until then it blocks publishing.",
    )
    vote = models.ForeignKey(
        Vote,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The vote recorded by hand for this sentence.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(resolution="recorded") | Q(vote__isnull=False),
                name="unread_vote_recorded_names_the_vote",
                violation_error_message="Choose the vote recorded for this "
                "sentence, or mark it as no vote.",
            )
        ]

    def __str__(self):
        return self.sentence[:80]

    @property
    def is_open(self):
        """Return True while the sentence still waits for an editor."""
        return self.resolution == self.Resolution.OPEN

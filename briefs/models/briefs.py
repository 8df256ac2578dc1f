"""Briefs, their sections and bullets, topics and public corrections."""

import uuid
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.text import slugify

from ..access import reads_drafts, reads_embargoed
from ..links import cached_reverse
from ..validators import validate_no_control_characters
from .people import credited_names
from .prefetch import related
from .renderings import BriefRendering

SEARCH_CONFIG = "english"
SUMMARY_MIN_LENGTH = 40
SUMMARY_MAX_LENGTH = 1200
# How long a brief may grow: every way in (admin, API, importer) refuses more.
MAX_SECTIONS_PER_BRIEF = 30
MAX_BULLETS_PER_BRIEF = 150


def content_size_errors(sections, bullets):
    """Return what is wrong with a brief of `sections` sections and `bullets` bullets.

    An empty list means the size is within the limits.
    """
    errors = []
    if sections > MAX_SECTIONS_PER_BRIEF:
        errors.append(
            f"A brief has at most {MAX_SECTIONS_PER_BRIEF} sections; "
            f"this one has {sections}."
        )
    if bullets > MAX_BULLETS_PER_BRIEF:
        errors.append(
            f"A brief has at most {MAX_BULLETS_PER_BRIEF} bullet points; "
            f"this one has {bullets}."
        )
    return errors


class ChecklistItem(NamedTuple):
    """A failing item of the publish checklist, and the row it concerns."""

    where: str
    message: str
    # The section, bullet or vote at fault; None for the brief as a whole.
    concerns: models.Model | None = None

    @property
    def row(self):
        """Return the key of the row it concerns (see `checklist_row`), or None."""
        return None if self.concerns is None else checklist_row(self.concerns)


def checklist_row(obj):
    """Return the key that ties checklist items to `obj`'s row, e.g. 'bullet-7'."""
    return f"{type(obj).__name__.lower()}-{obj.pk}"


# How often a save picks a slug again when another brief took it meanwhile.
SLUG_ATTEMPTS = 5


def weighted_search_vector(
    document="search_document", *, title="title", summary="summary"
):
    """Return what `Brief.search_vector` stores: the title first, then the rest.

    Each part is a column name, or a Value holding the text being saved.
    """
    return (
        SearchVector(title, weight="A", config=SEARCH_CONFIG)
        + SearchVector(summary, weight="B", config=SEARCH_CONFIG)
        + SearchVector(document, weight="C", config=SEARCH_CONFIG)
    )


class TopicQuerySet(models.QuerySet):
    def with_published_briefs(self, at=None):
        """Return the topics of at least one brief readers can see (at `at`,
        by default now)."""
        # A correlated subquery stops at each topic's first visible brief; a
        # join (or an EXISTS, which PostgreSQL turns into one) reads them all.
        first = (
            Brief.objects.published(at)
            .filter(topics=models.OuterRef("pk"))
            .values("pk")[:1]
        )
        return self.annotate(any_brief=models.Subquery(first)).filter(
            any_brief__isnull=False
        )

    def visible_to(self, user):
        """Return every topic for staff who may read drafts, else the public ones.

        A topic no published brief is filed under is not public: its name may
        announce a story that is still embargoed.
        """
        if reads_drafts(user):
            return self.all()
        return self.with_published_briefs()


class Topic(models.Model):
    name = models.CharField(
        max_length=100, unique=True, validators=[validate_no_control_characters]
    )
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, validators=[validate_no_control_characters]
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("briefs:topic-detail", slug=self.slug)


class StaleBriefError(Exception):
    """Raised when a brief was saved by someone else since it was loaded."""

    def __init__(self, brief_id, expected_version, current_version):
        self.brief_id = brief_id
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"Brief {brief_id} is at version {current_version}, "
            f"not {expected_version}: someone saved it in between."
        )


class BriefQuerySet(models.QuerySet):
    def with_pending_draft(self):
        """Return the briefs whose edit waits as a pending draft."""
        return self.filter(pending_draft__isnull=False)

    def published(self, at=None, *, embargoed=False):
        """Return the briefs readers can see: published, not in the future and
        not under embargo (at `at`, by default now).

        `embargoed=True` also returns briefs still under embargo: what partners
        see before readers do.
        """
        at = timezone.now() if at is None else at
        visible = self.filter(status=Brief.Status.PUBLISHED, published_at__lte=at)
        if embargoed:
            return visible
        return visible.filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=at))

    # `published()` as an SQL condition on the brief table aliased `b`, with
    # its parameters from `published_sql_params`, for the few reads that run
    # plain SQL (briefs.rendering.PublishedRows); a test checks the two agree.
    PUBLISHED_SQL = (
        "b.status = 'published' AND b.published_at <= %s"
        " AND (b.embargo_until IS NULL OR b.embargo_until <= %s)"
    )

    @staticmethod
    def published_sql_params(connection, at=None):
        at = connection.ops.adapt_datetimefield_value(
            timezone.now() if at is None else at
        )
        return [at, at]

    def scheduled(self):
        """Return published briefs whose publication time is still to come."""
        return self.filter(
            status=Brief.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def embargoed(self, at=None):
        """Return published briefs that partners may see and readers not yet."""
        at = timezone.now() if at is None else at
        return self.filter(
            status=Brief.Status.PUBLISHED, published_at__lte=at, embargo_until__gt=at
        )

    def next_public_change(self):
        """Return the next moment readers will see a brief appear without any
        change being saved (a scheduled time or an embargo's end), or None."""
        now = timezone.now()
        upcoming = self.filter(status=Brief.Status.PUBLISHED).aggregate(
            publication=models.Min("published_at", filter=Q(published_at__gt=now)),
            embargo=models.Min("embargo_until", filter=Q(embargo_until__gt=now)),
        )
        moments = [moment for moment in upcoming.values() if moment is not None]
        return min(moments, default=None)

    def visible_to(self, user):
        """Return every brief for staff who may read drafts; published briefs,
        embargoed ones included, for partners; else what readers see."""
        if reads_drafts(user):
            return self.all()
        return self.published(embargoed=reads_embargoed(user))


class Attribution(models.TextChoices):
    FACT = "fact", "Fact"
    REPORTED = "reported", "Reported"
    ALLEGED = "alleged", "Alleged"

    @classmethod
    def needing_source(cls):
        return [cls.REPORTED, cls.ALLEGED]


class Brief(models.Model):
    """A short, structured explainer of a news story."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    # action: (statuses it starts from, status it leads to)
    TRANSITIONS = {
        "submit_for_review": ({Status.DRAFT}, Status.REVIEW),
        "publish": (
            {Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
            Status.PUBLISHED,
        ),
        "archive": ({Status.PUBLISHED}, Status.ARCHIVED),
        "return_to_draft": (
            {Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
            Status.DRAFT,
        ),
    }

    uuid = models.UUIDField(
        "UUID",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="The brief's permanent identifier (its `id` in the API and "
        "feeds): it never changes and is never given to another brief.",
    )
    title = models.CharField(
        max_length=200,
        validators=[validate_no_control_characters],
        help_text="The headline readers see.",
    )
    slug = models.SlugField(
        max_length=220,
        unique=True,
        blank=True,
        help_text="The address of the brief (/briefs/<slug>/). Made from the title "
        "when left empty. Once published, an old address keeps working: it "
        "redirects to the new one.",
    )
    summary = models.TextField(
        validators=[validate_no_control_characters],
        help_text=f"One paragraph that tells the story on its own "
        f"({SUMMARY_MIN_LENGTH} to {SUMMARY_MAX_LENGTH} characters to publish).",
    )
    status = models.CharField(
        max_length=12,
        choices=Status,
        default=Status.DRAFT,
        help_text="Draft, in review, published or archived. Only editors publish, "
        "schedule, unpublish and archive.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When readers can see the brief. A time in the future schedules it.",
    )
    embargo_until = models.DateTimeField(
        "embargo until",
        null=True,
        blank=True,
        help_text="Partners receive the published brief through the API at once; "
        "readers, feeds, sitemaps and search see it only from this time on. "
        "Leave empty for no embargo.",
    )
    first_published_at = models.DateTimeField(
        "first published",
        null=True,
        blank=True,
        editable=False,
        help_text="Set on first publication and never moved.",
    )
    last_updated_at = models.DateTimeField(
        "last updated",
        null=True,
        blank=True,
        editable=False,
        help_text="Moves with each material update or correction; shown to readers.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up with every save, so that two editors cannot overwrite "
        "each other's work.",
    )
    share_key = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Goes up when an editor revokes the brief's preview links; "
        "links made before then stop working.",
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="briefs", blank=True
    )
    topics = models.ManyToManyField(Topic, related_name="briefs", blank=True)
    sources = models.ManyToManyField(
        "briefs.Source",
        related_name="briefs",
        blank=True,
        help_text="Sources the brief cites as a whole (bullets cite their own).",
    )
    votes = models.ManyToManyField(
        "briefs.Vote",
        related_name="briefs",
        blank=True,
        help_text="Recorded votes the brief reports; each is drawn as a chart.",
    )
    search_document = models.TextField(
        blank=True,
        editable=False,
        help_text="Title, summary and bullet text, kept for full-text search.",
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="The search text weighted (title, summary, the rest), stored on "
        "PostgreSQL for ranked full-text search; empty elsewhere.",
    )

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_brief", "Can publish, schedule, unpublish and archive briefs"),
            (
                "syndicate_brief",
                "Can receive embargoed briefs and withdrawals through the API",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at", "id"]),
            # Partners sync by "changed since", in pages of (updated_at, id).
            models.Index(fields=["updated_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="brief_published_has_time",
                violation_error_message="A published brief needs a publication time.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, expected_version=None, **kwargs):
        """Save, refusing with StaleBriefError if `expected_version` is outdated."""
        slug_chosen_here = not self.slug
        if slug_chosen_here:
            self.slug = self.unique_slug(self.title, exclude_pk=self.pk)
        if kwargs.get("update_fields") is None:
            self.search_document = self.build_search_document()
        text_saved = kwargs.get("update_fields") is None
        if text_saved and self._on_postgresql():
            # Computed by the database in the same INSERT or UPDATE.
            self.search_vector = weighted_search_vector(
                Value(self.search_document),
                title=Value(self.title),
                summary=Value(self.summary),
            )
        try:
            if slug_chosen_here:
                self._save_with_chosen_slug(
                    *args, expected_version=expected_version, **kwargs
                )
            else:
                self._save_versioned(*args, expected_version=expected_version, **kwargs)
        finally:
            # Leave the stored value to be read back only if someone asks.
            if text_saved and "search_vector" not in self.get_deferred_fields():
                # Deleting a loaded field defers it again (Model docs).
                del self.search_vector

    def get_absolute_url(self):
        return cached_reverse("briefs:brief-detail", slug=self.slug)

    def _save_with_chosen_slug(self, *args, **kwargs):
        """Save; if another brief took the chosen slug meanwhile, choose again.

        Two briefs with the same title saved at the same moment both find the
        same free slug; the second INSERT then breaks the unique constraint.
        """
        for attempt in range(1, SLUG_ATTEMPTS + 1):
            try:
                # A savepoint: the clash must not spoil the caller's transaction.
                with transaction.atomic():
                    return self._save_versioned(*args, **kwargs)
            except IntegrityError:
                taken = Brief.objects.filter(slug=self.slug).exclude(pk=self.pk)
                if attempt == SLUG_ATTEMPTS or not taken.exists():
                    raise
                self.slug = self.unique_slug(self.title, exclude_pk=self.pk)

    def _save_versioned(self, *args, expected_version=None, **kwargs):
        if self._state.adding:
            with transaction.atomic():
                super().save(*args, **kwargs)
                # Its row from the start: reads of the brief join it.
                BriefRendering.objects.create(brief_id=self.pk)
            return
        with transaction.atomic():
            if expected_version is not None:
                bumped = Brief.objects.filter(
                    pk=self.pk, version=expected_version
                ).update(version=F("version") + 1)
                if not bumped:
                    current = (
                        Brief.objects.filter(pk=self.pk)
                        .values_list("version", flat=True)
                        .first()
                    )
                    raise StaleBriefError(self.pk, expected_version, current)
                self.version = expected_version + 1
            else:
                self.version = (
                    Brief.objects.filter(pk=self.pk)
                    .values_list("version", flat=True)
                    .first()
                    or self.version
                ) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            return super().save(*args, **kwargs)

    def build_search_document(self):
        """Return the text search matches: title, summary and every bullet."""
        parts = [self.title, self.summary]
        if self.pk is not None:
            parts += (
                Bullet.objects.filter(section__brief=self)
                .order_by("section__position", "section_id", "position", "id")
                .values_list("text", flat=True)
            )
        return "\n".join(part for part in parts if part)

    def refresh_search_document(self):
        """Store the search text again from the saved bullets.

        `version` does not move: the change that saved the bullets moved it.
        """
        self.search_document = self.build_search_document()
        changes = {"search_document": self.search_document}
        if self._on_postgresql():
            # One statement: the new text is given as a value, since SET sees
            # the row as it was.
            changes["search_vector"] = weighted_search_vector(
                Value(self.search_document)
            )
        Brief.objects.filter(pk=self.pk).update(**changes)

    def _on_postgresql(self):
        return connections[self._state.db or "default"].vendor == "postgresql"

    @property
    def credited_names(self):
        """Return the names readers see credited on this brief (none if no author).

        Every public surface (page, JSON-LD, feeds, API, ninjs) shows these:
        a byline or full name, never a login name.
        """
        return credited_names(related(self, "authors"))

    @property
    def is_published(self):
        """Return True if readers can see this brief (as `published()` decides)."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    @property
    def is_embargoed(self):
        """Return True if partners may see this brief and readers not yet."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and self.embargo_until is not None
            and self.embargo_until > now
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def was_updated(self):
        """Return True if a material update followed the first publication."""
        return bool(
            self.first_published_at
            and self.last_updated_at
            and self.last_updated_at > self.first_published_at
        )

    @classmethod
    def unique_slug(cls, title, exclude_pk=None):
        """Return a slug made from `title` that no other brief uses."""
        base = slugify(title)[:200].strip("-") or "brief"
        taken = set(
            cls.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug

    # Workflow -------------------------------------------------------------

    def required_permission(self, action):
        """Return the permission a user needs to perform `action` now."""
        if action == "submit_for_review":
            return "briefs.change_brief"
        if action == "return_to_draft" and self.status == self.Status.REVIEW:
            return "briefs.change_brief"
        return "briefs.publish_brief"

    def can(self, action, user):
        """Return True if `user` may perform `action` on this brief now."""
        starts, _ = self.TRANSITIONS[action]
        return self.status in starts and (
            user is None or user.has_perm(self.required_permission(action))
        )

    def _check_transition(self, action, user):
        starts, target = self.TRANSITIONS[action]
        if user is not None and not user.has_perm(self.required_permission(action)):
            raise PermissionDenied(
                f"You may not {action.replace('_', ' ')} briefs; ask an editor."
            )
        if self.status not in starts:
            raise ValidationError(
                {
                    "status": f"A brief that is {self.get_status_display().lower()} "
                    f"cannot be moved to {self.Status(target).label.lower()}."
                }
            )
        return target

    def submit_for_review(self, user=None):
        self.status = self._check_transition("submit_for_review", user)
        self.full_clean()
        self.save()

    def publish(self, at=None, user=None):
        """Publish now, or schedule for `at`; the publish checklist must pass."""
        target = self._check_transition("publish", user)
        problems = self.publish_problems()
        if problems:
            raise ValidationError(
                {"status": [f"{where}: {message}" for where, message in problems]}
            )
        now = timezone.now()
        at = at or now
        self.status = target
        self.published_at = at
        if self.first_published_at is None or self.first_published_at > now:
            self.first_published_at = at
        if (
            self.last_updated_at is None
            or self.last_updated_at < self.first_published_at
        ):
            self.last_updated_at = self.first_published_at
        self.full_clean()
        self.save()

    def archive(self, user=None):
        self.status = self._check_transition("archive", user)
        self.full_clean()
        self.save()

    def return_to_draft(self, user=None):
        self.status = self._check_transition("return_to_draft", user)
        self.full_clean()
        self.save()

    def revoke_share_links(self):
        """Make every preview link shared so far stop working."""
        Brief.objects.filter(pk=self.pk).update(share_key=F("share_key") + 1)
        self.refresh_from_db(fields=["share_key"])

    def mark_updated(self, at=None):
        """Record a material update: moves 'last updated', never 'first published'.

        Part of the change that made it: the version does not move again.
        """
        at = at or timezone.now()
        if self.last_updated_at is None or at > self.last_updated_at:
            self.last_updated_at = at
            Brief.objects.filter(pk=self.pk).update(last_updated_at=at)

    def publish_problems(self):
        """Return (where, message) pairs for each checklist item that fails."""
        return [(item.where, item.message) for item in self.publish_checklist()]

    def publish_checklist(self):
        """Return a ChecklistItem for each checklist item that fails.

        Each names the section, bullet or vote it concerns, where it concerns
        one, so that the editor can show it beside that row.
        """
        problems = []
        summary = (self.summary or "").strip()
        if len(summary) < SUMMARY_MIN_LENGTH:
            problems.append(
                ChecklistItem(
                    "Summary",
                    f"write at least {SUMMARY_MIN_LENGTH} characters "
                    f"(it has {len(summary)}).",
                )
            )
        elif len(summary) > SUMMARY_MAX_LENGTH:
            problems.append(
                ChecklistItem(
                    "Summary",
                    f"keep it under {SUMMARY_MAX_LENGTH} characters "
                    f"(it has {len(summary)}).",
                )
            )
        if self.pk is None:
            problems.append(
                ChecklistItem("Sections", "save the brief with its sections first.")
            )
            return problems
        sections = list(
            self.sections.prefetch_related(
                "bullets__sources", "bullets__unread_votes"
            ).order_by("position", "id")
        )
        if not sections:
            problems.append(
                ChecklistItem("Sections", "add at least one section with bullets.")
            )
        bullet_count = sum(len(section.bullets.all()) for section in sections)
        for message in content_size_errors(len(sections), bullet_count):
            problems.append(ChecklistItem("Sections", message))
        for number, section in enumerate(sections, start=1):
            where = f"Section {number} ({section.heading})"
            bullets = list(section.bullets.all())
            if not bullets:
                problems.append(ChecklistItem(where, "has no bullet points.", section))
            for index, bullet in enumerate(bullets, start=1):
                if bullet.attribution in Attribution.needing_source() and not list(
                    bullet.sources.all()
                ):
                    problems.append(
                        ChecklistItem(
                            f"{where}, bullet {index}",
                            f"{bullet.get_attribution_display()} claims must "
                            "cite a source; this one cites none.",
                            bullet,
                        )
                    )
                for unread in bullet.unread_votes.all():
                    if unread.is_open:
                        problems.append(
                            ChecklistItem(
                                f"{where}, bullet {index}",
                                f"a vote the importer could not read "
                                f"({unread.reason}): “{unread.sentence}”. Record "
                                "the vote by hand or mark the sentence as no vote.",
                                bullet,
                            )
                        )
        votes = self.votes.select_related("body").prefetch_related(
            "positions", "body__permanent_members"
        )
        for vote in votes:
            for messages in vote.rule_errors(list(vote.positions.all())).values():
                for message in messages:
                    problems.append(ChecklistItem(f"Vote {vote}", message, vote))
        return problems

    def publish_warnings(self):
        """Return (where, message) pairs the editor should see before
        publishing, without blocking it: votes whose body was not named."""
        if self.pk is None:
            return []
        return [
            (
                f"Vote {vote}",
                "the brief did not name the body that voted; choose it on the "
                "vote's page (it is recorded against a placeholder for now).",
            )
            for vote in self.votes.filter(body__placeholder=True)
        ]


class Section(models.Model):
    """A headed group of bullet points within a brief."""

    # No index of its own: the (brief, position) index below serves it.
    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="sections", db_index=False
    )
    heading = models.CharField(
        max_length=200, validators=[validate_no_control_characters]
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Sections are shown in this order, lowest first."
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["brief", "position"])]

    def __str__(self):
        return self.heading


class Bullet(models.Model):
    """One claim within a section, with how firmly it is established."""

    # No index of its own: the (section, position) index below serves it.
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="bullets", db_index=False
    )
    text = models.TextField(validators=[validate_no_control_characters])
    position = models.PositiveIntegerField(default=0)
    attribution = models.CharField(
        max_length=10,
        choices=Attribution,
        default=Attribution.FACT,
        help_text="Fact: confirmed. Reported: others report it. Alleged: claimed, "
        "not established. Reported and alleged claims must cite a source to publish.",
    )
    sources = models.ManyToManyField(
        "briefs.Source", related_name="bullets", blank=True
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["section", "position"])]

    def __str__(self):
        return self.text[:80]


class Correction(models.Model):
    """A dated public note on a published brief: a correction or an update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        validators=[validate_no_control_characters],
        help_text="What changed, in words readers understand.",
    )
    published_at = models.DateTimeField(
        default=timezone.now, help_text="When the note was made public."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.brief}"

    def clean(self):
        if self.brief_id and self.brief.first_published_at is None:
            raise ValidationError(
                {"brief": "Only a brief that has been published can be corrected."}
            )

"""What editors tell each other about a brief: notes, and who has it open.

Neither is part of what a brief says to readers: no public page, feed, search
or anonymous API answer shows them, and changing them moves neither the
brief's version nor its 'last updated'.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ..access import publishes, reads_drafts
from ..validators import validate_no_control_characters

NOTE_MAX_LENGTH = 4000
# How long an editor counts as having a brief open after the page last said
# so; the page says so every 45 seconds while it stays open.
PRESENCE_SECONDS = 120


def may_see_notes(user):
    """Return True if `user` may read and add editorial notes (staff who may
    read briefs, drafts included)."""
    return reads_drafts(user) and user.is_staff


def display_name(user):
    """Return how colleagues see `user` in the admin."""
    if user is None:
        return "a former colleague"
    return user.get_full_name() or user.get_username()


class EditorialNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return every note for staff who may read briefs; none for anyone else."""
        if may_see_notes(user):
            return self.all()
        return self.none()

    def open(self):
        return self.filter(resolved_at__isnull=True)

    def open_first(self):
        """Return the notes open ones first, each group oldest first."""
        return self.order_by(
            models.F("resolved_at").asc(nulls_first=True), "created_at", "id"
        )


class EditorialNote(models.Model):
    """A note editors leave on a brief (or one of its bullets) for each other."""

    brief = models.ForeignKey(
        "briefs.Brief", on_delete=models.CASCADE, related_name="editorial_notes"
    )
    bullet = models.ForeignKey(
        "briefs.Bullet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="editorial_notes",
        help_text="The bullet point the note is about, if any. If the bullet is "
        "deleted the note stays, about the whole brief.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(
        max_length=NOTE_MAX_LENGTH,
        validators=[validate_no_control_characters],
        help_text="Seen by staff only, never by readers.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EditorialNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["brief", "resolved_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=False)
                | models.Q(resolved_by__isnull=True),
                name="editorialnote_resolver_only_when_resolved",
            ),
        ]

    def __str__(self):
        return f"Note on {self.brief_id} by {display_name(self.author)}"

    def clean(self):
        if self.text is not None and not self.text.strip():
            raise ValidationError({"text": "Write something in the note."})
        if (
            self.bullet_id is not None
            and self.brief_id is not None
            and self.bullet.section.brief_id != self.brief_id
        ):
            raise ValidationError({"bullet": "Choose a bullet point of this brief."})

    @property
    def author_name(self):
        return display_name(self.author)

    @property
    def resolver_name(self):
        return display_name(self.resolved_by)

    @property
    def is_resolved(self):
        return self.resolved_at is not None

    def may_resolve(self, user):
        """Return True if `user` may resolve or reopen this note: its author,
        or an editor (who may publish)."""
        if not may_see_notes(user):
            return False
        return (self.author_id is not None and self.author_id == user.pk) or publishes(
            user
        )


class EditorPresenceQuerySet(models.QuerySet):
    def current(self, at=None):
        """Return the presences still fresh at `at` (by default now)."""
        at = timezone.now() if at is None else at
        return self.filter(
            last_seen__gt=at - datetime.timedelta(seconds=PRESENCE_SECONDS)
        )

    def expired(self, at=None):
        at = timezone.now() if at is None else at
        return self.filter(
            last_seen__lte=at - datetime.timedelta(seconds=PRESENCE_SECONDS)
        )


class EditorPresence(models.Model):
    """An editor who has a brief open in the admin, and since when.

    In the database rather than the cache so that every app server agrees,
    whatever cache is configured. Rows expire by their `last_seen`.
    """

    brief = models.ForeignKey(
        "briefs.Brief", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    objects = EditorPresenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "user"], name="editorpresence_one_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.brief_id}"

    @property
    def name(self):
        return display_name(self.user)

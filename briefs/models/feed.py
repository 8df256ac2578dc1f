"""The change feed: every change partners can see, numbered in one sequence.

A `Change` row is written in the transaction of the change it numbers (see
`briefs.changes`), so the numbers a reader of the feed sees only grow: a
partner who keeps the last one it read misses nothing and needs no clock.
"""

from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from ..access import reads_drafts, reads_embargoed


class ChangeKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    CORRECTED = "corrected", "Corrected"
    SLUG_CHANGED = "slug_changed", "Slug changed"
    EMBARGO_ENDED = "embargo_ended", "Embargo ended"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DELETED = "deleted", "Deleted"


# The kinds after which partners no longer have the brief.
GONE = (ChangeKind.WITHDRAWN, ChangeKind.DELETED)


class ChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the changes `user` may read: all of them for partners and
        staff; for everybody else those of briefs readers could see."""
        if reads_drafts(user) or reads_embargoed(user):
            return self.all()
        return self.filter(public=True)

    def latest_of(self, uuids):
        """Return the last change of each brief of `uuids`, keyed by uuid."""
        last = (
            self.filter(uuid__in=uuids)
            .values("uuid")
            .annotate(last=Max("pk"))
            .values("last")
        )
        return {change.uuid: change for change in self.filter(pk__in=last)}

    def since(self, at):
        """Return the changes made at `at` or later."""
        return self.filter(created__gte=at)


class Change(models.Model):
    """One change to a brief partners can see; `id` is its place in the feed."""

    kind = models.CharField(max_length=16, choices=ChangeKind)
    uuid = models.UUIDField("brief UUID", db_index=False)
    slug = models.SlugField("slug", max_length=220, db_index=False)
    version = models.PositiveIntegerField()
    public = models.BooleanField(
        default=False,
        help_text="Readers could see the brief: anonymous clients get the change.",
    )
    created = models.DateTimeField(default=timezone.now)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["uuid", "id"]),
            models.Index(fields=["uuid", "created"]),
            models.Index(
                fields=["id"], condition=Q(public=True), name="change_public_id"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.slug}"

    @property
    def gone(self):
        return self.kind in GONE

"""What keeps a brief findable after it changes: its old slugs, and the
tombstone it leaves for partners when readers can no longer see it."""

from django.db import models
from django.utils import timezone


class BriefSlug(models.Model):
    """An address a published brief had before its slug changed.

    /briefs/<old>/ and the API detail under the old slug redirect to the
    brief's current address. A slug that a brief takes again stops being old.
    """

    slug = models.SlugField(max_length=220, unique=True)
    brief = models.ForeignKey(
        "briefs.Brief", on_delete=models.CASCADE, related_name="old_slugs"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "old slug"

    def __str__(self):
        return self.slug


class WithdrawalQuerySet(models.QuerySet):
    def since(self, at):
        return self.filter(withdrawn_at__gte=at)


class Withdrawal(models.Model):
    """A tombstone: a brief readers could see was unpublished, archived or
    deleted. Partners who sync learn from it to take the brief down.

    It keeps the brief's UUID and last slug, so it outlives the brief; the
    brief published again clears it.
    """

    class Reason(models.TextChoices):
        UNPUBLISHED = "unpublished", "Unpublished"
        ARCHIVED = "archived", "Archived"
        DELETED = "deleted", "Deleted"

    uuid = models.UUIDField("UUID", unique=True)
    slug = models.SlugField(max_length=220)
    brief = models.OneToOneField(
        "briefs.Brief",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="withdrawal",
        help_text="Empty once the brief is deleted.",
    )
    reason = models.CharField(max_length=12, choices=Reason)
    withdrawn_at = models.DateTimeField(default=timezone.now)

    objects = WithdrawalQuerySet.as_manager()

    class Meta:
        ordering = ["withdrawn_at", "id"]
        indexes = [models.Index(fields=["withdrawn_at", "id"])]

    def __str__(self):
        return f"{self.slug} ({self.get_reason_display().lower()})"

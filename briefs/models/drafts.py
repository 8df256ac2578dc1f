"""A live brief's pending draft: an edit waiting for an editor to publish it."""

from django.conf import settings
from django.db import models


class PendingDraft(models.Model):
    """The next version of a published brief, held as data until an editor
    publishes it; readers keep seeing the live brief meanwhile.

    `data` holds the brief's own fields, its links (as ids) and its sections as
    `briefs.services.briefs._replace_sections` takes them, with sources as ids.
    """

    brief = models.OneToOneField(
        "briefs.Brief", on_delete=models.CASCADE, related_name="pending_draft"
    )
    data = models.JSONField(
        help_text="The draft's title, slug, summary, links and sections."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who saved the draft last.",
    )
    base_version = models.PositiveIntegerField(
        help_text="The live brief's version the draft was made from; if the "
        "live brief moved on since, the draft is stale."
    )
    material_update = models.BooleanField(
        default=False,
        help_text="Publishing the draft moves the brief's 'last updated'.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pending draft"

    def __str__(self):
        return f"Pending draft of {self.brief}"

    @property
    def author_name(self):
        if self.author is None:
            return "someone"
        return self.author.get_full_name() or self.author.get_username()

    def is_stale(self, current_version=None):
        """Return True if the live brief changed since the draft was made."""
        if current_version is None:
            current_version = self.brief.version
        return current_version != self.base_version

"""What a brief looks like to readers, rendered when it changes (not per request).

The public page, the API detail, the API list item and the card of a brief
(its entry in the site's lists) depend only on
the brief's own content, so they are rendered once after each change and stored
with a stamp of the code that rendered them (`briefs.rendering.current_stamp`).
A rendering is served only while its stamp is the current one; an empty stamp
means "stale": something the brief shows changed and the new rendering is not
made yet, so readers get a live rendering until it is.
"""

from django.db import models
from django.db.models import F
from django.utils import timezone


class BriefRenderingQuerySet(models.QuerySet):
    def mark_stale(self):
        """Retire these renderings in one UPDATE, inside the caller's transaction.

        `revision` goes up so that a rendering made from the content as it was
        before this change can no longer be stored (see `store`).
        """
        return self.update(
            rendered_with="", revision=F("revision") + 1, changed_at=timezone.now()
        )


class BriefRendering(models.Model):
    """The stored renderings of one brief, and when readers last saw it change."""

    brief = models.OneToOneField(
        "briefs.Brief",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rendering",
    )
    rendered_with = models.CharField(
        max_length=64,
        blank=True,
        help_text="Stamp of the templates and code that made the renderings; "
        "empty while they are stale.",
    )
    revision = models.PositiveBigIntegerField(
        default=0, help_text="Goes up with every change readers could see."
    )
    changed_at = models.DateTimeField(
        default=timezone.now,
        help_text="The last change readers could see (the page's Last-Modified).",
    )
    page = models.TextField(blank=True, help_text="The public page, whole.")
    api_detail = models.TextField(
        blank=True,
        help_text="The API detail as JSON, with the API links relative to the host.",
    )
    api_item = models.TextField(
        blank=True,
        help_text="The brief as the API lists it, as JSON, links relative.",
    )
    card = models.TextField(
        blank=True,
        help_text="The brief's card in the lists of briefs: home, topics, search.",
    )

    objects = BriefRenderingQuerySet.as_manager()

    def __str__(self):
        return f"Rendering of brief {self.brief_id}"


class PageGeneration(models.Model):
    """The generation of the anonymous page cache, one row for the whole site.

    It moves with every change readers can see; each process reads it before
    serving a cached page, so a change made by any process retires the pages
    every process keeps.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(
        default=timezone.now, help_text="When readers last saw something change."
    )
    next_publication = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the next scheduled or embargoed brief goes live: the "
        "generation moves then too.",
    )

    def __str__(self):
        return f"Page generation {self.number}"

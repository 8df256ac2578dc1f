from django.db import models
from django.db.models import Exists, OuterRef

from ..access import reads_drafts
from ..validators import is_web_url, validate_no_control_characters, validate_web_url


class SourceQuerySet(models.QuerySet):
    def cited_by_published(self):
        """Return the sources cited by a brief visible to readers, or its bullets."""
        from .briefs import Brief

        published = Brief.objects.published()
        return self.filter(
            Exists(published.filter(sources=OuterRef("pk")))
            | Exists(published.filter(sections__bullets__sources=OuterRef("pk")))
        )

    def visible_to(self, user):
        """Return every source for staff who may read drafts, else what readers see."""
        if reads_drafts(user):
            return self.all()
        return self.cited_by_published()


class Source(models.Model):
    """A document a brief or one of its bullets cites."""

    url = models.URLField(
        "URL",
        max_length=500,
        unique=True,
        validators=[validate_web_url, validate_no_control_characters],
        help_text="The address readers follow (http:// or https:// only). Each "
        "address is one source, shared by every brief and bullet that cites it.",
    )
    title = models.CharField(
        max_length=300,
        validators=[validate_no_control_characters],
        help_text="The document's own title.",
    )
    publisher = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="Who published it, e.g. 'United Nations' or 'Reuters'.",
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="When the source itself was published."
    )
    accessed_on = models.DateField(
        null=True, blank=True, help_text="When the newsroom last checked it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["title", "id"]),
            models.Index(fields=["publisher", "title", "id"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    @property
    def web_url(self):
        """Return the address if it is a web page, else "" (nothing to link to).

        The field refuses other addresses; this guards pages and feeds against
        rows that never went through validation (bulk loads, old data).
        """
        return self.url if is_web_url(self.url) else ""

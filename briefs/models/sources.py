from django.db import models


class Source(models.Model):
    """A document a brief or one of its bullets cites."""

    url = models.URLField(
        "URL",
        max_length=500,
        unique=True,
        help_text="The address readers follow. Each address is one source, "
        "shared by every brief and bullet that cites it.",
    )
    title = models.CharField(max_length=300, help_text="The document's own title.")
    publisher = models.CharField(
        max_length=200,
        blank=True,
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

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["title", "id"]),
            models.Index(fields=["publisher", "title", "id"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

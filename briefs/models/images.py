"""A brief's lead image: the picture readers see first, with its alt text."""

import posixpath

from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..images import media_url
from ..validators import validate_no_control_characters
from .prefetch import held_as

LEAD_IMAGE = "lead_image"


class LeadImage(models.Model):
    """The lead image of one brief, its words, and its renditions once made."""

    brief = models.OneToOneField(
        "briefs.Brief",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name=LEAD_IMAGE,
    )
    file = models.FileField(
        max_length=255,
        editable=False,
        help_text="The original as uploaded (JPEG, PNG or WebP).",
    )
    width = models.PositiveIntegerField(
        editable=False, help_text="Of the original, upright, in pixels."
    )
    height = models.PositiveIntegerField(
        editable=False, help_text="Of the original, upright, in pixels."
    )
    alt = models.CharField(
        "alt text",
        max_length=300,
        validators=[validate_no_control_characters],
        help_text="What the picture shows, for readers who cannot see it: "
        "screen readers read it aloud, and it stands in where the image does "
        "not load.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="Who made or owns the picture, as printed under it "
        "(e.g. “Photo: Jane Doe / Example Agency”).",
    )
    caption = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="Shown under the picture; say what it adds to the story.",
    )
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The sizes made of the original for browsers to choose from; "
        "empty until the background worker has made them.",
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt=""),
                name="lead_image_has_alt_text",
                violation_error_message="A lead image needs alt text.",
            ),
        ]

    def __str__(self):
        return f"Lead image of brief {self.brief_id}"

    @property
    def directory(self):
        return posixpath.dirname(self.file.name)

    def stored_names(self):
        """Return the names of every file this image keeps in the storage."""
        return [self.file.name, *(r["name"] for r in self.renditions)]

    def renditions_in(self, format):
        """Return the renditions of `format` ("webp" or "jpeg"), narrowest first."""
        return sorted(
            (r for r in self.renditions if r["format"] == format),
            key=lambda r: r["width"],
        )

    def srcset(self, format):
        """Return the srcset of the renditions of `format` ("" if none yet).

        Addresses are the storage's: on this site's host they are relative, so
        that a page read on any of its host names may load them (CSP 'self').
        """
        return ", ".join(
            f"{default_storage.url(r['name'])} {r['width']}w"
            for r in self.renditions_in(format)
        )

    @property
    def src_name(self):
        """Return the widest JPEG's name, or the original's until they are made."""
        jpegs = self.renditions_in("jpeg")
        return jpegs[-1]["name"] if jpegs else self.file.name

    @property
    def src(self):
        """Return the address of `src_name` as the page's <img> names it."""
        return default_storage.url(self.src_name)

    @property
    def absolute_src(self):
        """Return the absolute address of `src_name`: for link previews, JSON-LD
        and the API."""
        return media_url(self.src_name)

    @property
    def src_size(self):
        """Return (width, height) of the file `src` names."""
        jpegs = self.renditions_in("jpeg")
        if jpegs:
            return jpegs[-1]["width"], jpegs[-1]["height"]
        return self.width, self.height


def lead_image(brief):
    """Return the lead image of `brief`, or None.

    Read as `page_queryset` and `api_queryset` fetch it (joined), or as the
    generator links it; otherwise one query.
    """
    held = getattr(brief, held_as(LEAD_IMAGE), LeadImage)
    if held is not LeadImage:
        return held
    if brief.pk is None:
        return None
    return getattr(brief, LEAD_IMAGE, None)

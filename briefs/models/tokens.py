"""API tokens with a scope and an end: partners read, trusted clients write."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..validators import validate_no_control_characters

# How stale `last_used_at` may get: it is written at most this often per token.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


# Tells our keys from plain DRF tokens at a glance (and to secret scanners),
# so authentication looks in one table only.
KEY_PREFIX = "nbt_"


def new_key():
    return KEY_PREFIX + secrets.token_hex(20)


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read-write", "Read and write"


class APIToken(models.Model):
    """A key sent as `Authorization: Token <key>`, for one account."""

    key = models.CharField(max_length=60, unique=True, default=new_key, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="Who or what uses this token (a partner, an app).",
    )
    scope = models.CharField(
        max_length=20,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text="Read-only tokens can read what the account may read, never "
        "write. Writes also need the account's permissions.",
    )
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After this the token stops working. Empty: it never expires.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="To within a few minutes.",
    )

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name or f"Token of {self.user}"

    @property
    def is_read_only(self):
        return self.scope == TokenScope.READ

    def has_expired(self, at=None):
        return self.expires_at is not None and self.expires_at <= (at or timezone.now())

    def rotate(self):
        """Give the token a new key; the old one stops working at once."""
        self.key = new_key()
        self.rotated_at = timezone.now()
        self.save(update_fields=["key", "rotated_at"])
        return self.key

    def note_use(self, at=None):
        """Record that the token was used, at most once per LAST_USED_PRECISION."""
        at = at or timezone.now()
        if self.last_used_at is None or at - self.last_used_at > LAST_USED_PRECISION:
            APIToken.objects.filter(pk=self.pk).update(last_used_at=at)
            self.last_used_at = at

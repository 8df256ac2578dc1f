"""Webhooks: partners subscribe to what happens to published briefs.

A subscription names a URL, the events it wants and a secret; every event is
kept as a `WebhookDelivery` row (its payload frozen when the change committed)
and every try to send it as a `WebhookAttempt` row, so a worker restart or a
subscriber that is down for hours loses nothing (see `briefs.webhooks`).
"""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ..validators import validate_no_control_characters
from ..webhook_urls import validate_webhook_url


class WebhookEvent(models.TextChoices):
    PUBLISHED = "brief.published", "A brief was published"
    UPDATED = "brief.updated", "A published brief was updated"
    WITHDRAWN = "brief.withdrawn", "A brief was unpublished, archived or deleted"
    CORRECTED = "brief.corrected", "A correction or update note was added or changed"


# Sent on request from the admin, to whichever events a subscription wants.
PING = "webhook.ping"
SECRET_PREFIX = "whsec_"


def new_secret():
    """Return a fresh signing secret in the Standard Webhooks `whsec_` form."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def validate_secret(value):
    body = value.removeprefix(SECRET_PREFIX)
    try:
        raw = base64.b64decode(body, validate=True)
    except ValueError:
        raw = b""
    if not value.startswith(SECRET_PREFIX) or not 24 <= len(raw) <= 64:
        raise ValidationError(
            "Give the secret as `whsec_` followed by 24 to 64 random bytes in "
            "base64, or leave it out and one is made for you."
        )


def validate_events(value):
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one event.")
    unknown = sorted(set(value) - set(WebhookEvent.values))
    if unknown:
        raise ValidationError(
            f"No such event: {', '.join(unknown)}. Choose from "
            f"{', '.join(WebhookEvent.values)}."
        )


def manages_webhooks(user):
    """Whether `user` may manage webhook subscriptions: its own (the
    manage_webhook permission) or everyone's (view_webhooksubscription)."""
    return bool(user and user.is_authenticated) and (
        user.has_perm("briefs.manage_webhook")
        or user.has_perm("briefs.view_webhooksubscription")
    )


class WebhookSubscriptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return every subscription for staff who see them all, else the
        user's own."""
        if user.has_perm("briefs.view_webhooksubscription"):
            return self.all()
        return self.filter(owner=user)


class WebhookSubscription(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        help_text="The partner account that manages this subscription.",
    )
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="Where the events are sent (POST, JSON). http or https only.",
    )
    events = models.JSONField(
        default=list,
        validators=[validate_events],
        help_text="The events this subscriber wants.",
    )
    secret = models.CharField(
        max_length=120,
        default=new_secret,
        validators=[validate_secret],
        help_text="Signs every delivery (Standard Webhooks). Give it to the "
        "subscriber once; they verify each request with it.",
    )
    description = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_no_control_characters],
        help_text="Who this is for, for the newsroom's own reference.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Inactive subscriptions get no new events; those already "
        "queued are still sent.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_webhook", "Can manage its own webhook subscriptions"),
        ]

    def __str__(self):
        return self.url

    def wants(self, event):
        return self.is_active and event in self.events


def new_message_id():
    return f"msg_{uuid.uuid4().hex}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"
    SKIPPED = "skipped", "Skipped (no longer public)"


class WebhookDeliveryQuerySet(models.QuerySet):
    def due(self, at=None):
        """Return the pending deliveries whose next try is due at `at` (now)."""
        at = at or timezone.now()
        return self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=at)


class WebhookDelivery(models.Model):
    """One event for one subscription, with its payload as it was then."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Sent as `webhook-id`: the same on every try, so a subscriber can drop
    # an event it already handled.
    message_id = models.CharField(
        max_length=40, unique=True, default=new_message_id, editable=False
    )
    event = models.CharField(
        max_length=40, choices=[*WebhookEvent.choices, (PING, "Test ping")]
    )
    # The brief's id, kept even after the brief is deleted.
    brief_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next try is due (pending only)."
    )
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="webhook_delivery_due"
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription}"


class WebhookAttempt(models.Model):
    """One try to send a delivery, whatever came of it."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.delivery} at {self.at:%Y-%m-%d %H:%M:%S}"

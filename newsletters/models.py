"""Readers who receive briefs by email, and what was sent to each of them.

Only what sending needs is kept: the address, the reader's choices and when
they consented and confirmed. Nothing is sent to an address before it is
confirmed (double opt-in). A `Delivery` row per subscriber and brief makes
sending idempotent: the database refuses a second one.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from briefs.models import Body, Brief, Topic

# How far back a digest looks for briefs its reader has not received yet; a
# little over the period, so that a late run loses nothing.
DIGEST_WINDOWS = {
    "daily": datetime.timedelta(hours=36),
    "weekly": datetime.timedelta(days=8),
}


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "At once, as each brief is published"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"


class Scope(models.TextChoices):
    EVERYTHING = "everything", "Every brief"
    CHOSEN = "chosen", "Only the topics and bodies I choose"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def visible_at(brief):
    """Return when readers can see `brief` (a published one): its publication
    time, or the end of its embargo if that comes later."""
    moments = [brief.published_at, brief.embargo_until]
    return max(moment for moment in moments if moment is not None)


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """Return the subscribers email may go to: confirmed and not paused."""
        return self.filter(confirmed_at__isnull=False, paused=False)

    def wanting(self, brief):
        """Return the subscribers whose choices take in `brief`: every brief,
        one of its topics, or the body of one of its votes."""
        topic_ids = brief.topics.values("pk")
        body_ids = brief.votes.values("body_id")
        chosen = Q(scope=Scope.CHOSEN) & (
            Q(
                pk__in=Subscriber.topics.through.objects.filter(
                    topic_id__in=topic_ids
                ).values("subscriber_id")
            )
            | Q(
                pk__in=Subscriber.bodies.through.objects.filter(
                    body_id__in=body_ids
                ).values("subscriber_id")
            )
        )
        return self.filter(Q(scope=Scope.EVERYTHING) | chosen)

    def without(self, brief):
        """Leave out the subscribers who were sent `brief` already."""
        return self.exclude(
            pk__in=Delivery.objects.filter(brief=brief).values("subscriber_id")
        )

    def due_for_digest(self, at=None):
        """Return the digest subscribers whose hour has come (at `at`, now)."""
        at = timezone.now() if at is None else at
        return self.receiving().filter(
            frequency__in=[Frequency.DAILY, Frequency.WEEKLY],
            next_digest_at__lte=at,
        )


class Subscriber(models.Model):
    email = models.EmailField(
        unique=True, help_text="Kept in lower case; one subscription per address."
    )
    key = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Names the subscriber in the signed links of its emails.",
    )
    consented_at = models.DateTimeField(
        "consent given",
        default=timezone.now,
        help_text="When the reader asked for the emails on the subscription form.",
    )
    confirmed_at = models.DateTimeField(
        "confirmed",
        null=True,
        blank=True,
        help_text="When the reader followed the confirmation link. Nothing is "
        "sent before.",
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency, default=Frequency.DAILY
    )
    hour = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(23)],
        help_text="The hour of a digest, in the newsroom's time zone.",
    )
    weekday = models.PositiveSmallIntegerField(
        choices=Weekday,
        default=Weekday.MONDAY,
        help_text="The day of a weekly digest.",
    )
    scope = models.CharField(max_length=10, choices=Scope, default=Scope.EVERYTHING)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    bodies = models.ManyToManyField(
        Body,
        blank=True,
        related_name="+",
        help_text="Briefs that report a vote by one of these bodies.",
    )
    paused = models.BooleanField(
        default=False, help_text="The reader asked for no email for now."
    )
    next_digest_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the next digest is due; empty for alerts at once.",
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["frequency", "next_digest_at", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__lte=23), name="subscriber_hour_of_day"
            ),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        self.email = normalize_email(self.email)
        if self.frequency == Frequency.WEEKLY and self.weekday is None:
            raise ValidationError({"weekday": "Choose the day of the weekly digest."})

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def next_digest_after(self, moment):
        """Return the first digest time of this subscriber after `moment`, or
        None for alerts at once. Hours are on the newsroom's clock, so a
        digest at 7 stays at 7 when the clocks change."""
        if self.frequency not in (Frequency.DAILY, Frequency.WEEKLY):
            return None
        local = timezone.localtime(moment)
        candidate = local.replace(hour=self.hour, minute=0, second=0, microsecond=0)
        step = datetime.timedelta(days=1)
        if self.frequency == Frequency.WEEKLY:
            candidate += (self.weekday - candidate.weekday()) % 7 * step
            step = datetime.timedelta(days=7)
        if candidate <= local:
            candidate += step
        return candidate

    def schedule(self, now=None):
        """Set when the next digest is due, counting from `now`."""
        self.next_digest_at = self.next_digest_after(now or timezone.now())

    def confirm(self, now=None):
        """Record the confirmation (double opt-in) and schedule the digest."""
        now = now or timezone.now()
        if self.confirmed_at is None:
            self.confirmed_at = now
        self.schedule(now)
        self.save(update_fields=["confirmed_at", "next_digest_at"])

    def wants(self, topic_ids, body_ids):
        """Return True if a brief filed under `topic_ids`, with votes by
        `body_ids`, is among this subscriber's choices (as `wanting`; a test
        holds the two together). Prefetch `topics` and `bodies` for many."""
        if self.scope == Scope.EVERYTHING:
            return True
        return bool(
            {topic.pk for topic in self.topics.all()} & set(topic_ids)
            or {body.pk for body in self.bodies.all()} & set(body_ids)
        )

    def digest_since(self, now):
        """Return the earliest time a brief in this subscriber's digest may
        have become visible: not before the subscription was confirmed."""
        window = DIGEST_WINDOWS.get(self.frequency, DIGEST_WINDOWS["daily"])
        return max(self.confirmed_at or now, now - window)


def normalize_email(value):
    """Return `value` as it is stored: trimmed and in lower case."""
    return (value or "").strip().lower()


class Delivery(models.Model):
    """One brief sent (or being sent) to one subscriber."""

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert"
        DIGEST = "digest", "Digest"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty while the email is being sent, and for good if the "
        "worker stopped during that send: whether it left is unknown, and it "
        "is not sent again.",
    )

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "brief"], name="delivery_brief_once_per_reader"
            ),
        ]
        indexes = [models.Index(fields=["brief", "subscriber"])]

    def __str__(self):
        return f"{self.brief_id} to {self.subscriber_id}"


class NewsletterSettings(models.Model):
    """The editors' switch for all newsletter email (one row)."""

    paused = models.BooleanField(
        default=False,
        help_text="While on, no alert or digest is sent; they wait and go out "
        "once it is off (alerts for briefs of the last day, digests that "
        "fell due). Confirmation emails still go.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "newsletter settings"
        verbose_name_plural = "newsletter settings"

    def __str__(self):
        return "Newsletter sending"

    @classmethod
    def load(cls):
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    @classmethod
    def sending_paused(cls):
        return cls.objects.filter(pk=1, paused=True).exists()

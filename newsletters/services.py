"""Every change to a subscription: the views, admin and commands call these."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Subscriber, normalize_email

# Confirmation emails one address may be sent per hour, whoever asks: the
# form cannot be used to flood someone's inbox.
EMAILS_PER_ADDRESS_PER_HOUR = 3


def _within_limit(key, limit, seconds=3600):
    """Count one more use of `key`; return False past `limit` in `seconds`."""
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        # Expired between the two calls.
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit


def subscribe_allowed(client):
    """Return False if `client` (an address) asked too often this hour."""
    return _within_limit(
        f"newsletters:subscribe:{client}", settings.NEWSLETTER_SUBSCRIBE_PER_HOUR
    )


def _set_choices(subscriber, choices):
    for name in ("scope", "frequency", "hour", "weekday"):
        if name in choices:
            setattr(subscriber, name, choices[name])
    subscriber.full_clean(exclude=["email"])


@transaction.atomic
def subscriber_subscribe(*, email, choices, now=None):
    """Take a subscription request for `email`: whatever is known of the
    address, the caller answers the same.

    A new or unconfirmed address gets the choices and a confirmation email;
    a confirmed one keeps its choices (only its owner may change them, from
    the link in an email) and is sent its manage link instead.
    """
    from .tasks import send_confirmation_task

    now = now or timezone.now()
    email = normalize_email(email)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None or not subscriber.is_confirmed:
        subscriber = subscriber or Subscriber(email=email)
        subscriber.consented_at = now
        _set_choices(subscriber, choices)
        subscriber.save()
        subscriber.topics.set(choices.get("topics", []))
        subscriber.bodies.set(choices.get("bodies", []))
    digest = hashlib.sha256(email.encode()).hexdigest()
    if _within_limit(f"newsletters:address:{digest}", EMAILS_PER_ADDRESS_PER_HOUR):
        pk = subscriber.pk
        transaction.on_commit(lambda: send_confirmation_task.enqueue(pk))
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber, now=None):
    """Confirm `subscriber` (double opt-in): email may go from now on."""
    subscriber.confirm(now)
    return subscriber


@transaction.atomic
def subscriber_update(*, subscriber, choices, now=None):
    """Save `subscriber`'s new choices and schedule its next digest."""
    paused = choices.get("paused", subscriber.paused)
    _set_choices(subscriber, choices)
    subscriber.paused = paused
    subscriber.schedule(now)
    subscriber.save()
    if "topics" in choices:
        subscriber.topics.set(choices["topics"])
    if "bodies" in choices:
        subscriber.bodies.set(choices["bodies"])
    return subscriber


@transaction.atomic
def subscriber_erase(*, email):
    """Delete everything kept about `email`; return True if anything was."""
    deleted, _ = Subscriber.objects.filter(email=normalize_email(email)).delete()
    return bool(deleted)


def subscriber_export(*, email):
    """Return everything kept about `email` as plain data, or None."""
    subscriber = (
        Subscriber.objects.filter(email=normalize_email(email))
        .prefetch_related("topics", "bodies")
        .first()
    )
    if subscriber is None:
        return None

    def iso(moment):
        return moment.isoformat() if moment else None

    return {
        "email": subscriber.email,
        "consented_at": iso(subscriber.consented_at),
        "confirmed_at": iso(subscriber.confirmed_at),
        "frequency": subscriber.frequency,
        "hour": subscriber.hour,
        "weekday": subscriber.weekday,
        "scope": subscriber.scope,
        "topics": [topic.name for topic in subscriber.topics.all()],
        "bodies": [body.name for body in subscriber.bodies.all()],
        "paused": subscriber.paused,
        "deliveries": [
            {
                "brief": delivery.brief.title,
                "kind": delivery.kind,
                "sent_at": iso(delivery.sent_at),
            }
            for delivery in subscriber.deliveries.select_related("brief").order_by(
                "claimed_at", "pk"
            )
        ],
    }

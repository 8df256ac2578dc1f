"""Signed links in the newsletters' emails: confirm, manage, unsubscribe.

A link carries the subscriber's random key, signed with SECRET_KEY and a salt
per purpose, so that a link made for one purpose opens nothing else. The
confirmation link expires (NEWSLETTER_CONFIRM_MAX_AGE); the others last as
long as the subscription, since readers keep old emails.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscriber

CONFIRM = "newsletters.confirm"
MANAGE = "newsletters.manage"


def token(subscriber, purpose):
    return signing.dumps(str(subscriber.key), salt=purpose)


def subscriber_for(value, purpose, *, max_age=None):
    """Return the subscriber `value` names for `purpose`, or None if the
    token is forged, expired or its subscriber is gone."""
    try:
        key = signing.loads(value, salt=purpose, max_age=max_age)
    except signing.BadSignature:
        return None
    return Subscriber.objects.filter(key=key).first()


def confirm_max_age():
    return settings.NEWSLETTER_CONFIRM_MAX_AGE


def absolute(name, value):
    return settings.SITE_URL + reverse(name, args=[value])


def confirm_url(subscriber):
    return absolute("newsletters:confirm", token(subscriber, CONFIRM))


def manage_url(subscriber):
    return absolute("newsletters:manage", token(subscriber, MANAGE))


def unsubscribe_url(subscriber):
    return absolute("newsletters:unsubscribe", token(subscriber, MANAGE))

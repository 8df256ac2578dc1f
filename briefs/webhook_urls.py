"""Which addresses webhooks may be sent to.

A subscriber names a URL and the newsroom's own servers call it, so a URL that
points inside the newsroom's network (loopback, private ranges, link-local
cloud metadata) would let a partner make those servers call internal services.
Such hosts are refused unless `WEBHOOK_ALLOW_PRIVATE_HOSTS` is on (development
and tests, with a receiver on 127.0.0.1). The check runs when a subscription
is saved and again before each delivery, since DNS can change in between.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


def _addresses(host, port):
    try:
        return {info[4][0] for info in socket.getaddrinfo(host, port)}
    except (OSError, UnicodeError):
        raise ValidationError(
            f"The host {host!r} could not be found; check the URL."
        ) from None


def is_public_address(address):
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global and not ip.is_multicast


def validate_webhook_url(url):
    """Raise ValidationError unless `url` is http(s) on a host we may call."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Give an http:// or https:// URL with a host name.")
    if parts.username or parts.password:
        raise ValidationError("Leave user names and passwords out of the URL.")
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError("The port in the URL is not valid.") from None
    addresses = _addresses(parts.hostname, port)
    if not addresses or not all(is_public_address(a) for a in addresses):
        raise ValidationError(
            f"The host {parts.hostname!r} is a private, loopback or reserved "
            "address; webhooks go to public hosts only."
        )

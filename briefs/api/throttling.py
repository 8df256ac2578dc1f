"""Rate limits whose rates come from settings at request time.

A rate of `off` switches a limit off (for load tests behind a proxy that limits).
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, UserRateThrottle


def client_address(request):
    """Return the client's address, believing `TRUSTED_PROXY_COUNT` proxies.

    The API's rate limits and the admin's sign-in lockout both count by it.
    """
    return BaseThrottle().get_ident(request)


def rate_or_none(rate):
    return None if rate.strip().lower() == "off" else rate


class AnonThrottle(AnonRateThrottle):
    """Limit anonymous clients, per address, to `API_ANON_THROTTLE_RATE`."""

    def get_rate(self):
        return rate_or_none(settings.API_ANON_THROTTLE_RATE)


class UserThrottle(UserRateThrottle):
    """Limit each signed-in client to `API_USER_THROTTLE_RATE`."""

    def get_rate(self):
        return rate_or_none(settings.API_USER_THROTTLE_RATE)

    def get_cache_key(self, request, view):
        # DRF's version also counts anonymous clients; AnonThrottle does that.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)

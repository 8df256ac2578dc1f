"""Rate limits whose rates come from settings at request time."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    """Limit anonymous clients, per address, to `API_ANON_THROTTLE_RATE`."""

    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE


class UserThrottle(UserRateThrottle):
    """Limit each signed-in client to `API_USER_THROTTLE_RATE`."""

    def get_rate(self):
        return settings.API_USER_THROTTLE_RATE

    def get_cache_key(self, request, view):
        # DRF's version also counts anonymous clients; AnonThrottle does that.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)

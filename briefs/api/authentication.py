"""Token authentication with scopes and expiry.

`Authorization: Token <key>` takes an `APIToken` (read-only or read-write,
optionally expiring, rotated from the admin) and, failing that, a plain DRF
token made by `manage.py drf_create_token`, which can read and write.
"""

from django.utils import timezone
from django.utils.formats import date_format
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import SAFE_METHODS

from briefs.models import APIToken
from briefs.models.tokens import KEY_PREFIX


class ScopedTokenAuthentication(TokenAuthentication):
    model = APIToken

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if (
            isinstance(token, APIToken)
            and token.is_read_only
            and request.method not in SAFE_METHODS
        ):
            raise exceptions.PermissionDenied(
                "This token is read-only: it cannot change anything. Ask for a "
                "read-write token to write."
            )
        return user, token

    def authenticate_credentials(self, key):
        model = APIToken if key.startswith(KEY_PREFIX) else Token
        token = model.objects.select_related("user").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if isinstance(token, APIToken):
            now = timezone.now()
            if token.has_expired(now):
                when = date_format(
                    timezone.localtime(token.expires_at), "DATETIME_FORMAT"
                )
                raise exceptions.AuthenticationFailed(
                    f"This token expired on {when}; ask the newsroom for a new one."
                )
            token.note_use(now)
        return token.user, token

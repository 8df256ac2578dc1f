"""HTTP behaviour shared by the API's viewsets: caching headers, ETags, 304s and
`If-Match` preconditions."""

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_etags
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .renderers import CSVRenderer


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "This was changed since you loaded it; reload and try again."
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send If-Match with the ETag of the version you edited, so that nobody's "
        "change is lost: GET this address, take its ETag header, and send it "
        'back as If-Match (or "*" to overwrite whatever is there).'
    )
    default_code = "precondition_required"


def digest(data):
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class APIViewMixin:
    """Caching headers: public for anonymous reads, private for everyone else."""

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # DRF answers an unknown `?format=` with 404, as if the address
            # were wrong; it is a bad parameter.
            formats = sorted(
                {renderer.format for renderer in self.get_renderers()} - {"api"}
            )
            raise ValidationError(
                {"format": [f"No such format: give one of {', '.join(formats)}."]}
            ) from None

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False) and isinstance(
            getattr(request, "accepted_renderer", None), CSVRenderer
        ):
            # Errors are JSON whatever format was asked for.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            if request.user.is_authenticated:
                response["Cache-Control"] = "private, no-store"
            else:
                response["Cache-Control"] = (
                    f"public, max-age={settings.API_CACHE_MAX_AGE}"
                )
        elif "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response


class ConditionalRetrieveMixin:
    """`ETag` and `Last-Modified` on detail answers, and 304 when unchanged."""

    conditional = True

    def etag(self, instance, data):
        return f'"{digest(data)}"'

    def last_modified(self, instance):
        return instance.updated_at

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        return self.conditional_response(request, instance, data)

    def representation_etag(self, request, etag):
        """Return `etag` for JSON, and a tag of its own for any other format
        (the browsable API, CSV): each representation has its own ETag."""
        media_type = getattr(request, "accepted_media_type", "")
        if not media_type or media_type == JSONRenderer.media_type:
            return etag
        suffix = hashlib.sha256(media_type.encode()).hexdigest()[:8]
        return f'{etag[:-1]}-{suffix}"'  # inside the quotes

    def conditional_response(self, request, instance, data, status_code=200):
        etag = self.representation_etag(request, self.etag(instance, data))
        last_modified = self.last_modified(instance)
        timestamp = int(last_modified.timestamp()) if last_modified else None
        if request.method in ("GET", "HEAD"):
            answer = get_conditional_response(
                request, etag=etag, last_modified=timestamp
            )
        else:
            answer = None
        if answer is not None and answer.status_code == 304:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        elif answer is not None:
            raise PreconditionFailed()
        else:
            response = Response(data, status=status_code)
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        return response

    def perform_update(self, serializer):
        self.check_if_match(self.request, serializer.instance)
        super().perform_update(serializer)

    def require_if_match(self, request):
        """Raise PreconditionRequired if an update comes without `If-Match`,
        unless the setting API_REQUIRE_IF_MATCH is off (trusted clients)."""
        if settings.API_REQUIRE_IF_MATCH and not request.headers.get("If-Match"):
            raise PreconditionRequired()

    def check_if_match(self, request, instance):
        """Raise PreconditionFailed unless `If-Match`, if sent, is the current ETag."""
        header = request.headers.get("If-Match")
        if not header:
            return
        # A compressing proxy (nginx's gzip) weakens the ETags it passes on; the
        # digest inside still names the version the client edited.
        tags = [tag.removeprefix("W/") for tag in parse_etags(header)]
        if "*" in tags:
            return
        data = self.get_serializer_class_for_read()(
            instance, context=self.get_serializer_context()
        ).data
        current = self.etag(instance, data)
        if current not in tags:
            raise PreconditionFailed(
                "The If-Match ETag is not the current one: someone changed this "
                "since you loaded it. Nothing was saved; reload and try again."
            )

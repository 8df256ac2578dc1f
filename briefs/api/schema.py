"""OpenAPI schema generation that documents every error an operation can answer."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """An error with one message for the whole request."""

    detail = serializers.CharField(help_text="What went wrong, in words.")


VALIDATION_ERROR = {
    "type": "object",
    "description": "Messages keyed by the parameter or field at fault (nested "
    "like the payload for nested fields); `non_field_errors` for the request "
    "as a whole.",
    "additionalProperties": {},
}


def detail_error(description):
    return OpenApiResponse(response=ErrorSerializer, description=description)


class APIAutoSchema(AutoSchema):
    """AutoSchema that adds the shared error answers to each operation."""

    def _asks_format(self):
        """Return True if the operation takes `?format=` (an unknown one is a 400)."""
        return any(
            parameter["name"] == "format" for parameter in self._get_format_parameters()
        )

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        method = self.method.upper()
        writes = method in {"POST", "PUT", "PATCH", "DELETE"}
        has_lookup = "{" in self.path
        errors = {
            "401": detail_error(
                "Authentication failed (a wrong token) or, for writes, none given."
            ),
            "429": detail_error(
                "Too many requests; the `Retry-After` header says when to retry."
            ),
        }
        if writes or self._is_list_view() or self._asks_format():
            errors["400"] = OpenApiResponse(
                response=VALIDATION_ERROR,
                description="A filter, parameter or field was not valid.",
            )
        if writes:
            errors["403"] = detail_error(
                "Signed in, but without the permission this needs."
            )
        if has_lookup:
            errors["404"] = detail_error(
                "No such object, or not one you may see (drafts are hidden)."
            )
        if method == "GET" and has_lookup and getattr(self.view, "conditional", False):
            errors["304"] = OpenApiResponse(
                description="Not modified: the `If-None-Match` ETag is current."
            )
        if method in {"PUT", "PATCH"} and getattr(self.view, "conditional", False):
            errors["412"] = detail_error(
                "The `If-Match` ETag is stale: someone changed it since; "
                "nothing was saved."
            )
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    response, code, ["application/json"], direction
                )
        return responses

"""OpenAPI schema generation that documents every error an operation can answer."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


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


def reads_anonymously(view, method):
    """Return True if every permission of `view` lets an anonymous client make
    a `method` request: AllowAny, or a read where reads are open to all."""
    safe = method.upper() in permissions.SAFE_METHODS
    return all(
        isinstance(permission, permissions.AllowAny)
        or (safe and getattr(permission, "anonymous_reads", False))
        for permission in view.get_permissions()
    )


class APIAutoSchema(AutoSchema):
    """AutoSchema that adds the shared error answers to each operation."""

    def get_auth(self):
        """Say that an operation anyone may call needs no credentials (`{}`
        among its security requirements), so generated clients call it
        anonymously; the credentials it also takes stay listed."""
        auths = super().get_auth()
        if {} not in auths and reads_anonymously(self.view, self.method):
            auths.append({})
        return auths

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
            "414": detail_error(
                "The query string is longer than the site accepts "
                "(`MAX_QUERY_STRING_LENGTH`)."
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
        if writes or getattr(self.view, "needs_permission_to_read", False):
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
        if method in {"PUT", "PATCH"} and getattr(
            self.view, "requires_if_match", False
        ):
            errors["428"] = detail_error(
                "No `If-Match`: send the ETag of the version you edited."
            )
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    response, code, ["application/json"], direction
                )
        return responses


# What a client may do next with the object an answer returns, as OpenAPI links:
# link name → operation id (as drf-spectacular names them), by collection.
OBJECT_LINKS = {
    "Read": "retrieve",
    "Replace": "update",
    "Change": "partial_update",
    "Delete": "destroy",
}
NEXT_STEPS = {
    "briefs": (
        "slug",
        {
            **OBJECT_LINKS,
            "Submit": "submit_create",
            "Publish": "publish_create",
            "Archive": "archive_create",
            "Unpublish": "unpublish_create",
            "Ninjs": "ninjs_retrieve",
        },
    ),
    "votes": ("id", OBJECT_LINKS),
    "sources": ("id", OBJECT_LINKS),
    "topics": ("slug", OBJECT_LINKS),
}


def add_links(result, generator, request, public):
    """Link each write's answer to the operations on the object it returns.

    A client (or a stateful fuzzer) can follow them: create a brief, then
    change, publish or delete it.
    """
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            collection = operation.get("operationId", "").partition("_")[0]
            if method not in ("post", "put", "patch") or collection not in NEXT_STEPS:
                continue
            key, targets = NEXT_STEPS[collection]
            links = {
                name: {
                    "operationId": f"{collection}_{target}",
                    "parameters": {key: f"$response.body#/{key}"},
                }
                for name, target in targets.items()
            }
            for code in ("200", "201"):
                if code in operation["responses"]:
                    operation["responses"][code]["links"] = links
    return result


def refuse_extra_fields(result, generator, request, public):
    """Say in the schema what the write serializers do: a field they do not
    write is refused (see RefuseUnwritableFields)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("WriteRequest"):
            component["additionalProperties"] = False
    return result

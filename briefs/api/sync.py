"""Syncing for partners: briefs changed since a time, and the tombstones of
briefs withdrawn since then, in one list sorted by when each changed.

A brief sorts by `updated_at`, a tombstone by `withdrawn_at`; on a tie briefs
come first, then by id. The cursor names the last row's (time, kind, id), and
each table is read from there on its own index, so every page costs the same.
"""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.db.models.fields import DateTimeField
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from .pagination import KeysetPagination

BRIEF, TOMBSTONE = 0, 1
TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no", "")

INCLUDE_WITHDRAWN = OpenApiParameter(
    "include_withdrawn",
    bool,
    description="Partners and staff: also list, as tombstones, the briefs "
    "unpublished, archived or deleted (`updated_after` applies to the time they "
    "were withdrawn). Needs `ordering=updated_at` or `-updated_at`. Ignored for "
    "other callers, who never see tombstones.",
)


class TombstoneSerializer(serializers.Serializer):
    """A brief readers can no longer see: take it down."""

    id = serializers.UUIDField(help_text="The brief's permanent id.")
    slug = serializers.SlugField(help_text="Its last slug.")
    status = serializers.ChoiceField(choices=["withdrawn"])
    withdrawn_at = serializers.DateTimeField()

    def to_representation(self, withdrawal):
        return {
            "id": str(withdrawal.uuid),
            "slug": withdrawal.slug,
            "status": "withdrawn",
            "withdrawn_at": serializers.DateTimeField().to_representation(
                withdrawal.withdrawn_at
            ),
        }


def wants_withdrawn(request):
    """Return True if the request asks for tombstones; refuse a bad value."""
    raw = request.query_params.get("include_withdrawn")
    if raw is None or raw.lower() in FALSE:
        return False
    if raw.lower() in TRUE:
        return True
    raise ValidationError({"include_withdrawn": ["Give 1 or 0."]})


def _after(field, cursor, kind, descending):
    """Return the rows of a table of `kind` that sort after `cursor`."""
    value, cursor_kind, last_pk = cursor
    beyond = "lt" if descending else "gt"
    if kind == cursor_kind:
        return Q(**{f"{field}__{beyond}": value}) | Q(
            **{field: value, f"pk__{beyond}": last_pk}
        )
    # Rows at the cursor's time whose kind sorts after the cursor's come next.
    kind_follows = (kind > cursor_kind) != descending
    return Q(**{f"{field}__{beyond}{'e' if kind_follows else ''}": value})


class SyncPagination(KeysetPagination):
    """Pages of briefs and tombstones merged by the time each changed."""

    key = "updated_at"

    def paginate_sync(self, briefs, withdrawals, request, *, descending):
        """Return a page of (kind, object) pairs."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.descending = descending
        cursor, backwards = self.decode_sync_cursor(request)
        # The direction of the walk: the list's, or the reverse for `previous`.
        walk = descending != backwards
        direction = "desc" if walk else "asc"
        briefs = briefs.order_by(
            getattr(F("updated_at"), direction)(), getattr(F("pk"), direction)()
        )
        withdrawals = withdrawals.order_by(
            getattr(F("withdrawn_at"), direction)(), getattr(F("pk"), direction)()
        )
        if cursor is not None:
            briefs = briefs.filter(_after("updated_at", cursor, BRIEF, walk))
            withdrawals = withdrawals.filter(
                _after("withdrawn_at", cursor, TOMBSTONE, walk)
            )
        wanted = self.page_size + 1
        rows = [(b.updated_at, BRIEF, b.pk, b) for b in briefs[:wanted]]
        rows += [(w.withdrawn_at, TOMBSTONE, w.pk, w) for w in withdrawals[:wanted]]
        rows.sort(key=lambda row: row[:3], reverse=walk)
        rows = self.keep_page(rows, started=cursor is not None, backwards=backwards)
        return [(kind, obj) for _, kind, _, obj in rows]

    def decode_sync_cursor(self, request):
        cursor = self.read_cursor(request, "sync")
        if cursor is None:
            return None, False
        data, last_pk, backwards = cursor
        try:
            kind = int(data["w"])
            value = DateTimeField().to_python(data["v"])
        except (ValueError, TypeError, KeyError, OverflowError, DjangoValidationError):
            raise self.invalid_cursor() from None
        if value is None or kind not in (BRIEF, TOMBSTONE):
            raise self.invalid_cursor()
        if value.tzinfo:
            value = value.astimezone(datetime.UTC)
        return (value, kind, last_pk), backwards

    def encode_cursor(self, row, backwards=False):
        value, kind, pk, _ = row
        return self.write_cursor(
            {"k": "sync", "v": value.isoformat(), "w": kind, "id": pk}, backwards
        )

"""Keyset pagination: every page costs the same, however deep it is.

A page ends with the sort value and id of its last row; the next page starts
after them (``WHERE (key, id) < (last key, last id)``), so the database walks
an index instead of skipping rows with OFFSET, and no page counts the table.
The previous page is the same walk the other way from the page's first row:
its cursor says so (`"d": "p"`), and the rows come back in the list's order.
"""

import base64
import binascii
import datetime
import json
from types import SimpleNamespace

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from ..models import Brief

MAX_PAGE_SIZE = 100


class KeysetPagination(BasePagination):
    """Paginate by (sort key, id) with an opaque `cursor` and a capped `page_size`."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.key, self.descending = self.sort_key(queryset)
        field = queryset.model._meta.get_field(self.key)
        cursor = self.decode_cursor(request)
        backwards = cursor is not None and cursor[2]
        # The direction of the walk: the list's, or the reverse for `previous`.
        descending = self.descending != backwards
        direction = "desc" if descending else "asc"
        # Nulls sort as if larger than any value (PostgreSQL's default), so
        # that a descending walk of an ascending index needs no sort.
        nulls = {"nulls_first": True} if descending else {"nulls_last": True}
        queryset = queryset.order_by(
            getattr(F(self.key), direction)(**(nulls if field.null else {})),
            getattr(F("pk"), direction)(),
        )
        position = self.cursor_position(cursor, field)
        if position is not None:
            value, last_pk = position
            queryset = queryset.filter(
                self.after(self.key, value, last_pk, descending, field.null)
            )
        return self.keep_page(
            list(queryset[: self.page_size + 1]),
            started=cursor is not None,
            backwards=backwards,
        )

    def paginate_newest_first(self, request, read_page):
        """Paginate by (published_at, id) descending with `read_page(after,
        limit, backwards)`, which returns rows as dicts after the (value, id)
        `after`, walking back towards the newest where `backwards`."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.key, self.descending = "published_at", True
        field = Brief._meta.get_field(self.key)
        cursor = self.decode_cursor(request)
        backwards = cursor is not None and cursor[2]
        rows = read_page(
            self.cursor_position(cursor, field),
            self.page_size + 1,
            backwards=backwards,
        )
        return self.keep_page(
            [SimpleNamespace(pk=row["id"], **row) for row in rows],
            started=cursor is not None,
            backwards=backwards,
        )

    def keep_page(self, rows, *, started, backwards):
        """Keep a page of the rows read (one more than a page, in the walk's
        order; `started`: the walk began at a cursor) and note where the next
        and previous pages start."""
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_previous, self.has_next = more, bool(rows)
        else:
            self.has_previous, self.has_next = started and bool(rows), more
        self.first = rows[0] if rows else None
        self.last = rows[-1] if rows else None
        return rows

    def cursor_position(self, cursor, field):
        """Return the (value, id) a decoded cursor starts after, or None."""
        if cursor is None:
            return None
        value, last_pk, _ = cursor
        if value is None:
            return None, last_pk
        try:
            value = field.to_python(value)
            if isinstance(value, datetime.datetime) and value.tzinfo:
                value = value.astimezone(datetime.UTC)
        except (DjangoValidationError, OverflowError):
            raise self.invalid_cursor() from None
        return value, last_pk

    @staticmethod
    def sort_key(queryset):
        """Return (field name, descending) of the queryset's first sort field."""
        order_by = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
        first = str(order_by[0])
        return first.lstrip("-"), first.startswith("-")

    @staticmethod
    def after(key, value, last_pk, descending, nullable):
        """Return the condition for rows that sort after (value, last_pk)."""
        beyond = "lt" if descending else "gt"
        if value is None:
            # Among the nulls (first when descending, last when ascending).
            condition = Q(**{f"{key}__isnull": True, f"pk__{beyond}": last_pk})
            if descending:
                condition |= Q(**{f"{key}__isnull": False})
            return condition
        # The redundant `key <= value` (or >=) is what lets the database seek
        # in its index; the rest only settles ties on the key.
        condition = Q(**{f"{key}__{beyond}e": value}) & (
            Q(**{f"{key}__{beyond}": value}) | Q(**{f"pk__{beyond}": last_pk})
        )
        if nullable and not descending:
            condition |= Q(**{f"{key}__isnull": True})
        return condition

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return api_settings.PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: ["Give a whole number from 1 to 100."]}
            )
        return min(size, self.max_page_size)

    def invalid_cursor(self):
        return ValidationError(
            {
                self.cursor_query_param: [
                    "This cursor is not valid; follow the `next` or `previous` "
                    "link as given."
                ]
            }
        )

    def read_cursor(self, request, key):
        """Return (data, last id, backwards) of the request's cursor, or None.

        A cursor is a JSON object in URL-safe base64: the sort it belongs to
        ("k"), the last row's id ("id") and "d": "p" for a walk back; each list
        adds the values it sorts by.
        """
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
            same_sort, last_pk = data["k"] == key, int(data["id"])
            backwards = data.get("d")
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
        ):
            raise self.invalid_cursor() from None
        if not same_sort or not 0 < last_pk < 2**63 or backwards not in (None, "p"):
            # A cursor from another ordering would skip or repeat rows.
            raise self.invalid_cursor()
        return data, last_pk, backwards == "p"

    def write_cursor(self, data, backwards):
        """Return the cursor for `data` (see `read_cursor`)."""
        if backwards:
            data = {**data, "d": "p"}
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode("ascii")

    def decode_cursor(self, request):
        cursor = self.read_cursor(request, self.key)
        if cursor is None:
            return None
        data, last_pk, backwards = cursor
        if "v" not in data or not (data["v"] is None or isinstance(data["v"], str)):
            raise self.invalid_cursor()
        return data["v"], last_pk, backwards

    def encode_cursor(self, row, backwards=False):
        value = getattr(row, self.key)
        if value is not None:
            value = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return self.write_cursor({"k": self.key, "v": value, "id": row.pk}, backwards)

    def _link(self, row, backwards):
        url = self.request.build_absolute_uri()
        return replace_query_param(
            url, self.cursor_query_param, self.encode_cursor(row, backwards)
        )

    def get_next_link(self):
        if not self.has_next or self.last is None:
            return None
        return self._link(self.last, backwards=False)

    def get_previous_link(self):
        if not self.has_previous or self.first is None:
            return None
        return self._link(self.first, backwards=True)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts; take it from `next` or "
                "`previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default "
                f"{api_settings.PAGE_SIZE}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]

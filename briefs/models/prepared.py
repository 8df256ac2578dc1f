"""Querysets compiled once per database and run again with new values.

A public page or API answer served from a stored rendering is one lookup by a
unique key, which PostgreSQL answers in a fraction of a millisecond; building
the queryset and compiling it to SQL costs Python several times that, on every
request. A `PreparedQuery` does that work once per database: it builds the
queryset from marker values, notes where the markers land among the compiled
SQL's parameters, and on each run puts the real values in their places.

The queryset is still what the models' own methods return (`published()` and
the rest), so the rules stay in one place; only their compilation is kept.
"""

import datetime
import threading

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router

# Marker values, by the kind of value a parameter takes.
MARKERS = {
    str: lambda number: f"\x00prepared-marker-{number}\x00",
    datetime.datetime: lambda number: datetime.datetime(
        1901, 2, 3, 4, 5, 6, number + 1, tzinfo=datetime.UTC
    ),
}


class PreparedQuery:
    """A `values()` queryset, compiled once per database, run with new values.

    `build(**values)` returns the queryset for the given values; `kinds` names
    each value's type (`str` or `datetime.datetime`). `rows(**values)` returns
    the matching rows as dicts, converted as the queryset would convert them.
    """

    def __init__(self, model, build, **kinds):
        self.model = model
        self.build = build
        self.kinds = kinds
        # Per thread: a compiler holds its thread's connection.
        self.local = threading.local()

    def rows(self, **values):
        alias = router.db_for_read(self.model)
        compiled = getattr(self.local, alias, None) or self._compile(alias)
        sql, template, places, names, compiler, converters = compiled
        connection = connections[alias]
        params = list(template)
        for name, positions in places.items():
            value = self._adapt(connection, values[name])
            for position in positions:
                params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if converters:
            found = compiler.apply_converters(found, converters)
        return [dict(zip(names, row, strict=True)) for row in found]

    def first(self, **values):
        found = self.rows(**values)
        return found[0] if found else None

    def _adapt(self, connection, value):
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _compile(self, alias):
        connection = connections[alias]
        markers = {
            name: MARKERS[kind](number)
            for number, (name, kind) in enumerate(self.kinds.items())
        }
        queryset = self.build(**markers).using(alias)
        names = [
            *queryset.query.extra_select,
            *queryset.query.values_select,
            *queryset.query.annotation_select,
        ]
        if not queryset.query.values_select:
            raise ImproperlyConfigured("A PreparedQuery reads values(): name them.")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        places = {}
        for name, marker in markers.items():
            adapted = self._adapt(connection, marker)
            places[name] = [
                position
                for position, param in enumerate(params)
                if param == adapted or param == marker
            ]
            if not places[name]:
                raise ImproperlyConfigured(
                    f"The prepared query does not use its value {name!r}."
                )
        expressions = [column[0] for column in compiler.select]
        converters = compiler.get_converters(expressions)
        compiled = (sql, tuple(params), places, names, compiler, converters)
        setattr(self.local, alias, compiled)
        return compiled

"""Export all content as JSON Lines, and import such a file into an empty database.

The file holds one object a line in Django's serialization format (what
`dumpdata --format jsonl` writes): `{"model": ..., "pk": ..., "fields": {...}}`.
Content keeps its ids, so that API consumers' links to votes and sources still
work after a restore. Accounts, groups and the deciding bodies are named by
natural keys instead (username, group name, body slug), since a migrated
database already has its own rows for the groups and bodies: those are matched,
not duplicated. Passwords are never exported; imported accounts get none that
works, and accounts the database already has are kept as they are.

Both directions stream: the export reads the tables in batches, the import
reads the file a line at a time, so memory stays flat whatever the size.
"""

import datetime
import json

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction

from .models import Brief
from .models.briefs import weighted_search_vector

# What is exported, in an order where each object comes after those it refers
# to: (model, order of its rows, fields left out).
CONTENT = (
    ("auth.group", ("name",), ()),
    ("auth.user", ("username",), ("password", "last_login")),
    ("briefs.profile", ("user__username",), ()),
    ("briefs.topic", ("pk",), ()),
    ("briefs.source", ("pk",), ()),
    ("briefs.body", ("slug",), ()),
    ("briefs.permanentmember", ("body__slug", "code"), ()),
    ("briefs.vote", ("pk",), ()),
    ("briefs.voteposition", ("pk",), ()),
    # The stored search vector is derived from the text; the import rebuilds it.
    ("briefs.brief", ("pk",), ("search_vector",)),
    ("briefs.section", ("pk",), ()),
    ("briefs.bullet", ("pk",), ()),
    ("briefs.correction", ("pk",), ()),
    # Staff-only, but the newsroom's work all the same. Presence is not kept.
    ("briefs.editorialnote", ("pk",), ()),
    # An edit of a live brief waiting for an editor is work not to lose.
    ("briefs.pendingdraft", ("pk",), ()),
    # Old slugs keep redirecting, and partners keep learning of withdrawals.
    ("briefs.briefslug", ("pk",), ()),
    ("briefs.withdrawal", ("pk",), ()),
)
# Rows the target database already has are kept, not overwritten.
KEPT_IF_PRESENT = ("auth.group", "auth.user")
# Any of these in the database means it is not empty.
CONTENT_MODELS = ("briefs.topic", "briefs.source", "briefs.vote", "briefs.brief")
BATCH_SIZE = 500


class ContentImportError(Exception):
    """A file that cannot be imported as it is; nothing was saved."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keep times to the microsecond (Django's encoder stops at milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            if text.endswith("+00:00"):
                text = text.removesuffix("+00:00") + "Z"
            return text
        return super().default(o)


def _spec():
    for label, ordering, excluded in CONTENT:
        model = apps.get_model(label)
        fields = [
            field.name
            for field in (*model._meta.local_fields, *model._meta.local_many_to_many)
            if field.serialize and field.name not in excluded
        ]
        m2m = [field.name for field in model._meta.local_many_to_many]
        yield label, model, ordering, fields, m2m


def _batches(model, ordering, m2m):
    queryset = model._default_manager.prefetch_related(*m2m)
    if label_of(model) == "briefs.permanentmember":
        queryset = queryset.select_related("body")
    if ordering != ("pk",):
        # Small tables named by natural keys: read at once, in a stable order.
        yield list(queryset.order_by(*ordering))
        return
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        batch = list(page[:BATCH_SIZE])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def label_of(model):
    return model._meta.label_lower


def count_content():
    """Return how many objects `export_content` would write."""
    return sum(apps.get_model(label)._default_manager.count() for label, *_ in CONTENT)


def export_content(stream, *, progress=None):
    """Write every object of the content to `stream`; return counts by model.

    `progress(done)` is called after each batch with the objects written so far.
    """
    counts = {}
    done = 0
    for label, model, ordering, fields, m2m in _spec():
        counts[label] = 0
        for batch in _batches(model, ordering, m2m):
            for data in serializers.serialize(
                "python",
                batch,
                fields=fields,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            ):
                for name in m2m:
                    # Related rows come in no set order; sorted, files compare.
                    data["fields"][name] = sorted(data["fields"][name])
                stream.write(
                    json.dumps(data, cls=ExactJSONEncoder, ensure_ascii=False) + "\n"
                )
                counts[label] += 1
            done += len(batch)
            if progress:
                progress(done)
    return counts


def database_has_content():
    return any(apps.get_model(label).objects.exists() for label in CONTENT_MODELS)


def import_content(lines, *, force=False, progress=None):
    """Save every object in `lines` (a file of `export_content`) in one transaction.

    Refuses a database that has content unless `force`, in which case objects
    with the same ids are overwritten. Returns counts by model; raises
    ContentImportError naming the line at fault, having saved nothing.
    `progress(done)` is called now and then with the lines read so far.
    """
    allowed = {label for label, *_ in CONTENT}
    counts = dict.fromkeys(allowed, 0)
    with transaction.atomic():
        if not force and database_has_content():
            raise ContentImportError(
                "The database already has content (topics, sources, votes or "
                "briefs). Import into an empty, migrated database, or pass "
                "--force to overwrite objects with the same ids."
            )
        with connection.constraint_checks_disabled():
            deferred = _load(lines, allowed, counts, progress)
        for obj in deferred:
            obj.save_deferred_fields()
        try:
            connection.check_constraints(table_names=content_tables())
        except DatabaseError as error:
            raise ContentImportError(
                f"The file refers to objects it does not hold: {error}"
            ) from None
        _after_load()
    return {label: n for label, n in counts.items() if n}


def content_tables():
    """Return the tables an import fills: the content's and its links'."""
    tables = []
    for label, *_ in CONTENT:
        model = apps.get_model(label)
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.append(field.remote_field.through._meta.db_table)
    return tables


def _load(lines, allowed, counts, progress):
    deferred = []
    number = 0
    for number, line in enumerate(lines, start=1):
        if progress and number % BATCH_SIZE == 0:
            progress(number)
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ContentImportError(f"line {number}: not JSON ({error.msg})") from None
        label = data.get("model") if isinstance(data, dict) else None
        if label not in allowed:
            raise ContentImportError(
                f"line {number}: {label!r} is not content this command imports; "
                "is this a file of export_content?"
            )
        try:
            (obj,) = serializers.deserialize(
                "python", [data], handle_forward_references=True
            )
        except (DeserializationError, ValueError, TypeError, LookupError) as error:
            raise ContentImportError(f"line {number}: {error}") from None
        if label in KEPT_IF_PRESENT and obj.object.pk is not None:
            continue
        if label == "auth.user":
            obj.object.set_unusable_password()
        try:
            with transaction.atomic():
                obj.save()
        except (DatabaseError, ValueError) as error:
            raise ContentImportError(
                f"line {number}: cannot save this {label}: {error}"
            ) from None
        if obj.deferred_fields:
            deferred.append(obj)
        counts[label] += 1
    if progress:
        progress(number)
    return deferred


def _after_load():
    """Move id sequences past the imported ids; rebuild the search vectors."""
    models = [apps.get_model(label) for label, *_ in CONTENT]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    if connection.vendor == "postgresql":
        Brief.objects.update(search_vector=weighted_search_vector())

"""Render each brief when it changes, and serve the stored renderings.

A brief's public page, its API detail, its API list item and its card (its
entry in the lists of briefs) depend on nothing but the brief's own content and
the code that renders them, so they are made once per change and kept in
`BriefRendering` rows instead of being made on every request:

- `current_stamp()` names the code that renders (templates, template tags,
  serializers, models, settings that show). A rendering made with another
  stamp, or retired (empty stamp), is never served: readers get a live
  rendering, made by the same functions, until a new one is stored.
- A change retires the renderings of the briefs it touched in its own
  transaction (`briefs.changes`); once it commits, `on_briefs_changed` queues
  them to be rendered again by a background task (`render_briefs_task`).
- A rendering is stored only if nothing changed while it was being made: it
  carries the `revision` read before the content, and is written only while
  that is still the current revision.

API links (`api_url`) depend on the host a client asked; they are stored
relative and completed per request by `absolute_api_links`.
"""

import datetime
import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connections, router, transaction
from django.db.models import F, prefetch_related_objects
from django.tasks import task
from django.template.loader import render_to_string
from markupsafe import Markup
from rest_framework.renderers import JSONRenderer

from newsroom.storage import manifest_hash

from .models import (
    Brief,
    BriefQuerySet,
    BriefRendering,
    Bullet,
    Section,
    Vote,
    VotePosition,
    authors_prefetch,
    prefetch,
)
from .models.images import LEAD_IMAGE

# Raise when the renderings change in a way the files below do not show.
RENDERER_VERSION = "1"
BATCH_SIZE = 200

APP_DIR = Path(__file__).resolve().parent
# Everything whose change can change a rendering.
RENDERER_FILES = (
    "rendering.py",
    "jinja2.py",
    "links.py",
    "images.py",
    "templatetags/*.py",
    "api/serializers/reads.py",
    "models/*.py",
)
TEMPLATE_DIRS = ("templates",)
STATIC_FILES = ("css/site.css", "css/print.css", "favicon.svg")
API_LINK = '"api_url":"/'
# The stored renderings' big columns, left out wherever only the row is needed.
STORED_COLUMNS = (
    "rendering__page",
    "rendering__api_detail",
    "rendering__api_item",
    "rendering__card",
)
# The page lists votes oldest first; the API keeps the model's order.
PAGE_VOTE_ORDER = ("date", "id")


@functools.cache
def _code_digest():
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    paths = [path for pattern in RENDERER_FILES for path in APP_DIR.glob(pattern)]
    for directory in TEMPLATE_DIRS:
        paths += (Path(settings.BASE_DIR) / directory).rglob("*.html")
    for path in sorted(paths):
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _stamp(code, static_manifest, *shown_settings):
    static_urls = [staticfiles_storage.url(name) for name in STATIC_FILES]
    text = "|".join([code, *map(str, shown_settings), *static_urls])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def current_stamp():
    """Return the stamp of renderings the running code would make."""
    return _stamp(
        _code_digest(),
        # Renderings made before `collectstatic` name the files unhashed.
        manifest_hash(),
        settings.SITE_URL,
        settings.SITE_NAME,
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
        settings.STATIC_URL,
        settings.MEDIA_URL,
        settings.DEBUG,
    )


# What the renderings are made from ------------------------------------------


def page_queryset(queryset):
    """Return `queryset` with everything a brief page shows, in fixed queries."""
    return queryset.select_related(LEAD_IMAGE).prefetch_related(
        *content_prefetches(PAGE_VOTE_ORDER)
    )


def api_prefetches():
    """Return the prefetches of everything the API detail shows (API orders),
    for a brief read without them (the lead image too)."""
    return [*content_prefetches(), prefetch(LEAD_IMAGE)]


def content_prefetches(vote_order=None):
    """Return the prefetches of a brief's content, each into the list that
    `related` reads; votes in `vote_order` (default: the model's)."""
    bullets = Bullet.objects.order_by("position", "id").prefetch_related(
        prefetch("sources")
    )
    sections = Section.objects.order_by("position", "id").prefetch_related(
        prefetch("bullets", bullets)
    )
    positions = VotePosition.objects.order_by("member_name", "id")
    votes = Vote.objects.select_related("body").prefetch_related(
        prefetch("positions", None if vote_order is None else positions)
    )
    if vote_order is not None:
        votes = votes.order_by(*vote_order)
    return [
        prefetch("topics"),
        authors_prefetch(),
        prefetch("sources"),
        prefetch("corrections"),
        prefetch("sections", sections),
        prefetch("votes", votes),
    ]


def api_queryset(queryset):
    return queryset.select_related(LEAD_IMAGE).prefetch_related(*content_prefetches())


# Rendering ------------------------------------------------------------------


def render_page(brief):
    """Return the public page of `brief` (prefetched with `page_queryset`)."""
    context = {"brief": brief, "site_name": settings.SITE_NAME}
    return render_to_string("briefs/brief_detail.html", context)


class PublishedRows:
    """Read columns of published briefs (`b`) and their renderings (`r`).

    The one query of most brief pages, API details and API list pages, in
    plain SQL: building it through the ORM costs more than the database takes
    to answer it. Rows are dicts keyed by column name (datetimes aware).
    """

    def __init__(self, *columns):
        self.names = [column.split(".")[-1] for column in columns]
        # A database without a UUID type (SQLite) answers the brief's uuid as
        # text; the ORM would convert it, plain SQL must.
        self.uuids = {
            name
            for column, name in zip(columns, self.names, strict=True)
            if column == "b.uuid"
        }
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {Brief._meta.db_table} b "
            f"LEFT JOIN {BriefRendering._meta.db_table} r ON r.brief_id = b.id "
            f"WHERE {BriefQuerySet.PUBLISHED_SQL}"
        )

    def get(self, *, slug=None, uuid=None):
        """Return the published brief with this `slug` or `uuid`, or None."""
        if uuid is None:
            rows = self.fetch(" AND b.slug = %s", [slug])
        else:
            connection = connections[router.db_for_read(Brief)]
            key = Brief._meta.get_field("uuid").get_db_prep_value(uuid, connection)
            rows = self.fetch(" AND b.uuid = %s", [key])
        return rows[0] if rows else None

    def page(self, after, limit, backwards=False):
        """Return up to `limit` briefs, newest first, after `after` (a
        (published_at, id) pair), or from the newest if it is None;
        `backwards`: the other way from `after`, oldest first."""
        where, params = "", []
        beyond, direction = (">", "ASC") if backwards else ("<", "DESC")
        if after is not None:
            # `<=` (`>=`) lets the database seek in its index; the rest
            # settles ties.
            where = (
                f" AND b.published_at {beyond}= %s"
                f" AND (b.published_at {beyond} %s OR b.id {beyond} %s)"
            )
            params = [after[0], after[0], after[1]]
        order = f" ORDER BY b.published_at {direction}, b.id {direction} LIMIT %s"
        return self.fetch(where + order, [*params, limit])

    def fetch(self, more_sql, more_params):
        connection = connections[router.db_for_read(Brief)]
        params = BriefQuerySet.published_sql_params(connection) + [
            connection.ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.datetime)
            else value
            for value in more_params
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql + more_sql, params)
            rows = cursor.fetchall()
        return [
            {
                name: self.convert(name, value)
                for name, value in zip(self.names, row, strict=True)
            }
            for row in rows
        ]

    def convert(self, name, value):
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            return value.replace(tzinfo=datetime.UTC)
        if name in self.uuids and value is not None:
            return Brief._meta.get_field("uuid").to_python(value)
        return value


def render_card(brief):
    """Return the card that lists `brief` (its topics prefetched)."""
    return render_to_string("briefs/includes/brief_card.html", {"brief": brief})


# What a card shows of a brief: all a stale one needs to be rendered live.
CARD_FIELDS = ("id", "slug", "title", "summary", "published_at")


def with_cards(queryset):
    """Return `queryset` reading no more of each brief than its card needs,
    with the stored card (for `cards`)."""
    return queryset.only(*CARD_FIELDS).annotate(
        stored_card=F("rendering__card"), card_stamp=F("rendering__rendered_with")
    )


def cards(briefs):
    """Return the cards of `briefs` (read `with_cards`) as HTML: the stored
    ones, and for the few without a current one a live rendering (their
    topics read in one query)."""
    stamp = current_stamp()
    stale = [brief for brief in briefs if brief.card_stamp != stamp]
    prefetch_related_objects(stale, "topics")
    return [
        Markup(brief.stored_card if brief.card_stamp == stamp else render_card(brief))
        for brief in briefs
    ]


def to_json(data):
    """Return `data` as the API's JSON renderer writes it."""
    return JSONRenderer().render(data).decode()


# The API's representations belong to the API (`briefs.api`), which sits above
# this module: the app hands their serializers in when it starts
# (`BriefsConfig.ready`), so that nothing here imports the API.
API_SERIALIZERS = {}


def use_api_serializers(*, detail, item):
    """Make stored API renderings with these serializer classes: `detail` for a
    brief's API detail, `item` for its entry in the API's lists."""
    API_SERIALIZERS.update(detail=detail, item=item)


def _api_json(kind, brief):
    serializer = API_SERIALIZERS[kind]
    return to_json(serializer(brief, context={"request": None}).data)


def render_api_detail(brief):
    """Return the API detail of `brief` (prefetched with `api_queryset`) as JSON,
    with relative API links."""
    return _api_json("detail", brief)


def render_api_item(brief):
    """Return `brief` as the API lists it (topics prefetched), links relative."""
    return _api_json("item", brief)


def absolute_api_links(text, request):
    """Complete the relative API links of a stored rendering for `request`'s host."""
    base = request.build_absolute_uri("/")
    return text.replace(API_LINK, f'"api_url":"{base}')


def api_etag(version, relative_json, request):
    """Return the ETag of an API detail: the same stored or live."""
    digest = hashlib.sha256(relative_json.encode())
    digest.update(request.build_absolute_uri("/").encode())
    return f'"{version}-{digest.hexdigest()[:24]}"'


def render_briefs(brief_ids):
    """Render and store the given briefs, in batches; return how many were stored.

    Reads run on the primary database (inside a transaction), so that a
    rendering is never made from a replica that lags behind.
    """
    brief_ids = sorted(set(brief_ids))
    stored = 0
    for start in range(0, len(brief_ids), BATCH_SIZE):
        batch = brief_ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            stored += _render_batch(batch)
    return stored


def make_renderings(brief_ids):
    """Return {brief id: (page, API detail, API list item, card)} for the given
    briefs."""
    base = Brief.objects.filter(pk__in=brief_ids).defer(
        "search_document", "search_vector"
    )
    pages = {
        brief.pk: (render_page(brief), render_card(brief))
        for brief in page_queryset(base)
    }
    return {
        brief.pk: (
            pages[brief.pk][0],
            render_api_detail(brief),
            render_api_item(brief),
            pages[brief.pk][1],
        )
        for brief in api_queryset(base)
    }


def _render_batch(brief_ids):
    stamp = current_stamp()
    # Briefs made without a rendering row (a content import) get one first.
    existing = Brief.objects.filter(pk__in=brief_ids).values_list("pk", flat=True)
    BriefRendering.objects.bulk_create(
        [BriefRendering(brief_id=pk) for pk in existing], ignore_conflicts=True
    )
    # The revisions first: a change committed after this read moves them, and
    # its rendering is then not stored; one committed before is in what follows.
    revisions = dict(
        BriefRendering.objects.filter(brief_id__in=brief_ids).values_list(
            "brief_id", "revision"
        )
    )
    stored = 0
    for brief_id, (page, detail, item, card) in make_renderings(revisions).items():
        stored += BriefRendering.objects.filter(
            brief_id=brief_id, revision=revisions[brief_id]
        ).update(
            rendered_with=stamp, page=page, api_detail=detail, api_item=item, card=card
        )
    return stored


def stale_brief_ids(limit=None):
    """Return the ids of briefs without a current rendering, newest first."""
    ids = (
        Brief.objects.exclude(rendering__rendered_with=current_stamp())
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    return list(ids[:limit] if limit else ids)


def on_briefs_changed(sender, change, **kwargs):
    """Queue the renderings of the briefs a committed change touched."""
    ids = sorted(change.brief_ids, reverse=True)
    for start in range(0, len(ids), BATCH_SIZE):
        render_briefs_task.enqueue(brief_ids=ids[start : start + BATCH_SIZE])


@task()
def render_briefs_task(brief_ids):
    """Render and store the renderings of `brief_ids`; return how many."""
    return render_briefs(brief_ids)


@task()
def render_stale_task():
    """Render every brief without a current rendering: none yet (a content
    import), retired, or made by other code (a deploy)."""
    ids = stale_brief_ids()
    for start in range(0, len(ids), BATCH_SIZE):
        render_briefs_task.enqueue(brief_ids=ids[start : start + BATCH_SIZE])
    return len(ids)

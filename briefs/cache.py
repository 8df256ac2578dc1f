"""A full-page cache for anonymous readers that is never stale.

Pages are stored under the current *generation*, a number in the database
(`PageGeneration`) that moves with every change readers can see (the change
event's `public`, see `briefs.changes`). Before serving a stored page, a
process reads the generation from the primary database: one indexed read of
one row. So a change made by any process, even a shell, retires the pages that
every process keeps, whether the cache is per process (locmem) or shared
(Redis). Scheduled and embargoed briefs need no change to appear: the process
that first sees the moment of the next scheduled publication or embargo's end
pass moves the generation.

With a cache that carries change notices (Redis, see `newsroom.cache`), each
process also keeps the pages it served lately in memory and trusts the
generation it read until a notice arrives, or for `PAGE_CACHE_TRUST_SECONDS`
at most: a notice lost on the way keeps a page no longer than that.

Right after a change (`PAGE_CACHE_PRIMARY_SECONDS`), pages are made from the
primary database, since a replica may not have the change yet.

Signed-in users, requests carrying credentials, paths under
`EXCLUDED_PREFIXES` or the setting `PAGE_CACHE_EXCLUDED_PREFIXES`, and responses
that set cookies or say `private` / `no-store` are never cached.
"""

import hashlib
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import router
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from newsroom.routers import primary_reads

CHANGES_CHANNEL = "briefs:page-cache:changes"
EXCLUDED_PREFIXES = (
    f"/{settings.ADMIN_URL}",
    "/preview/",
    "/healthz",
    "/static/",
    "/api/",
)
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
CACHE_HEADER = "X-Page-Cache"


def _generations():
    from .models import PageGeneration

    return PageGeneration.objects.using(router.db_for_write(PageGeneration))


def read_generation():
    """Return (number, changed_at, next publication) of the current generation."""
    fields = ("number", "changed_at", "next_publication")
    row = _generations().filter(pk=1).values_list(*fields).first()
    if row is None:  # a database emptied since `migrate` made the row
        next_generation()
        row = _generations().filter(pk=1).values_list(*fields).first()
    return row


def next_generation(seen=None):
    """Move the generation on (if it is still `seen`, when given); tell watchers."""
    from .models import Brief

    # A scheduled publication or an embargo's end: readers see a brief appear.
    upcoming = Brief.objects.using(router.db_for_write(Brief)).next_public_change()
    changes = {
        "number": F("number") + 1,
        "changed_at": timezone.now(),
        "next_publication": upcoming,
    }
    moved = _generations().filter(pk=1)
    if seen is not None:
        moved = moved.filter(number=seen)
    if not moved.update(**changes) and seen is None:
        _generations().get_or_create(pk=1, defaults={"next_publication": upcoming})
    publish = getattr(cache, "publish", None)
    if publish is not None:
        publish(CHANGES_CHANNEL)


def on_briefs_changed(sender, change, **kwargs):
    """Retire every cached page once a change readers can see has committed."""
    if change.public:
        next_generation()


def is_cacheable_request(request, excluded_prefixes=EXCLUDED_PREFIXES):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(excluded_prefixes):
        return False
    # The security middleware below answers plain-HTTP requests with a redirect.
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(directive in control for directive in UNCACHEABLE_DIRECTIVES)


class RecentPages:
    """The pages a process served lately, up to a total size, oldest out first."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.pages = OrderedDict()

    def get(self, key):
        page = self.pages.get(key)
        if page is not None:
            self.pages.move_to_end(key)
        return page

    def put(self, key, page):
        self.discard(key)
        weight = len(page[2]) + len(key)
        if weight > self.max_bytes:
            return
        self.pages[key] = page
        self.size += weight
        while self.size > self.max_bytes:
            old_key, old_page = self.pages.popitem(last=False)
            self.size -= len(old_page[2]) + len(old_key)

    def discard(self, key):
        page = self.pages.pop(key, None)
        if page is not None:
            self.size -= len(page[2]) + len(key)


class Generation:
    """What a process knows of the generation, and when to read it again."""

    def __init__(self, watch_on=None, trust_seconds=0):
        self.number = None
        self.changed_at = None
        self.next_change = None
        self.trusted_until = 0.0
        self.trust_seconds = trust_seconds
        self.subscription = None
        self.watch_on = watch_on
        self.retry_at = 0.0

    def current(self):
        """Return the current generation number, reading it only when needed."""
        now = time.time()
        if self.next_change is not None and now >= self.next_change:
            # A scheduled brief goes live now: the first process to see it
            # moves the generation for all.
            next_generation(seen=self.number)
            self.trusted_until = 0.0
        notified = self.notified()
        if notified or now >= self.trusted_until:
            self.number, self.changed_at, upcoming = read_generation()
            self.next_change = upcoming.timestamp() if upcoming else None
            self.trusted_until = now + self.trust_seconds if self.subscription else 0
        return self.number

    def recently_changed(self, seconds):
        """Return True if readers saw a change less than `seconds` ago."""
        return (timezone.now() - self.changed_at).total_seconds() < seconds

    def notified(self):
        """Return True if a change notice arrived, or the watch cannot tell."""
        if self.watch_on is None:
            return True
        if self.subscription is None:
            self.subscribe()
            return True
        try:
            arrived = False
            while self.subscription.get_message(timeout=0) is not None:
                arrived = True  # a change, or the confirmation of subscribing
        except Exception:  # noqa: BLE001 - any failure: read, and subscribe again
            self.close()
            return True
        return arrived

    def subscribe(self):
        if time.time() < self.retry_at:
            return
        self.retry_at = time.time() + 5
        try:
            self.subscription = self.watch_on.subscribe(CHANGES_CHANNEL)
        except Exception:  # noqa: BLE001 - Redis down: read the database each time
            self.subscription = None

    def close(self):
        subscription, self.subscription = self.subscription, None
        try:
            subscription.close()
        except Exception:  # noqa: BLE001 - it is being dropped anyway
            pass


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 300)
        self.primary_seconds = getattr(settings, "PAGE_CACHE_PRIMARY_SECONDS", 5)
        self.excluded_prefixes = EXCLUDED_PREFIXES + tuple(
            getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ())
        )
        backend = caches["default"]
        if isinstance(backend, DummyCache):
            self.timeout = 0
        # Copies in this process only where the shared cache carries notices.
        watched = hasattr(backend, "subscribe")
        self.recent = (
            RecentPages(getattr(settings, "PAGE_CACHE_WORKER_BYTES", 16 * 2**20))
            if watched
            else None
        )
        self.generation = Generation(
            backend if watched else None,
            getattr(settings, "PAGE_CACHE_TRUST_SECONDS", 2),
        )

    def __call__(self, request):
        if self.timeout <= 0 or not is_cacheable_request(
            request, self.excluded_prefixes
        ):
            return self.get_response(request)
        number = self.generation.current()
        # Hashed: a long query string would pass memcached's limit on keys.
        address = f"{request.get_host()}{request.get_full_path()}".encode()
        digest = hashlib.blake2b(address, digest_size=16).hexdigest()
        key = f"briefs:page:{number}:{digest}"
        stored = self.recent.get(key) if self.recent is not None else None
        if stored is None:
            stored = cache.get(key)
            if stored is not None and self.recent is not None:
                self.recent.put(key, stored)
        if stored is not None:
            return self.rebuild(request, stored)
        if self.generation.recently_changed(self.primary_seconds):
            with primary_reads():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if is_cacheable_response(response):
            self.store(key, response)
            response[CACHE_HEADER] = "miss"
        return response

    def store(self, key, response):
        timeout = self.timeout
        if self.generation.next_change is not None:
            until = self.generation.next_change - time.time()
            timeout = min(timeout, max(1, int(until)))
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() != "set-cookie"
        ]
        page = (response.status_code, headers, response.content)
        cache.set(key, page, timeout)
        if self.recent is not None:
            self.recent.put(key, page)

    def rebuild(self, request, stored):
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[CACHE_HEADER] = "hit"
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=last_modified,
            response=response,
        )

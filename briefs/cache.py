"""A full-page cache for anonymous readers that is never stale.

Every change a reader could see (a brief, its sections, bullets, corrections,
topics, votes, positions, sources, an author's name) replaces the cache
*generation*, and every cached page is stored with the generation it was made
in and served only while that generation is current, so one change retires
every page at once. Scheduled briefs need no change to appear: the generation
also records when the next scheduled brief goes live, and pages are never kept
past that moment.

The middleware sits at the top of the stack and stores the final response,
headers included, so a hit skips all the other middleware. Each worker also
keeps the pages it served lately in memory: a hit then costs one small read of
the generation from the shared cache, and the page itself crosses no network.

Signed-in users, requests carrying credentials, and responses that set cookies
or say `private` / `no-store` are never cached.
"""

import hashlib
import time
import uuid
from collections import OrderedDict

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

STATE_KEY = "briefs:page-cache:state"
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
# Saves of a user that change nothing a reader sees (signing in).
UNSEEN_USER_FIELDS = frozenset({"last_login"})


def retire_generation():
    """Drop the generation and tell every worker watching for changes."""
    cache.delete(STATE_KEY)
    publish = getattr(cache, "publish", None)
    if publish is not None:
        publish(CHANGES_CHANNEL)


def invalidate(**kwargs):
    """Retire every cached page, now and again once the transaction commits."""
    retire_generation()
    transaction.on_commit(retire_generation)


def invalidate_for_user(update_fields=None, **kwargs):
    """Authors' names are on pages; signing in alone changes nothing there."""
    if update_fields is not None and set(update_fields) <= UNSEEN_USER_FIELDS:
        return
    invalidate()


def connect_signals():
    # Every model of the app holds something a reader can see.
    for model in apps.get_app_config("briefs").get_models():
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(invalidate, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                invalidate,
                sender=field.remote_field.through,
                dispatch_uid=uid + field.name,
            )
    user = get_user_model()
    post_save.connect(invalidate_for_user, sender=user, dispatch_uid="page-cache-user")
    post_delete.connect(invalidate, sender=user, dispatch_uid="page-cache-user-del")


def current_state(state=None):
    """Return (generation, timestamp of the next scheduled publication or None).

    `state` is the value already read from the cache, if the caller has it.
    """
    if state is None:
        state = cache.get(STATE_KEY)
    if state is not None and (state[1] is None or state[1] > time.time()):
        return state
    from .models import Brief

    upcoming = (
        Brief.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    state = (uuid.uuid4().hex, upcoming.timestamp() if upcoming else None)
    cache.set(STATE_KEY, state, timeout=None)
    return state


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
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
    """The pages a worker served lately, up to a total size, oldest out first."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.pages = OrderedDict()

    def get(self, key, generation):
        page = self.pages.get(key)
        if page is None:
            return None
        if page[0] != generation:
            self.discard(key)
            return None
        self.pages.move_to_end(key)
        return page

    def put(self, key, page):
        self.discard(key)
        weight = self.weight_of(key, page)
        if weight > self.max_bytes:
            return
        self.pages[key] = page
        self.size += weight
        while self.size > self.max_bytes:
            self.size -= self.weight_of(*self.pages.popitem(last=False))

    def discard(self, key):
        page = self.pages.pop(key, None)
        if page is not None:
            self.size -= self.weight_of(key, page)

    @staticmethod
    def weight_of(key, page):
        return len(page[3]) + len(key)


class GenerationWatch:
    """Know without a round trip whether the generation a worker read still holds.

    Retiring the generation also publishes a message on a Redis channel
    (`retire_generation`). A worker subscribed to it keeps the state it last
    read, and before trusting it looks, without waiting, whether a message has
    reached its subscription: one system call instead of a request to Redis.
    A message, a fresh subscription or any trouble with it means the state is
    read from Redis again, as it is without a watch. The message leaves Redis
    before the change's own request is answered, so a reader who asks after
    that finds it waiting.
    """

    RETRY_SECONDS = 5

    def __init__(self, backend):
        self.backend = backend
        self.subscription = None
        self.state = None
        self.retry_at = 0.0

    def known_state(self):
        """Return the state last read if nothing can have changed since, or None."""
        if self.subscription is None:
            self.subscribe()
            return None
        try:
            while self.subscription.get_message(timeout=0) is not None:
                # A change, or the confirmation of a new subscription.
                self.state = None
        except Exception:  # noqa: BLE001 - any failure: stop trusting, resubscribe
            self.close()
            return None
        return self.state

    def remember(self, state):
        if self.subscription is not None:
            self.state = state

    def subscribe(self):
        if time.monotonic() < self.retry_at:
            return
        self.retry_at = time.monotonic() + self.RETRY_SECONDS
        try:
            self.subscription = self.backend.subscribe(CHANGES_CHANNEL)
        except Exception:  # noqa: BLE001 - Redis down: work without the watch
            self.subscription = None
        self.state = None

    def close(self):
        subscription, self.subscription, self.state = self.subscription, None, None
        try:
            subscription.close()
        except Exception:  # noqa: BLE001 - it is being dropped anyway
            pass


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 300)
        # With caching switched off (DummyCache) there is nothing to look up.
        if isinstance(caches["default"], DummyCache):
            self.timeout = 0
        self.recent = RecentPages(
            getattr(settings, "PAGE_CACHE_WORKER_BYTES", 16 * 1024 * 1024)
        )
        # Only a cache shared over the network has changes worth watching for.
        backend = caches["default"]
        self.watch = GenerationWatch(backend) if hasattr(backend, "subscribe") else None

    def state(self, stored=None, *, read=False):
        """Return the current (generation, next change), reading Redis if needed."""
        if not read and self.watch is not None:
            known = self.watch.known_state()
            if known is not None and (known[1] is None or known[1] > time.time()):
                return known
        state = current_state(stored)
        if self.watch is not None:
            self.watch.remember(state)
        return state

    def __call__(self, request):
        if self.timeout <= 0 or not is_cacheable_request(request):
            return self.get_response(request)
        # Hashed: a long query string would pass memcached's limit on keys.
        address = f"{request.get_host()}{request.get_full_path()}".encode()
        key = f"briefs:page:{hashlib.blake2b(address, digest_size=16).hexdigest()}"
        # When this worker holds the page, the generation alone is needed, and
        # often known without asking (GenerationWatch); else one round trip
        # brings both the generation and the page.
        if key in self.recent.pages:
            generation, next_change = self.state()
            stored = self.recent.get(key, generation)
        else:
            found = cache.get_many([STATE_KEY, key])
            generation, next_change = self.state(found.get(STATE_KEY), read=True)
            stored = found.get(key)
            if stored is not None and stored[0] == generation:
                self.recent.put(key, stored)
            else:
                stored = None
        if stored is not None:
            return self.rebuild(request, stored)
        response = self.get_response(request)
        if is_cacheable_response(response):
            timeout = self.timeout
            if next_change is not None:
                timeout = min(timeout, max(1, int(next_change - time.time())))
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() != "set-cookie"
            ]
            page = (generation, response.status_code, headers, response.content)
            cache.set(key, page, timeout)
            self.recent.put(key, page)
            response[CACHE_HEADER] = "miss"
        return response

    def rebuild(self, request, stored):
        _, status, headers, content = stored
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

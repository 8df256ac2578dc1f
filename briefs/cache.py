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
EXCLUDED_PREFIXES = (
    f"/{settings.ADMIN_URL}",
    "/preview/",
    "/healthz",
    "/static/",
    "/api/",
    "/bench/",
)
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")
CACHE_HEADER = "X-Page-Cache"
# Saves of a user that change nothing a reader sees (signing in).
UNSEEN_USER_FIELDS = frozenset({"last_login"})


def invalidate(**kwargs):
    """Retire every cached page, now and again once the transaction commits."""
    cache.delete(STATE_KEY)
    transaction.on_commit(lambda: cache.delete(STATE_KEY))


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

    def __call__(self, request):
        if self.timeout <= 0 or not is_cacheable_request(request):
            return self.get_response(request)
        # Hashed: a long query string would pass memcached's limit on keys.
        address = f"{request.get_host()}{request.get_full_path()}".encode()
        key = f"briefs:page:{hashlib.blake2b(address, digest_size=16).hexdigest()}"
        # One round trip to the shared cache either way: the generation alone
        # when this worker holds the page, else the generation and the page.
        if key in self.recent.pages:
            generation, next_change = current_state()
            stored = self.recent.get(key, generation)
        else:
            found = cache.get_many([STATE_KEY, key])
            generation, next_change = current_state(found.get(STATE_KEY))
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

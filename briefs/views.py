"""Public pages. Every one of them starts from `Brief.objects.published()`."""

import hashlib
import sys
import weakref
from functools import wraps

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    patch_vary_headers,
)
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition
from django.views.defaults import bad_request as default_bad_request
from django.views.generic import DetailView, ListView, TemplateView

from newsroom.version import __version__

from . import health
from . import search as site_search
from .models import Brief, Correction, Topic
from .paging import brief_page
from .rendering import (
    PublishedRows,
    cards,
    current_stamp,
    page_queryset,
    render_page,
    with_cards,
)
from .search import MAX_QUERY_LENGTH, search_briefs

# How long a CDN or browser may reuse a page for anonymous readers.
PUBLIC_MAX_AGE = 60


def cache_for_readers(view):
    """Let shared caches keep a page briefly, unless a signed-in user asked."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif response.status_code in (200, 304, 404):
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def published_briefs_for_list():
    """Return the published briefs, newest first, read for their cards."""
    return with_cards(Brief.objects.published()).order_by("-published_at", "-id")


def brief_detail_queryset(queryset):
    """Return `queryset` with everything a brief page shows, in fixed queries."""
    return page_queryset(queryset)


# What the brief page reads of a published brief and its stored page.
BRIEF_STATE = PublishedRows(
    "b.id",
    "b.updated_at",
    "b.last_updated_at",
    "r.revision",
    "r.changed_at",
    "r.rendered_with",
    "r.page",
)


# What one request has read of each brief, for as long as the request lives:
# the conditional-GET check and the view then make one query between them.
_BRIEF_STATES = weakref.WeakKeyDictionary()


def _brief_state(request, slug):
    """Return the published brief's row and stored page (one query, memoised)."""
    cache = _BRIEF_STATES.setdefault(request, {})
    if slug not in cache:
        cache[slug] = BRIEF_STATE.get(slug=slug)
    return cache[slug]


def _hash(*parts):
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def brief_etag(request, slug):
    state = _brief_state(request, slug)
    if state is None:
        return None
    # The revision moves with every change readers could see (also of votes,
    # sources, topics and authors), the stamp with the code that renders.
    return _hash(
        "brief",
        state["id"],
        state["updated_at"],
        state["revision"],
        current_stamp(),
    )


def brief_last_modified(request, slug):
    state = _brief_state(request, slug)
    if state is None:
        return None
    return max(
        moment
        for moment in (
            state["updated_at"],
            state["last_updated_at"],
            state["changed_at"],
        )
        if moment is not None
    )


def brief_detail_page(request, slug):
    """Serve the stored page of a published brief, or render it if it is stale."""
    state = _brief_state(request, slug)
    if state is None:
        moved = (
            Brief.objects.published().filter(old_slugs__slug=slug).only("slug").first()
        )
        if moved is not None:
            return HttpResponsePermanentRedirect(moved.get_absolute_url())
        raise Http404("No published brief at this address.")
    if state["rendered_with"] == current_stamp():
        return HttpResponse(state["page"])
    queryset = brief_detail_queryset(Brief.objects.published())
    brief = get_object_or_404(queryset, pk=state["id"])
    return HttpResponse(render_page(brief))


class BriefListView(TemplateView):
    template_name = "briefs/brief_list.html"

    def get_context_data(self, **kwargs):
        page = brief_page(published_briefs_for_list(), self.request.GET)
        return super().get_context_data(
            briefs=page.items,
            cards=cards(page.items),
            page=page,
            topics=Topic.objects.with_published_briefs().values("name", "slug"),
            **kwargs,
        )


class TopicDetailView(TemplateView):
    template_name = "briefs/topic_detail.html"

    def get_context_data(self, **kwargs):
        topic = get_object_or_404(
            Topic.objects.with_published_briefs(), slug=self.kwargs["slug"]
        )
        briefs = published_briefs_for_list().filter(topics=topic)
        page = brief_page(briefs, self.request.GET)
        return super().get_context_data(
            topic=topic, briefs=page.items, cards=cards(page.items), page=page, **kwargs
        )


class BriefDetailView(DetailView):
    template_name = "briefs/brief_detail.html"
    context_object_name = "brief"

    def get_queryset(self):
        return brief_detail_queryset(Brief.objects.published())


class SearchView(ListView):
    template_name = "briefs/search.html"
    context_object_name = "briefs"
    paginate_by = 20

    def get_queryset(self):
        query = " ".join(self.request.GET.get("q", "").split())
        self.shortened = len(query) > MAX_QUERY_LENGTH
        self.query = query[:MAX_QUERY_LENGTH]
        return search_briefs(self.query, with_cards(Brief.objects.published()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cards=cards(context["briefs"]),
            query=self.query,
            query_shortened=self.shortened,
            max_query_length=MAX_QUERY_LENGTH,
            search_limit=site_search.SEARCH_CANDIDATES,
            topics=Topic.objects.with_published_briefs(),
        )
        return context


class CorrectionListView(ListView):
    template_name = "briefs/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 50

    def get_queryset(self):
        return (
            Correction.objects.filter(brief__in=Brief.objects.published())
            .select_related("brief")
            .order_by("-published_at", "-id")
        )


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *"]
    # A custom admin path is not published here: keeping it unknown is its point.
    if settings.ADMIN_URL == "admin/":
        lines.append("Disallow: /admin/")
    lines += ["", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    # An API client asked for an address no route matches: it reads JSON.
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


# Errors that mean the database cannot be reached now, not that the code is wrong.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# What a client is told to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def _is_api(request):
    return request.path.startswith("/api/")


def server_error(request):
    # Django calls this while handling the exception, so it is still at hand.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return render(request, "500.html", status=500)


def service_unavailable(request):
    """Answer 503 with Retry-After: a friendly page, or JSON under /api/."""
    if _is_api(request):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable; try again shortly."},
            status=503,
        )
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def too_large_message(exception):
    """Return what was too large in a request Django refused to read."""
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return f"The request has more than the {limit:,} fields this site accepts."
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return f"The request has more than the {limit:,} files this site accepts."
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"The request body is larger than the {limit:,} bytes this site accepts."


def bad_request(request, exception):
    """Answer 413 to a body over the size or field limits, else Django's 400."""
    if not isinstance(exception, TOO_LARGE):
        return default_bad_request(request, exception)
    message = too_large_message(exception)
    if _is_api(request):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


brief_list = cache_for_readers(BriefListView.as_view())
topic_detail = cache_for_readers(TopicDetailView.as_view())
brief_detail = cache_for_readers(
    condition(etag_func=brief_etag, last_modified_func=brief_last_modified)(
        brief_detail_page
    )
)
search = cache_for_readers(SearchView.as_view())
correction_list = cache_for_readers(CorrectionListView.as_view())
robots = cache_for_readers(robots_txt)


@never_cache
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise, with the release."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "version": __version__}, status=503
        )
    return JsonResponse({"status": "ok", "version": __version__})


@never_cache
def healthz_ready(request):
    """Report the database, cache, task queue and storage (`briefs.health`)."""
    code, report = health.readiness()
    return JsonResponse(report, status=code)

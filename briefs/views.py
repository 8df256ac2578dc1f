"""Public pages. Every one of them starts from `Brief.objects.published()`."""

import hashlib
from functools import wraps

from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    patch_vary_headers,
)
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition
from django.views.generic import DetailView, ListView

from .models import Brief, Correction, Topic
from .rendering import current_stamp, page_queryset, render_page
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
    return (
        Brief.objects.published()
        .prefetch_related("topics")
        .order_by("-published_at", "-id")
    )


def brief_detail_queryset(queryset):
    """Return `queryset` with everything a brief page shows, in fixed queries."""
    return page_queryset(queryset)


def _brief_state(request, slug):
    """Return the published brief's row and stored page (one query, memoised)."""
    cache = request.__dict__.setdefault("_brief_state", {})
    if slug not in cache:
        cache[slug] = (
            Brief.objects.published()
            .filter(slug=slug)
            .values(
                "id",
                "updated_at",
                "last_updated_at",
                "rendering__revision",
                "rendering__changed_at",
                "rendering__rendered_with",
                "rendering__page",
            )
            .first()
        )
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
        state["rendering__revision"],
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
            state["rendering__changed_at"],
        )
        if moment is not None
    )


def brief_page(request, slug):
    """Serve the stored page of a published brief, or render it if it is stale."""
    state = _brief_state(request, slug)
    if state is None:
        raise Http404("No published brief at this address.")
    if state["rendering__rendered_with"] == current_stamp():
        return HttpResponse(state["rendering__page"])
    queryset = brief_detail_queryset(Brief.objects.published())
    brief = get_object_or_404(queryset, pk=state["id"])
    return HttpResponse(render_page(brief))


class BriefListView(ListView):
    template_name = "briefs/brief_list.html"
    context_object_name = "briefs"
    paginate_by = 20

    def get_queryset(self):
        return published_briefs_for_list()

    def get_context_data(self, **kwargs):
        topics = Topic.objects.with_published_briefs()
        return super().get_context_data(topics=topics, **kwargs)


class TopicDetailView(ListView):
    template_name = "briefs/topic_detail.html"
    context_object_name = "briefs"
    paginate_by = 20

    def get_queryset(self):
        self.topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return published_briefs_for_list().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


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
        self.query = " ".join(self.request.GET.get("q", "").split())
        self.query = self.query[:MAX_QUERY_LENGTH]
        return search_briefs(self.query).prefetch_related("topics")

    def get_context_data(self, **kwargs):
        topics = Topic.objects.with_published_briefs()
        return super().get_context_data(query=self.query, topics=topics, **kwargs)


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
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


brief_list = cache_for_readers(BriefListView.as_view())
topic_detail = cache_for_readers(TopicDetailView.as_view())
brief_detail = cache_for_readers(
    condition(etag_func=brief_etag, last_modified_func=brief_last_modified)(brief_page)
)
search = cache_for_readers(SearchView.as_view())
correction_list = cache_for_readers(CorrectionListView.as_view())
robots = cache_for_readers(robots_txt)


@never_cache
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})

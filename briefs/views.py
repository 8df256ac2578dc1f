"""Public pages. Every one of them starts from `Brief.objects.published()`."""

from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from .models import Brief, Bullet, Section, Topic, Vote


def published_briefs_for_list():
    return (
        Brief.objects.published()
        .prefetch_related("topics")
        .order_by("-published_at", "-id")
    )


class BriefListView(ListView):
    template_name = "briefs/brief_list.html"
    context_object_name = "briefs"
    paginate_by = 20

    def get_queryset(self):
        return published_briefs_for_list()


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
        bullets = Bullet.objects.order_by("position", "id").prefetch_related("sources")
        sections = Section.objects.order_by("position", "id").prefetch_related(
            Prefetch("bullets", queryset=bullets)
        )
        votes = Vote.objects.select_related("body").prefetch_related("positions")
        return Brief.objects.published().prefetch_related(
            "topics",
            "authors",
            "sources",
            "corrections",
            Prefetch("sections", queryset=sections),
            Prefetch("votes", queryset=votes),
        )


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

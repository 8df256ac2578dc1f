"""Sitemaps: every published brief and topic, and a Google News sitemap."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from .models import Brief, Topic

# Google News wants only the articles of the last two days.
NEWS_WINDOW = datetime.timedelta(days=2)


class BriefSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Brief.objects.published().order_by("-published_at", "-id")

    def lastmod(self, brief):
        return brief.last_updated_at or brief.updated_at


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        published = Brief.objects.published()
        return Topic.objects.filter(briefs__in=published).distinct().order_by("slug")


class PageSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["briefs:brief-list", "briefs:correction-list"]

    def location(self, name):
        return reverse(name)


class NewsSitemap(Sitemap):
    """Briefs first published in the last two days, with their news tags."""

    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Brief.objects.published()
            .filter(first_published_at__gte=since)
            .order_by("-first_published_at", "-id")
        )

    def lastmod(self, brief):
        return brief.last_updated_at or brief.updated_at


SITEMAPS = {
    "briefs": BriefSitemap,
    "topics": TopicSitemap,
    "pages": PageSitemap,
    "news": NewsSitemap,
}

"""Sitemaps: every published brief and topic, and a Google News sitemap."""

import datetime
import math
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .models import Brief, Topic

# Google News wants only the articles of the last two days.
NEWS_WINDOW = datetime.timedelta(days=2)


class IdRangePaginator:
    """Pages of a sitemap by ranges of ids: page 3 holds ids 10,001 to 15,000.

    Neither the page count nor a page costs a count or an offset scan: the
    count comes from the highest id, a page is one range of the primary key.
    A brief stays on its page for good, so crawlers see stable pages; a page
    holds at most `per_page` briefs, fewer where ids belong to drafts.
    """

    def __init__(self, queryset, per_page):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self):
        model = self.queryset.model
        top = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return max(1, math.ceil((top or 0) / self.per_page))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not a whole number.") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page holds no briefs.")
        low = (number - 1) * self.per_page
        rows = self.queryset.filter(pk__gt=low, pk__lte=low + self.per_page)
        return SimpleNamespace(number=number, object_list=rows.order_by("pk"))


class BriefSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Brief.objects.published()

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, brief):
        return brief.last_updated_at or brief.updated_at

    def get_latest_lastmod(self):
        # Not the stock way (every brief, read one by one): the newest change
        # of any published brief, read from the (updated_at, id) index.
        return (
            self.items()
            .order_by("-updated_at", "-id")
            .values_list("updated_at", flat=True)
            .first()
        )


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Topic.objects.with_published_briefs().order_by("slug")


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

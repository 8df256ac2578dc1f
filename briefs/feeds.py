"""RSS and Atom feeds of the latest published briefs, site-wide and per topic."""

import hashlib
import weakref

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import condition

from .models import Brief, Topic, authors_prefetch

FEED_LENGTH = 20


def feed_briefs(topic=None):
    """Return the published briefs a feed lists (all, or those on `topic`)."""
    briefs = Brief.objects.published()
    if topic is not None:
        briefs = briefs.filter(topics=topic)
    return briefs


class LatestBriefsFeed(Feed):
    """The latest published briefs, newest first, as RSS 2.0.

    Feed readers render an RSS `description` and an Atom `summary` (typed
    html) as HTML, so user text goes there escaped for HTML; the feed writer
    then escapes it again for XML.
    """

    description_template = None

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return get_object_or_404(Topic.objects.with_published_briefs(), slug=slug)

    def title(self, topic):
        if topic is None:
            return settings.SITE_NAME
        return f"{topic.name} · {settings.SITE_NAME}"

    def link(self, topic):
        return topic.get_absolute_url() if topic else "/"

    def description(self, topic):
        return escape(self.about(topic))

    def about(self, topic):
        """Return the feed's description as plain text."""
        if topic is not None:
            return f"The latest briefs on {topic.name}."
        return "Short, sourced explainers of the news."

    def items(self, topic):
        return (
            feed_briefs(topic)
            .prefetch_related("topics", authors_prefetch())
            .order_by("-published_at", "-id")[:FEED_LENGTH]
        )

    def item_title(self, brief):
        return brief.title

    def item_description(self, brief):
        return escape(brief.summary)

    def item_pubdate(self, brief):
        return brief.first_published_at or brief.published_at

    def item_updateddate(self, brief):
        return brief.last_updated_at or brief.published_at

    def item_author_name(self, brief):
        return ", ".join(brief.credited_names) or settings.SITE_NAME

    def item_categories(self, brief):
        return [topic.name for topic in brief.topics.all()]

    def item_guid(self, brief):
        # The brief's permanent id: a feed reader keeps one item through
        # slug changes.
        return brief.uuid.urn

    def item_guid_is_permalink(self, brief):
        return False


class LatestBriefsAtomFeed(LatestBriefsFeed):
    """The same briefs as an Atom 1.0 feed."""

    feed_type = Atom1Feed

    def subtitle(self, topic):
        # An Atom subtitle without a type is text, not HTML.
        return self.about(topic)


# What one request has read of a feed, for as long as the request lives: the
# conditional-GET check and the feed itself then share one read.
_FEED_STATES = weakref.WeakKeyDictionary()


def _feed_state(request, slug=None):
    cache = _FEED_STATES.setdefault(request, {})
    if slug not in cache:
        briefs = feed_briefs()
        if slug is not None:
            briefs = briefs.filter(topics__slug=slug)
        # Only the briefs the feed lists matter, so the validators read just
        # those rows (an index walk), never the whole table.
        rows = list(
            briefs.order_by("-published_at", "-id").values_list(
                "id", "updated_at", "published_at", "embargo_until"
            )[:FEED_LENGTH]
        )
        listed = [(pk, updated) for pk, updated, *_ in rows]
        # A scheduled or embargoed brief joins the feed at its time, after its
        # last save: that moment changed the feed too.
        moments = [moment for row in rows for moment in row[1:] if moment]
        cache[slug] = {"listed": listed, "changed": max(moments, default=None)}
    return cache[slug]


def feed_etag(request, slug=None):
    state = _feed_state(request, slug)
    text = f"feed|{request.path}|{state['listed']}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def feed_last_modified(request, slug=None):
    return _feed_state(request, slug)["changed"]


def conditional(feed):
    """Wrap a feed so that conditional requests get a 304 when nothing changed."""
    return condition(etag_func=feed_etag, last_modified_func=feed_last_modified)(feed)

from django.urls import path

from . import views
from .feeds import LatestBriefsAtomFeed, LatestBriefsFeed, conditional

app_name = "briefs"

rss = views.cache_for_readers(conditional(LatestBriefsFeed()))
atom = views.cache_for_readers(conditional(LatestBriefsAtomFeed()))

urlpatterns = [
    path("", views.brief_list, name="brief-list"),
    path("briefs/<slug:slug>/", views.brief_detail, name="brief-detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("search/", views.search, name="search"),
    path("corrections/", views.correction_list, name="correction-list"),
    path("feeds/rss/", rss, name="feed-rss"),
    path("feeds/atom/", atom, name="feed-atom"),
    path("feeds/rss/<slug:slug>/", rss, name="topic-feed-rss"),
    path("feeds/atom/<slug:slug>/", atom, name="topic-feed-atom"),
]

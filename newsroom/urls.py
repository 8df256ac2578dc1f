from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from briefs.preview import SharedBriefPreviewView
from briefs.sitemaps import SITEMAPS, NewsSitemap
from briefs.views import cache_for_readers, healthz, healthz_ready, robots

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", healthz_ready, name="healthz-ready"),
    path("api/v1/", include("briefs.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The page loads its start-up script from ?script, not inline (CSP).
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/docs.html"
        ),
        name="api-docs",
    ),
    path("robots.txt", robots, name="robots"),
    path(
        "sitemap.xml",
        cache_for_readers(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        cache_for_readers(sitemap_views.sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        cache_for_readers(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "preview/<str:token>/",
        SharedBriefPreviewView.as_view(),
        name="brief-share-preview",
    ),
    path("newsletters/", include("newsletters.urls")),
    path("", include("briefs.urls")),
]
# Uploaded images in development; in production nginx (deploy/nginx.conf) or
# the bucket serves them, and this adds nothing.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "briefs.views.bad_request"
handler404 = "briefs.views.page_not_found"
handler500 = "briefs.views.server_error"

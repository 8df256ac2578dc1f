from django.contrib import admin
from django.urls import include, path

from briefs.preview import SharedBriefPreviewView
from briefs.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path(
        "preview/<str:token>/",
        SharedBriefPreviewView.as_view(),
        name="brief-share-preview",
    ),
    path("", include("briefs.urls")),
]

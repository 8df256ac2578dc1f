"""URLs of API v1, mounted at /api/v1/ in the `api` namespace."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import changes, notes, viewsets, webhooks

app_name = "api"


class Router(DefaultRouter):
    # One address per resource: formats go in `?format=`, not in suffixes.
    include_format_suffixes = False


router = Router()
router.register("briefs", viewsets.BriefViewSet, basename="brief")
router.register("votes", viewsets.VoteViewSet, basename="vote")
router.register("sources", viewsets.SourceViewSet, basename="source")
router.register("topics", viewsets.TopicViewSet, basename="topic")
router.register("bodies", viewsets.BodyViewSet, basename="body")
router.register(
    rf"briefs/(?P<brief_slug>{viewsets.SLUG_PATTERN})/notes",
    notes.EditorialNoteViewSet,
    basename="brief-note",
)
router.register(
    "webhooks", webhooks.WebhookSubscriptionViewSet, basename="webhook-subscription"
)

urlpatterns = [
    path("changes/", changes.ChangeList.as_view(), name="change-list"),
    *router.urls,
]

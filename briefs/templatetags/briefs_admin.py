"""The editor's dashboard on the admin index, and a sign-in hint."""

from django import template
from django.conf import settings
from django.utils import timezone

from briefs.access import publishes, reads_drafts
from briefs.models import Brief, Correction, PendingDraft

register = template.Library()

PANEL_SIZE = 6


def _when(moment, prefix):
    return f"{prefix} {timezone.localtime(moment):%d %b %H:%M}" if moment else ""


@register.inclusion_tag("admin/briefs/dashboard.html", takes_context=True)
def editor_dashboard(context):
    """Return five short lists: the work waiting for this editor and the team."""
    user = context["request"].user
    if not reads_drafts(user):
        return {"show": False}
    briefs = Brief.objects.only("pk", "title", "updated_at", "published_at")
    drafts = briefs.filter(status=Brief.Status.DRAFT, authors=user).order_by(
        "-updated_at"
    )[:PANEL_SIZE]
    review = briefs.filter(status=Brief.Status.REVIEW).order_by("updated_at")[
        :PANEL_SIZE
    ]
    scheduled = briefs.scheduled().order_by("published_at")[:PANEL_SIZE]
    published = briefs.published().order_by("-published_at")[:PANEL_SIZE]
    pending = PendingDraft.objects.select_related("brief").only(
        "brief__id", "brief__title", "updated_at", "author"
    )
    own_pending = pending.filter(author=user).order_by("-updated_at")[:PANEL_SIZE]
    # Editors review the drafts of live briefs; writers see their own.
    review_pending = (
        pending.order_by("updated_at")[:PANEL_SIZE] if publishes(user) else []
    )
    corrected = Correction.objects.select_related("brief").order_by(
        "-published_at", "-id"
    )[:PANEL_SIZE]
    return {
        "show": True,
        "panels": [
            {
                "title": "My drafts",
                "empty": "You have no drafts.",
                "items": [
                    {
                        "brief": d.brief,
                        "note": _when(d.updated_at, "draft of the live brief, saved"),
                    }
                    for d in own_pending
                ]
                + [{"brief": b, "note": _when(b.updated_at, "edited")} for b in drafts],
            },
            {
                "title": "Waiting for review",
                "empty": "Nothing is waiting for review.",
                "items": [
                    {
                        "brief": d.brief,
                        "note": _when(d.updated_at, "draft of the live brief, since"),
                        "review": True,
                    }
                    for d in review_pending
                ]
                + [{"brief": b, "note": _when(b.updated_at, "since")} for b in review],
            },
            {
                "title": "Scheduled next",
                "empty": "Nothing is scheduled.",
                "items": [
                    {"brief": b, "note": _when(b.published_at, "for")}
                    for b in scheduled
                ],
            },
            {
                "title": "Recently published",
                "empty": "Nothing is published yet.",
                "items": [
                    {"brief": b, "note": _when(b.published_at, "on")} for b in published
                ],
            },
            {
                "title": "Recently corrected",
                "empty": "No corrections yet.",
                "items": [
                    {
                        "brief": c.brief,
                        "note": f"{c.get_kind_display().lower()} "
                        + _when(c.published_at, "on"),
                    }
                    for c in corrected
                ],
            },
        ],
    }


@register.simple_tag(takes_context=True)
def cookies_refused_here(context):
    """Return True if this browser will not send back the sign-in's cookies.

    Secure cookies travel over HTTPS only, so over plain HTTP the CSRF check
    of the sign-in form fails.
    """
    request = context.get("request")
    secure = settings.SESSION_COOKIE_SECURE or settings.CSRF_COOKIE_SECURE
    return bool(secure and request is not None and not request.is_secure())

"""Previews of unpublished briefs: for staff, and through signed share links.

Both render the public detail page (`BriefDetailView`, same template) with
`preview=True` in the context and never-cache headers. A share link carries
the brief's id and its `share_key`, signed with a timestamp: it stops working
after `BRIEF_SHARE_LINK_MAX_AGE` seconds, or as soon as an editor revokes the
brief's links (which moves `share_key`).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .models import Brief
from .views import BriefDetailView, brief_detail_queryset

SHARE_SALT = "briefs.preview.share"


def share_token(brief):
    """Return a signed token that opens `brief`'s preview until it expires."""
    return signing.TimestampSigner(salt=SHARE_SALT).sign_object(
        {"brief": brief.pk, "key": brief.share_key}
    )


def share_url(brief):
    return reverse("brief-share-preview", kwargs={"token": share_token(brief)})


def share_link_expiry():
    """Return when a link made now stops working."""
    return timezone.now() + datetime.timedelta(
        seconds=settings.BRIEF_SHARE_LINK_MAX_AGE
    )


def brief_id_from_token(token):
    """Return (brief id, share key) from a valid token, or raise Http404."""
    try:
        data = signing.TimestampSigner(salt=SHARE_SALT).unsign_object(
            token, max_age=settings.BRIEF_SHARE_LINK_MAX_AGE
        )
    except signing.SignatureExpired:
        raise Http404("This preview link has expired; ask for a new one.") from None
    except signing.BadSignature:
        raise Http404("This preview link is not valid.") from None
    return data["brief"], data["key"]


@method_decorator(never_cache, name="dispatch")
class BriefPreviewView(BriefDetailView):
    """The reader's page of any brief, marked as a preview (staff only)."""

    def get_queryset(self):
        return brief_detail_queryset(Brief.objects.all())

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)


class SharedBriefPreviewView(BriefPreviewView):
    """The preview opened by a share link, for reviewers without an account."""

    def get_object(self, queryset=None):
        brief_id, key = brief_id_from_token(self.kwargs["token"])
        queryset = self.get_queryset().filter(pk=brief_id, share_key=key)
        brief = queryset.first()
        if brief is None:
            raise Http404("This preview link has been revoked.")
        return brief

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

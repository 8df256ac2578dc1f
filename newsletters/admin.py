from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from . import emails, sending
from .models import Delivery, NewsletterSettings, Scope, Subscriber

# The preview shows the email as clients do, with its inline styles, which
# the site's own policy refuses everywhere else.
EMAIL_PREVIEW_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.SELF],
}


def subscriber_counts():
    """Return the confirmed subscribers counted by frequency, topic and body."""
    receiving = Subscriber.objects.receiving()
    return {
        "total": receiving.count(),
        "unconfirmed": Subscriber.objects.filter(confirmed_at__isnull=True).count(),
        "paused": Subscriber.objects.filter(paused=True).count(),
        "everything": receiving.filter(scope=Scope.EVERYTHING).count(),
        "frequency": list(
            receiving.values("frequency")
            .annotate(count=Count("pk"))
            .order_by("frequency")
        ),
        "topics": list(
            Subscriber.topics.through.objects.filter(subscriber__in=receiving)
            .values("topic__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "topic__name")
        ),
        "bodies": list(
            Subscriber.bodies.through.objects.filter(subscriber__in=receiving)
            .values("body__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "body__name")
        ),
        "unknown_sends": Delivery.objects.filter(sent_at__isnull=True).count(),
    }


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "confirmed_at", "frequency", "scope", "paused")
    list_filter = (
        "frequency",
        "scope",
        "paused",
        ("confirmed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email",)
    readonly_fields = ("consented_at", "confirmed_at", "next_digest_at")
    filter_horizontal = ("topics", "bodies")
    change_list_template = "admin/newsletters/subscriber/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("preview/", view(self.preview_view), name="newsletters_preview"),
            path(
                "preview/email/",
                view(
                    xframe_options_sameorigin(
                        csp_override(EMAIL_PREVIEW_CSP)(self.preview_email_view)
                    )
                ),
                name="newsletters_preview_email",
            ),
            path(
                "preview/test/", view(self.send_test_view), name="newsletters_send_test"
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "counts": subscriber_counts(),
            "paused": NewsletterSettings.sending_paused(),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def _allowed(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def preview_view(self, request):
        self._allowed(request)
        ids = sending.next_digest_preview()
        rendered = emails.digest(ids) if ids else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Preview of the next digest",
            "rendered": rendered,
            "briefs": emails.briefs_for_email(ids),
            "now": timezone.now(),
            "paused": NewsletterSettings.sending_paused(),
        }
        return TemplateResponse(request, "admin/newsletters/preview.html", context)

    def preview_email_view(self, request):
        self._allowed(request)
        ids = sending.next_digest_preview()
        rendered = emails.digest(ids) if ids else None
        html = rendered.html if rendered else "<p>No brief for a digest now.</p>"
        return HttpResponse(html)

    def send_test_view(self, request):
        self._allowed(request)
        if request.method != "POST":
            return redirect("admin:newsletters_preview")
        if not request.user.email:
            messages.error(request, "Your account has no email address to send to.")
        elif sending.send_test(request.user.email, sending.next_digest_preview()):
            messages.success(request, f"A test digest went to {request.user.email}.")
        else:
            messages.warning(request, "No brief for a digest now: nothing was sent.")
        return redirect("admin:newsletters_preview")


@admin.register(NewsletterSettings)
class NewsletterSettingsAdmin(admin.ModelAdmin):
    fields = ("paused",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = NewsletterSettings.load()
        return redirect(
            reverse("admin:newsletters_newslettersettings_change", args=[settings.pk])
        )

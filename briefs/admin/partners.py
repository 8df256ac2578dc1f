"""What partners use: API tokens, webhook subscriptions and their delivery log."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html_join

from briefs import webhooks
from briefs.models import (
    APIToken,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "user",
        "scope",
        "expires_at",
        "last_used_at",
        "created_at",
        "rotated_at",
    )
    list_filter = ("scope",)
    search_fields = ("name", "user__username")
    autocomplete_fields = ("user",)
    fields = (
        "user",
        "name",
        "scope",
        "expires_at",
        "key",
        "created_at",
        "rotated_at",
        "last_used_at",
    )
    readonly_fields = ("key", "created_at", "rotated_at", "last_used_at")
    actions = ("rotate",)

    @admin.action(
        description="Rotate the selected tokens (new keys; the old stop working)",
        permissions=("change",),
    )
    def rotate(self, request, queryset):
        with transaction.atomic():
            rotated = [(token, token.rotate()) for token in queryset]
        for token, key in rotated:
            self.message_user(
                request,
                f"{token}: the new key is {key}. Give it to its user; the old key "
                "no longer works.",
                messages.SUCCESS,
            )


class WebhookSubscriptionForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The events this subscriber wants.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ("owner", "url", "events", "description", "is_active")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ("url", "owner", "event_names", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description", "owner__username")
    autocomplete_fields = ("owner",)
    readonly_fields = ("secret", "created_at")
    actions = ("send_test_ping",)

    def get_fields(self, request, obj=None):
        fields = ["owner", "url", "events", "description", "is_active"]
        return fields + (["secret", "created_at"] if obj else [])

    @admin.display(description="events")
    def event_names(self, subscription):
        return ", ".join(subscription.events)

    @admin.action(description="Send a test ping to the selected subscriptions")
    def send_test_ping(self, request, queryset):
        with transaction.atomic():
            for subscription in queryset:
                webhooks.ping(subscription)
        self.message_user(
            request,
            f"Queued a test ping to {queryset.count()} subscription(s); the "
            "delivery log shows how each went.",
            messages.SUCCESS,
        )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with a way to try again at once."""

    list_display = (
        "event",
        "subscription",
        "brief_id",
        "status",
        "attempts",
        "last_status_code",
        "short_error",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "event")
    list_select_related = ("subscription",)
    search_fields = ("subscription__url", "message_id")
    date_hierarchy = "created_at"
    inlines = (WebhookAttemptInline,)
    fields = (
        "subscription",
        "event",
        "brief_id",
        "message_id",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
        "payload_lines",
    )
    readonly_fields = fields
    actions = ("retry_now",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="last error")
    def short_error(self, delivery):
        error = delivery.last_error
        return error if len(error) <= 80 else error[:79] + "…"

    @admin.display(description="payload")
    def payload_lines(self, delivery):
        data = delivery.payload.get("data", {}) if delivery.payload else {}
        return format_html_join(
            "", "<div><b>{}</b>: {}</div>", ((k, v) for k, v in data.items())
        )

    @admin.action(description="Retry the selected deliveries now")
    def retry_now(self, request, queryset):
        with transaction.atomic():
            count = webhooks.retry_now(queryset)
        self.message_user(
            request,
            f"Queued {count} deliveries to be tried again now.",
            messages.SUCCESS,
        )

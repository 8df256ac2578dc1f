"""Webhook subscriptions through the API: /api/v1/webhooks/.

Partners with `briefs.manage_webhook` manage their own subscriptions; staff
who may view subscriptions in the admin see every one. The signing secret is
shown once, in the answer that creates the subscription (made for the partner
when they send none), and never again.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response

from ..models import WebhookEvent, WebhookSubscription
from ..models.webhooks import manages_webhooks
from .http import APIViewMixin
from .serializers import drf_errors
from .serializers.writes import RefuseUnwritableFields


class CanManageWebhooks(permissions.BasePermission):
    message = (
        "Managing webhooks needs an account with the permission to manage "
        "webhook subscriptions; ask the newsroom for one."
    )

    def has_permission(self, request, view):
        return manages_webhooks(request.user)


class WebhookSubscriptionSerializer(
    RefuseUnwritableFields, serializers.ModelSerializer
):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        allow_empty=False,
        max_length=len(WebhookEvent.values),
        help_text="The events to receive: "
        + ", ".join(f"`{value}`" for value in WebhookEvent.values)
        + ".",
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        max_length=120,
        help_text="The Standard Webhooks signing secret (`whsec_` and base64). "
        "Leave it out to have one made; the answer to the creation shows it, "
        "once.",
    )
    active = serializers.BooleanField(source="is_active", required=False)

    class Meta:
        model = WebhookSubscription
        fields = (
            "id",
            "url",
            "events",
            "secret",
            "description",
            "active",
            "created_at",
        )
        read_only_fields = ("id", "created_at")

    shown = ("id", "created_at")

    def validate(self, attrs):
        attrs["events"] = sorted(set(attrs.get("events", ())), key=str)
        if not attrs["events"]:
            attrs.pop("events")
        candidate = self.instance or WebhookSubscription(
            owner=self.context["request"].user
        )
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=["owner"])
        except DjangoValidationError as error:
            errors = drf_errors(error)
            if "is_active" in errors:
                errors["active"] = errors.pop("is_active")
            raise serializers.ValidationError(errors) from None
        return attrs


class CreatedSubscriptionSerializer(WebhookSubscriptionSerializer):
    """The answer to a creation: the only one that shows the secret."""

    secret = serializers.CharField(read_only=True)


@extend_schema_view(
    list=extend_schema(summary="List your webhook subscriptions"),
    retrieve=extend_schema(summary="A webhook subscription"),
    create=extend_schema(
        summary="Subscribe a URL to brief events",
        description="The answer holds the signing secret: keep it, it is not "
        "shown again.",
        responses={201: CreatedSubscriptionSerializer},
    ),
    update=extend_schema(summary="Replace a webhook subscription"),
    partial_update=extend_schema(summary="Change a webhook subscription"),
    destroy=extend_schema(summary="Unsubscribe"),
)
class WebhookSubscriptionViewSet(APIViewMixin, viewsets.ModelViewSet):
    """Webhook subscriptions: signed POSTs to your URL when briefs are
    published, updated, withdrawn or corrected."""

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [CanManageWebhooks]
    # Reads too answer 403 without the permission (see APIAutoSchema).
    needs_permission_to_read = True
    filterset_class = None

    def get_queryset(self):
        subscriptions = WebhookSubscription.objects.all()
        if getattr(self, "swagger_fake_view", False):
            # The schema generator asks with no user: only the model matters.
            return subscriptions.none()
        return subscriptions.visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = serializer.save(owner=request.user)
        data = CreatedSubscriptionSerializer(
            subscription, context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

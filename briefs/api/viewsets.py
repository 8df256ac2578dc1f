"""API viewsets. Each `get_queryset()` starts from what the user may see.

Anonymous clients (and users without `briefs.view_brief`) see what readers see:
`Brief.objects.published()`, and the votes and sources such briefs cite.
"""

from contextlib import contextmanager

import reversion
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from ..models import Brief, Bullet, Section, Source, StaleBriefError, Topic, Vote
from ..services import brief_delete
from .filters import BriefFilter, SourceFilter, VoteFilter
from .http import (
    APIViewMixin,
    ConditionalRetrieveMixin,
    PreconditionFailed,
    digest,
)
from .renderers import CSVRenderer, Table, brief_to_ninjs, votes_table
from .serializers import (
    BriefDetailSerializer,
    BriefListSerializer,
    BriefWriteSerializer,
    SourceSerializer,
    TopicSerializer,
    TransitionSerializer,
    VoteDetailSerializer,
    VoteSummarySerializer,
    VoteWriteSerializer,
    cited_sources,
    drf_errors,
)

# What a SlugField holds; other text in a slug's place is no API address.
SLUG_PATTERN = "[-a-zA-Z0-9_]+"


@contextmanager
def recorded_revision(request, comment):
    """Record what the block saves as one revision of the brief's history."""
    with reversion.create_revision():
        reversion.set_user(request.user)
        reversion.set_comment(comment)
        yield


@extend_schema_view(
    list=extend_schema(
        summary="List briefs",
        description="Newest first. Anonymous clients see published briefs only.",
    ),
    retrieve=extend_schema(
        summary="A brief with its sections, bullets, votes and sources",
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="An ETag from an earlier answer: 304 if unchanged.",
            )
        ],
    ),
    create=extend_schema(
        summary="Create a brief (a draft) with its sections and bullets",
        request=BriefWriteSerializer,
        responses={201: BriefDetailSerializer},
    ),
    update=extend_schema(
        summary="Replace a brief's content",
        request=BriefWriteSerializer,
        responses={200: BriefDetailSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag you edited: 412 if the brief changed since.",
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change some of a brief's fields",
        request=BriefWriteSerializer,
        responses={200: BriefDetailSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag you edited: 412 if the brief changed since.",
            )
        ],
    ),
    destroy=extend_schema(
        summary="Delete a brief (editors)",
        description="The brief's last revision keeps all it held: an editor "
        "can recover it from the admin's list of deleted briefs.",
    ),
)
class BriefViewSet(APIViewMixin, ConditionalRetrieveMixin, viewsets.ModelViewSet):
    """Briefs. Anonymous clients see published briefs only; writers and editors
    also see drafts, and write with the model permissions."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = BriefFilter

    def get_queryset(self):
        if self.action == "ninjs":
            # Syndication is for published briefs only, whoever asks.
            queryset = Brief.objects.published()
        else:
            queryset = Brief.objects.visible_to(self.request.user)
        if self.action in ("list", "retrieve", "ninjs"):
            # Only search reads the search text; answers never show it.
            queryset = queryset.defer("search_document")
        if self.action == "list":
            return queryset.prefetch_related("topics")
        return queryset.prefetch_related(*brief_detail_prefetches())

    def get_serializer_class(self):
        if self.action == "list":
            return BriefListSerializer
        if self.action in ("create", "update", "partial_update"):
            return BriefWriteSerializer
        if self.action in ("publish", "submit", "archive", "unpublish"):
            return TransitionSerializer
        return BriefDetailSerializer

    def get_serializer_class_for_read(self):
        return BriefDetailSerializer

    def etag(self, instance, data):
        return f'"{instance.version}-{digest(data)}"'

    def last_modified(self, instance):
        """Return the latest change to the brief or what it shows of others."""
        related = [*instance.votes.all(), *cited_sources(instance)]
        return max([instance.updated_at, *(o.updated_at for o in related)])

    def reloaded(self, brief):
        return self.get_queryset().get(pk=brief.pk)

    def read(self, brief, status_code=200):
        brief = self.reloaded(brief)
        data = BriefDetailSerializer(brief, context=self.get_serializer_context()).data
        return self.conditional_response(self.request, brief, data, status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with recorded_revision(request, "Created through the API."):
            brief = serializer.save()
            reversion.add_to_revision(brief)  # again, now with its sections
        response = self.read(brief, status.HTTP_201_CREATED)
        # A plain str: WSGI servers refuse str subclasses such as DRF's Hyperlink.
        response["Location"] = str(response.data["api_url"])
        return response

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        brief = self.get_object()
        self.check_if_match(request, brief)
        serializer = self.get_serializer(brief, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            with recorded_revision(request, "Changed through the API."):
                brief = serializer.save(expected_version=brief.version)
                reversion.add_to_revision(brief)
        except StaleBriefError:
            raise PreconditionFailed() from None
        return self.read(brief)

    def perform_destroy(self, instance):
        # Recorded first, so that the brief can be recovered from its history.
        brief_delete(brief=instance, user=self.request.user)

    def transition(self, request, method, **arguments):
        brief = self.get_object()
        self.check_if_match(request, brief)
        label = method.replace("_", " ").capitalize()
        try:
            with recorded_revision(request, f"{label} through the API."):
                getattr(brief, method)(user=request.user, **arguments)
                reversion.add_to_revision(brief)
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from None
        return self.read(brief)

    @extend_schema(
        summary="Publish now, or schedule (editors)",
        request=TransitionSerializer,
        responses={200: BriefDetailSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, slug=None):
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        at = serializer.validated_data.get("published_at")
        return self.transition(request, "publish", at=at)

    @extend_schema(
        summary="Submit a draft for review (writers)",
        request=None,
        responses={200: BriefDetailSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request, slug=None):
        return self.transition(request, "submit_for_review")

    @extend_schema(
        summary="Archive a published brief (editors)",
        request=None,
        responses={200: BriefDetailSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def archive(self, request, slug=None):
        return self.transition(request, "archive")

    @extend_schema(
        summary="Return a brief to draft (editors; writers from review)",
        request=None,
        responses={200: BriefDetailSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def unpublish(self, request, slug=None):
        return self.transition(request, "return_to_draft")

    @extend_schema(
        summary="A published brief as IPTC ninjs 2.x",
        description="The JSON news agencies exchange: headline, summary, the "
        "sections as HTML, topics as subjects and sources as links.",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="ninjs", filterset_class=None)
    def ninjs(self, request, slug=None):
        brief = self.get_object()
        return self.conditional_response(request, brief, brief_to_ninjs(brief))


def brief_detail_prefetches():
    bullets = Bullet.objects.order_by("position", "id").prefetch_related("sources")
    sections = Section.objects.order_by("position", "id").prefetch_related(
        Prefetch("bullets", queryset=bullets)
    )
    votes = Vote.objects.select_related("body").prefetch_related("positions")
    return [
        "topics",
        "authors",
        "sources",
        "corrections",
        Prefetch("sections", queryset=sections),
        Prefetch("votes", queryset=votes),
    ]


VOTE_FORMAT_PARAMETERS = [
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "csv"],
        description="`csv`: every matching vote, unpaginated, one row per vote "
        "with the UN Digital Library's columns (`total_yes`, `total_no`, "
        "`total_abstentions`, `total_non_voting`, `total_ms`).",
    ),
    OpenApiParameter(
        "members",
        OpenApiTypes.BOOL,
        description="With `format=csv`: one row per recorded member position "
        "instead (`ms_code`, `ms_name`, `ms_vote`: Y, N, A, or empty when absent).",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List votes",
        parameters=VOTE_FORMAT_PARAMETERS,
        responses={
            (200, "application/json"): VoteSummarySerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    ),
    retrieve=extend_schema(summary="A vote with its positions and briefs"),
    create=extend_schema(
        summary="Record a vote, with per-member positions",
        request=VoteWriteSerializer,
        responses={201: VoteDetailSerializer},
    ),
    update=extend_schema(
        request=VoteWriteSerializer, responses={200: VoteDetailSerializer}
    ),
    partial_update=extend_schema(
        request=VoteWriteSerializer, responses={200: VoteDetailSerializer}
    ),
)
class VoteViewSet(APIViewMixin, ConditionalRetrieveMixin, viewsets.ModelViewSet):
    """Recorded votes. Anonymous clients see those that published briefs report."""

    filterset_class = VoteFilter
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    def get_queryset(self):
        user = self.request.user
        queryset = Vote.objects.visible_to(user).select_related("body")
        if self.action == "list":
            return queryset
        briefs = Brief.objects.visible_to(user).order_by("-published_at", "-id")
        return queryset.prefetch_related(
            "positions", Prefetch("briefs", queryset=briefs)
        )

    def get_serializer_class(self):
        if self.action == "list":
            return VoteSummarySerializer
        if self.action in ("create", "update", "partial_update"):
            return VoteWriteSerializer
        return VoteDetailSerializer

    def get_serializer_class_for_read(self):
        return VoteDetailSerializer

    def list(self, request, *args, **kwargs):
        if isinstance(request.accepted_renderer, CSVRenderer):
            return self.list_csv(request)
        return super().list(request, *args, **kwargs)

    def list_csv(self, request):
        raw = request.query_params.get("members", "0").lower()
        if raw not in ("0", "1", "true", "false", "yes", "no", ""):
            raise serializers.ValidationError({"members": ["Give 1 or 0."]})
        members = raw in ("1", "true", "yes")
        queryset = self.filter_queryset(self.get_queryset())
        if members:
            queryset = queryset.prefetch_related("positions")
        # Pages like the JSON list, so no request reads every vote; the next
        # page is in the `Link` header.
        votes = self.paginate_queryset(queryset)
        table = votes_table(votes, members=members)
        response = Response(Table(table.header, list(table.rows)))
        if next_link := self.paginator.get_next_link():
            response["Link"] = f'<{next_link}>; rel="next"'
        response["Content-Disposition"] = (
            'attachment; filename="votes-members.csv"'
            if members
            else 'attachment; filename="votes.csv"'
        )
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vote = serializer.save()
        return self.read(vote, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        vote = self.get_object()
        self.check_if_match(request, vote)
        serializer = self.get_serializer(vote, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return self.read(serializer.save())

    def read(self, vote, status_code=200):
        vote = self.get_queryset().get(pk=vote.pk)
        data = VoteDetailSerializer(vote, context=self.get_serializer_context()).data
        return self.conditional_response(self.request, vote, data, status_code)


@extend_schema_view(
    list=extend_schema(summary="List sources cited by published briefs"),
    retrieve=extend_schema(summary="A source"),
)
class SourceViewSet(APIViewMixin, ConditionalRetrieveMixin, viewsets.ModelViewSet):
    """Sources. Anonymous clients see those that published briefs cite."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user)

    def get_serializer_class_for_read(self):
        return SourceSerializer


@extend_schema_view(
    list=extend_schema(summary="List topics"),
    retrieve=extend_schema(summary="A topic"),
)
class TopicViewSet(APIViewMixin, ConditionalRetrieveMixin, viewsets.ModelViewSet):
    """Topics that briefs are filed under."""

    serializer_class = TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    queryset = Topic.objects.all()
    filterset_class = None

    def get_queryset(self):
        # Public topics only, unless the user may read drafts (or is writing).
        if self.action in ("list", "retrieve"):
            return Topic.objects.visible_to(self.request.user).order_by("name")
        return Topic.objects.order_by("name")

    def last_modified(self, instance):
        return None

    def get_serializer_class_for_read(self):
        return TopicSerializer

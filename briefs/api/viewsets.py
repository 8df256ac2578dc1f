"""API viewsets. Each `get_queryset()` starts from what the user may see.

Anonymous clients (and users without `briefs.view_brief`) see what readers see:
`Brief.objects.published()`, and the votes and sources such briefs cite.
Partners (`briefs.syndicate_brief`) also see published briefs under embargo,
and may ask for the tombstones of withdrawn ones (see `briefs.api.sync`).
"""

import uuid
from contextlib import contextmanager

import reversion
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import router
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from ..access import reads_embargoed
from ..models import (
    Body,
    Brief,
    BriefRendering,
    BriefSlug,
    Source,
    StaleBriefError,
    Topic,
    Vote,
    Withdrawal,
)
from ..rendering import (
    STORED_COLUMNS,
    PublishedRows,
    absolute_api_links,
    api_etag,
    api_prefetches,
    api_queryset,
    current_stamp,
    render_api_detail,
    render_api_item,
    to_json,
)
from ..services import (
    DraftError,
    LiveBriefError,
    StaleDraftError,
    brief_delete,
    brief_transition,
    draft_discard,
    draft_publish,
    draft_save,
    edits_wait,
    pending_draft,
    shared_delete,
    shared_save,
)
from .filters import BriefFilter, SourceFilter, VoteFilter
from .http import (
    APIViewMixin,
    ConditionalRetrieveMixin,
    PreconditionFailed,
)
from .renderers import (
    CSVRenderer,
    Table,
    brief_to_ninjs,
    votes_table,
    withdrawal_to_ninjs,
)
from .schema import detail_error
from .serializers import (
    BodySerializer,
    BriefDetailSerializer,
    BriefListSerializer,
    BriefWriteSerializer,
    PublishSerializer,
    SourceSerializer,
    SourceWriteSerializer,
    TopicSerializer,
    TopicWriteSerializer,
    TransitionSerializer,
    VoteDetailSerializer,
    VoteSummarySerializer,
    VoteWriteSerializer,
    drf_errors,
)
from .serializers.drafts import PendingDraftSerializer
from .sync import (
    BRIEF,
    INCLUDE_WITHDRAWN,
    SyncPagination,
    TombstoneSerializer,
    wants_withdrawn,
)

# The columns a list item shows (BriefListSerializer), read for stale items; in
# the model's order, as `Model.from_db` takes them.
LIST_FIELDS = tuple(
    field.attname
    for field in Brief._meta.concrete_fields
    if field.attname in {*BriefListSerializer.Meta.fields, "uuid"}
    and not field.primary_key
)

DETAIL_FIELDS = tuple(
    field.attname
    for field in Brief._meta.concrete_fields
    if field.attname in {"version", *LIST_FIELDS}
)

# What the API detail reads of a published brief and its stored rendering.
STORED_DETAIL = PublishedRows(
    "b.id",
    *(f"b.{Brief._meta.get_field(name).column}" for name in DETAIL_FIELDS),
    "r.rendered_with",
    "r.changed_at",
    "r.api_detail",
)

# What the anonymous API list reads of each published brief.
STORED_LIST = PublishedRows(
    "b.id",
    *(f"b.{Brief._meta.get_field(name).column}" for name in LIST_FIELDS),
    "r.rendered_with",
    "r.api_item",
)


class DraftConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The live brief changed since its pending draft was made."
    default_code = "stale_draft"


# What a SlugField holds; other text in a slug's place is no API address.
SLUG_PATTERN = "[-a-zA-Z0-9_]+"


DRAFT_NOTE = (
    "A published brief changed by someone who may not publish (a writer) keeps "
    "its live version: the change is saved as the brief's pending draft (202, "
    "built on the draft already pending, if any), readable at the brief's "
    "draft/, and goes live when an editor POSTs to its publish/."
)


def as_uuid(value):
    """Return `value` as a UUID if it is one, else None (it is a slug)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


BRIEF_KEY = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The brief's slug, or its permanent `id` (a UUID).",
)


def brief_lookup(value):
    """Return the condition for the brief a detail address names: its slug,
    or its permanent id."""
    key = as_uuid(value)
    return Q(slug=value) if key is None else Q(slug=value) | Q(uuid=key)


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
        description="Newest first. Anonymous clients see published briefs only; "
        "partners also see briefs under embargo, with `embargo_until`. With "
        "`include_withdrawn=1`, partners and staff also get the tombstones of "
        "briefs withdrawn from readers.",
        parameters=[INCLUDE_WITHDRAWN],
        responses=PolymorphicProxySerializer(
            component_name="BriefOrTombstone",
            serializers=[BriefListSerializer, TombstoneSerializer],
            resource_type_field_name=None,
            many=True,
        ),
    ),
    retrieve=extend_schema(
        summary="A brief with its sections, bullets, votes and sources",
        description="Named by its slug or its permanent `id`. A slug the brief "
        "had before answers 301 to its current address.",
        responses={
            200: BriefDetailSerializer,
            301: OpenApiResponse(description="An old slug: see `Location`."),
        },
        parameters=[
            BRIEF_KEY,
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="An ETag from an earlier answer: 304 if unchanged.",
            ),
        ],
    ),
    create=extend_schema(
        summary="Create a brief (a draft) with its sections and bullets",
        request=BriefWriteSerializer,
        responses={201: BriefDetailSerializer},
    ),
    update=extend_schema(
        summary="Replace a brief's content",
        description=DRAFT_NOTE,
        request=BriefWriteSerializer,
        responses={200: BriefDetailSerializer, 202: PendingDraftSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag you edited (from a GET of the brief): 412 "
                "if the brief changed since, 428 without it. `*` overwrites.",
                required=True,
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change some of a brief's fields",
        description=DRAFT_NOTE,
        request=BriefWriteSerializer,
        responses={200: BriefDetailSerializer, 202: PendingDraftSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag you edited (from a GET of the brief): 412 "
                "if the brief changed since, 428 without it. `*` overwrites.",
                required=True,
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
    """Briefs, by slug or permanent id. Anonymous clients see published briefs
    only; partners also those under embargo; writers and editors also see
    drafts, and write with the model permissions."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = BriefFilter
    # Updates must send If-Match (API_REQUIRE_IF_MATCH); the schema says so.
    requires_if_match = True

    def get_queryset(self):
        if self.action == "ninjs":
            # Syndication is for published briefs only, whoever asks; partners
            # and staff also receive those under embargo.
            user = self.request.user
            queryset = Brief.objects.published(embargoed=reads_embargoed(user))
        else:
            queryset = Brief.objects.visible_to(self.request.user)
        if self.action in ("list", "retrieve", "ninjs"):
            # Only search reads the search text; answers never show it.
            queryset = queryset.defer("search_document")
        if self.action == "list":
            return queryset.prefetch_related("topics")
        # The rendering row only for its `changed_at` (Last-Modified).
        queryset = queryset.select_related("rendering").defer(*STORED_COLUMNS)
        return api_queryset(queryset)

    def get_serializer_class(self):
        if self.action == "list":
            return BriefListSerializer
        if self.action in ("create", "update", "partial_update"):
            return BriefWriteSerializer
        if self.action == "publish":
            return PublishSerializer
        if self.action == "draft":
            return PendingDraftSerializer
        if self.action in ("submit", "archive", "unpublish"):
            return TransitionSerializer
        return BriefDetailSerializer

    def get_serializer_class_for_read(self):
        return BriefDetailSerializer

    def get_object(self):
        """Return the brief the address names by slug or by permanent id."""
        queryset = self.filter_queryset(self.get_queryset())
        brief = get_object_or_404(queryset, brief_lookup(self.kwargs["slug"]))
        self.check_object_permissions(self.request, brief)
        return brief

    def moved(self, request, view_name="api:brief-detail"):
        """Return a 301 to the brief's address if the slug asked is an old one
        of a brief the user may see, else None."""
        old = BriefSlug.objects.filter(slug=self.kwargs["slug"]).values("brief_id")
        slug = (
            Brief.objects.visible_to(request.user)
            .filter(pk__in=old)
            .values_list("slug", flat=True)
            .first()
        )
        if slug is None:
            return None
        location = reverse(view_name, kwargs={"slug": slug})
        if request.META.get("QUERY_STRING"):
            location = f"{location}?{request.META['QUERY_STRING']}"
        return HttpResponsePermanentRedirect(location)

    def handle_exception(self, exc):
        if (
            isinstance(exc, Http404)
            and self.request.method in ("GET", "HEAD")
            and self.action in ("retrieve", "ninjs")
        ):
            view_name = (
                "api:brief-detail" if self.action == "retrieve" else "api:brief-ninjs"
            )
            redirect = self.moved(self.request, view_name)
            if redirect is not None:
                return redirect
        return super().handle_exception(exc)

    def etag(self, instance, data):
        if self.action == "ninjs":
            # Another representation of the same version: another ETag.
            return super().etag(instance, data)
        # Made from the representation with relative links, which is what a
        # stored rendering holds, so that stored and live answers agree.
        return api_etag(instance.version, render_api_detail(instance), self.request)

    def last_modified(self, instance):
        """Return the latest change to the brief or to what it shows of others."""
        try:
            changed_at = instance.rendering.changed_at
        except BriefRendering.DoesNotExist:
            return instance.updated_at
        return max(instance.updated_at, changed_at)

    # Stored renderings (see briefs.rendering) ----------------------------------

    def serves_stored(self, request):
        """Return True if the answer is what a stored rendering holds: plain
        JSON to a GET, nothing asked beyond the page (for lists)."""
        allowed = {"cursor", "page_size"} if self.action == "list" else set()
        return (
            request.method in ("GET", "HEAD")
            and request.accepted_media_type == JSONRenderer.media_type
            and isinstance(request.accepted_renderer, JSONRenderer)
            and set(request.query_params) <= allowed
        )

    def retrieve(self, request, *args, **kwargs):
        if self.serves_stored(request):
            response = self.stored_detail(request)
            if response is not None:
                return response
        return super().retrieve(request, *args, **kwargs)

    def stored_detail(self, request):
        """Answer a published brief from its stored rendering (one query); without
        a current one, render it live from the row already read."""
        value = self.kwargs["slug"]
        key = as_uuid(value)
        row = (
            STORED_DETAIL.get(slug=value)
            if key is None
            else STORED_DETAIL.get(uuid=key)
        )
        if row is None:
            return None  # perhaps a draft that staff may read
        values = [row["id"], *(row[name] for name in DETAIL_FIELDS)]
        brief = Brief.from_db(router.db_for_read(Brief), ["id", *DETAIL_FIELDS], values)
        if row["changed_at"] is not None:
            brief.rendering = BriefRendering(changed_at=row["changed_at"])
        if row["rendered_with"] != current_stamp():
            prefetch_related_objects([brief], *api_prefetches())
            data = self.get_serializer(brief).data
            return self.conditional_response(request, brief, data)
        stored = row["api_detail"]
        etag = api_etag(brief.version, stored, request)
        timestamp = int(self.last_modified(brief).timestamp())
        answer = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if answer is not None and answer.status_code == 304:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        elif answer is not None:
            raise PreconditionFailed()
        else:
            body = absolute_api_links(stored, request)
            response = HttpResponse(body, content_type=JSONRenderer.media_type)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(timestamp)
        return response

    def list(self, request, *args, **kwargs):
        user = request.user
        if wants_withdrawn(request) and reads_embargoed(user):
            return self.sync_list(request)
        if not self.serves_stored(request) or reads_embargoed(user):
            return super().list(request, *args, **kwargs)
        # Published briefs only, as plain rows with their stored list items;
        # the few without a current one are rendered live (their topics in
        # one more query). No filter was asked for (see `serves_stored`).
        rows = self.paginator.paginate_newest_first(request, STORED_LIST.page)
        stamp = current_stamp()
        items, stale = {}, []
        for row in rows:
            if row.rendered_with == stamp:
                items[row.pk] = row.api_item
            else:
                values = [row.pk, *(getattr(row, name) for name in LIST_FIELDS)]
                stale.append(
                    Brief.from_db(
                        router.db_for_read(Brief), ["id", *LIST_FIELDS], values
                    )
                )
        prefetch_related_objects(stale, "topics")
        items.update((brief.pk, render_api_item(brief)) for brief in stale)
        results = ",".join(items[row.pk] for row in rows)
        links = [self.paginator.get_next_link(), self.paginator.get_previous_link()]
        next_link, previous_link = ("null" if x is None else to_json(x) for x in links)
        body = (
            f'{{"next":{next_link},"previous":{previous_link},"results":[{results}]}}'
        )
        return HttpResponse(
            absolute_api_links(body, request), content_type=JSONRenderer.media_type
        )

    def sync_list(self, request):
        """List briefs and tombstones by the time each changed (see `sync`)."""
        ordering = request.query_params.get("ordering", "")
        if ordering not in ("updated_at", "-updated_at"):
            raise serializers.ValidationError(
                {
                    "include_withdrawn": [
                        "Give ordering=updated_at (or -updated_at) with it: "
                        "tombstones are listed by when the brief was withdrawn."
                    ]
                }
            )
        filterset = BriefFilter(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        withdrawals = Withdrawal.objects.all()
        since = filterset.form.cleaned_data.get("updated_after")
        if since is not None:
            withdrawals = withdrawals.since(since)
        paginator = SyncPagination()
        rows = paginator.paginate_sync(
            filterset.qs,
            withdrawals,
            request,
            descending=ordering.startswith("-"),
        )
        briefs = [obj for kind, obj in rows if kind == BRIEF]
        prefetch_related_objects(briefs, "topics")
        context = self.get_serializer_context()
        results = [
            BriefListSerializer(obj, context=context).data
            if kind == BRIEF
            else TombstoneSerializer(obj).data
            for kind, obj in rows
        ]
        return paginator.get_paginated_response(results)

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
        self.require_if_match(request)
        self.check_if_match(request, brief)
        serializer = self.get_serializer(brief, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if edits_wait(brief, request.user):
            return self.save_draft(brief, serializer.validated_data)
        try:
            with recorded_revision(request, "Changed through the API."):
                brief = serializer.save(expected_version=brief.version)
                reversion.add_to_revision(brief)
        except StaleBriefError:
            raise PreconditionFailed() from None
        return self.read(brief)

    def save_draft(self, brief, validated):
        """Keep a change of live `brief` as its pending draft; answer 202."""
        validated = dict(validated)
        sections = validated.pop("sections", None)
        links = {
            name: validated.pop(name)
            for name in ("topics", "sources", "votes")
            if name in validated
        }
        try:
            draft = draft_save(
                brief=brief,
                user=self.request.user,
                on_draft=True,
                fields=validated,
                sections=sections,
                expected_version=brief.version,
                **links,
            )
        except StaleBriefError:
            raise PreconditionFailed() from None
        except DraftError as error:
            raise serializers.ValidationError(drf_errors(error)) from None
        data = PendingDraftSerializer(draft, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        methods=["GET"],
        summary="The pending draft of a live brief (staff)",
        description="An edit of the published brief waiting for an editor. "
        "404 if there is none.",
        responses={200: PendingDraftSerializer, 403: detail_error("Not staff.")},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Discard the pending draft (editors, or its author)",
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path="draft",
        permission_classes=[IsAuthenticated],
        filterset_class=None,
    )
    def draft(self, request, slug=None):
        if not request.user.has_perm("briefs.change_brief"):
            raise exceptions.PermissionDenied(
                "Only staff who edit briefs read their drafts."
            )
        brief = self.get_object()
        draft = pending_draft(brief)
        if draft is None:
            raise exceptions.NotFound("This brief has no pending draft.")
        if request.method == "DELETE":
            try:
                draft_discard(brief=brief, user=request.user)
            except DjangoPermissionDenied as error:
                raise exceptions.PermissionDenied(str(error)) from None
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(PendingDraftSerializer(draft).data)

    def publish_draft(self, request, brief, force):
        try:
            with recorded_revision(request, "Published the draft through the API."):
                brief = draft_publish(brief=brief, user=request.user, force=force)
        except StaleDraftError as error:
            raise DraftConflict(error.messages[0]) from None
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        except (LiveBriefError, DraftError) as error:
            raise serializers.ValidationError(drf_errors(error)) from None
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
                brief_transition(
                    brief=brief, action=method, user=request.user, **arguments
                )
                reversion.add_to_revision(brief)
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from None
        return self.read(brief)

    @extend_schema(
        summary="Publish now, or schedule (editors)",
        description="On a published brief with a pending draft, publishes the "
        "draft: it must pass the publish checklist (else 400), and the live "
        "brief must not have changed since the draft was made (else 409, "
        "unless `force`).",
        request=PublishSerializer,
        responses={
            200: BriefDetailSerializer,
            409: detail_error(
                "The live brief changed since its pending draft was made; "
                "send `force` to publish the draft anyway."
            ),
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, slug=None):
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        at = serializer.validated_data.get("published_at")
        brief = self.get_object()
        if brief.status == Brief.Status.PUBLISHED and pending_draft(brief):
            if at is not None:
                raise serializers.ValidationError(
                    {
                        "published_at": [
                            "This brief has a pending draft: publish it first, "
                            "then schedule."
                        ]
                    }
                )
            self.check_if_match(request, brief)
            force = serializer.validated_data.get("force", False)
            return self.publish_draft(request, brief, force)
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
        summary="A published brief as IPTC ninjs 2.1",
        description="The JSON news agencies exchange, valid against the IPTC's "
        "ninjs 2.1 schema: the brief's permanent id as `uri` (`urn:uuid:...`), "
        "headline, summary, the sections as HTML, topics as subjects, sources "
        "as info sources. Partners get briefs under embargo (with `embargoed`) "
        "and, for a withdrawn brief, `pubstatus: canceled`.",
        responses={
            200: OpenApiTypes.OBJECT,
            301: OpenApiResponse(description="An old slug: see `Location`."),
        },
        parameters=[BRIEF_KEY],
    )
    @action(detail=True, methods=["get"], url_path="ninjs", filterset_class=None)
    def ninjs(self, request, slug=None):
        try:
            brief = self.get_object()
        except Http404:
            withdrawal = self.withdrawal(request)
            if withdrawal is None:
                raise
            return Response(withdrawal_to_ninjs(withdrawal))
        return self.conditional_response(request, brief, brief_to_ninjs(brief))

    def withdrawal(self, request):
        """Return the tombstone the address names, for partners and staff."""
        if not reads_embargoed(request.user):
            return None
        value = self.kwargs["slug"]
        key = as_uuid(value)
        lookup = Q(slug=value) if key is None else Q(uuid=key)
        return Withdrawal.objects.filter(lookup).order_by("-withdrawn_at").first()


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
        # and previous pages are in the `Link` header.
        votes = self.paginate_queryset(queryset)
        table = votes_table(votes, members=members)
        response = Response(Table(table.header, list(table.rows)))
        links = [
            f'<{link}>; rel="{rel}"'
            for link, rel in (
                (self.paginator.get_next_link(), "next"),
                (self.paginator.get_previous_link(), "prev"),
            )
            if link
        ]
        if links:
            response["Link"] = ", ".join(links)
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

    def perform_destroy(self, instance):
        shared_delete(obj=instance, user=self.request.user)

    def read(self, vote, status_code=200):
        vote = self.get_queryset().get(pk=vote.pk)
        data = VoteDetailSerializer(vote, context=self.get_serializer_context()).data
        return self.conditional_response(self.request, vote, data, status_code)


class SharedWritesMixin:
    """Saves and deletes through the services, so that briefs showing the
    object are rendered again."""

    def perform_create(self, serializer):
        serializer.instance = shared_save(
            obj=serializer.Meta.model(**serializer.validated_data),
            user=self.request.user,
        )

    def perform_update(self, serializer):
        self.check_if_match(self.request, serializer.instance)
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        shared_save(obj=serializer.instance, user=self.request.user)

    def perform_destroy(self, instance):
        shared_delete(obj=instance, user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List sources cited by published briefs"),
    retrieve=extend_schema(summary="A source"),
)
class SourceViewSet(
    SharedWritesMixin, APIViewMixin, ConditionalRetrieveMixin, viewsets.ModelViewSet
):
    """Sources. Anonymous clients see those that published briefs cite."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter

    def get_queryset(self):
        return Source.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return SourceWriteSerializer
        return SourceSerializer

    def get_serializer_class_for_read(self):
        return SourceSerializer


@extend_schema_view(
    list=extend_schema(summary="List topics"),
    retrieve=extend_schema(summary="A topic"),
)
class TopicViewSet(
    SharedWritesMixin, APIViewMixin, ConditionalRetrieveMixin, viewsets.ModelViewSet
):
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

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return TopicWriteSerializer
        return TopicSerializer

    def last_modified(self, instance):
        return None

    def get_serializer_class_for_read(self):
        return TopicSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List deciding bodies",
        description="Councils, parliaments, courts, boards, shareholder "
        "meetings...: each with its seats (null where unknown) and decision "
        "rule. Anonymous clients see those whose votes published briefs report.",
    ),
    retrieve=extend_schema(summary="A deciding body with its rule"),
)
class BodyViewSet(
    APIViewMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet
):
    """Deciding bodies; editors manage them in the admin."""

    serializer_class = BodySerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filterset_class = None

    def get_queryset(self):
        return (
            Body.objects.visible_to(self.request.user)
            .prefetch_related("permanent_members")
            .order_by("name", "pk")
        )

    def last_modified(self, instance):
        return None

    def get_serializer_class_for_read(self):
        return BodySerializer

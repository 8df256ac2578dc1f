"""Editorial notes on a brief, for staff: /api/v1/briefs/<slug>/notes/.

Anyone else (anonymous, or signed in without staff rights to read briefs)
gets 404, as for an address that does not exist: the API does not say that
notes are there.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ..models import Brief, Bullet, EditorialNote, may_see_notes
from ..services import note_add, note_resolve
from .http import APIViewMixin
from .serializers import drf_errors
from .serializers.notes import (
    EditorialNoteResolveWriteSerializer,
    EditorialNoteSerializer,
    EditorialNoteWriteSerializer,
)

LARGEST_ID = 2**63 - 1
STAFF_ONLY = "Staff only; anyone else gets 404."


@extend_schema_view(
    list=extend_schema(
        operation_id="notes_list",
        summary="A brief's editorial notes, open ones first (staff)",
        description=STAFF_ONLY,
    ),
    retrieve=extend_schema(
        operation_id="notes_retrieve",
        summary="An editorial note (staff)",
        description=STAFF_ONLY,
    ),
    create=extend_schema(
        operation_id="notes_create",
        summary="Leave an editorial note on a brief (staff)",
        description=f"{STAFF_ONLY} Readers never see notes, and a note does not "
        "change the brief's version.",
        request=EditorialNoteWriteSerializer,
        responses={201: EditorialNoteSerializer},
    ),
    partial_update=extend_schema(
        operation_id="notes_partial_update",
        summary="Resolve or reopen an editorial note (its author or an editor)",
        description=STAFF_ONLY,
        request=EditorialNoteResolveWriteSerializer,
        responses={200: EditorialNoteSerializer},
    ),
)
class EditorialNoteViewSet(
    APIViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Notes staff leave each other on a brief; never part of what readers see."""

    serializer_class = EditorialNoteSerializer
    # Who may see notes is decided in `initial`, with a 404 for everyone else.
    permission_classes = [AllowAny]
    # A brief carries a handful of notes: one list, no pages.
    pagination_class = None
    filterset_class = None
    lookup_value_regex = "[0-9]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may_see_notes(request.user):
            raise NotFound()

    def get_brief(self):
        if not hasattr(self, "_brief"):
            self._brief = (
                Brief.objects.visible_to(self.request.user)
                .filter(slug=self.kwargs["brief_slug"])
                .only("pk", "slug")
                .first()
            )
            if self._brief is None:
                raise NotFound()
        return self._brief

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EditorialNote.objects.none()
        return (
            EditorialNote.objects.visible_to(self.request.user)
            .filter(brief=self.get_brief())
            .select_related("brief", "author", "resolved_by")
            .open_first()
        )

    def get_object(self):
        pk = int(self.kwargs["pk"])
        if pk > LARGEST_ID:
            raise NotFound()
        note = self.get_queryset().filter(pk=pk).first()
        if note is None:
            raise NotFound()
        return note

    def answer(self, note, status_code=status.HTTP_200_OK):
        note = self.get_queryset().get(pk=note.pk)
        data = EditorialNoteSerializer(note, context=self.get_serializer_context())
        return Response(data.data, status=status_code)

    def create(self, request, *args, **kwargs):
        brief = self.get_brief()
        serializer = EditorialNoteWriteSerializer(
            data=request.data,
            context={"brief_bullets": Bullet.objects.filter(section__brief=brief)},
        )
        serializer.is_valid(raise_exception=True)
        try:
            note = note_add(
                brief=brief,
                author=request.user,
                text=serializer.validated_data["text"],
                bullet=serializer.validated_data.get("bullet"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from None
        return self.answer(note, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        note = self.get_object()
        serializer = EditorialNoteResolveWriteSerializer(
            data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        if "resolved" in serializer.validated_data:
            # Anyone but the author or an editor: PermissionDenied, a 403.
            note_resolve(
                note=note,
                user=request.user,
                resolved=serializer.validated_data["resolved"],
            )
        return self.answer(note)

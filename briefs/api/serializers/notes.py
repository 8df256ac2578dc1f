"""Editorial notes in the API: staff only, never part of a brief's representation."""

from rest_framework import serializers

from ...models import NOTE_MAX_LENGTH, EditorialNote
from .writes import RefuseUnwritableFields

# Ids are 64-bit in the database; larger numbers are no id, not a crash.
LARGEST_ID = 2**63 - 1

NOTE_FIELDS = (
    "id",
    "brief",
    "bullet",
    "text",
    "author",
    "created_at",
    "resolved",
    "resolved_at",
    "resolved_by",
)


class EditorialNoteSerializer(serializers.ModelSerializer):
    """A note as staff read it."""

    brief = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    bullet = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The id of the bullet point the note is about, or null for "
        "the whole brief (also once that bullet is deleted).",
    )
    author = serializers.CharField(
        source="author_name", read_only=True, help_text="Who wrote the note."
    )
    resolved = serializers.BooleanField(source="is_resolved", read_only=True)
    resolved_by = serializers.SerializerMethodField()

    class Meta:
        model = EditorialNote
        fields = NOTE_FIELDS
        read_only_fields = NOTE_FIELDS

    def get_resolved_by(self, note) -> str | None:
        """Who resolved the note; null while it is open."""
        return note.resolver_name if note.is_resolved else None


class EditorialNoteWriteSerializer(RefuseUnwritableFields, serializers.Serializer):
    """A new note: its text, and optionally the bullet it is about."""

    shown = NOTE_FIELDS
    hints = {
        "resolved": "A new note is open; resolve it with a PATCH of the note.",
    }

    text = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    bullet = serializers.IntegerField(
        min_value=1,
        max_value=LARGEST_ID,
        required=False,
        allow_null=True,
        help_text="The id of one of the brief's bullet points the note is about; "
        "left out or null, the note is about the whole brief.",
    )

    def validate_bullet(self, value):
        if value is None:
            return None
        bullet = self.context["brief_bullets"].filter(pk=value).first()
        if bullet is None:
            raise serializers.ValidationError(
                "No bullet point of this brief has this id."
            )
        return bullet


class EditorialNoteResolveWriteSerializer(
    RefuseUnwritableFields, serializers.Serializer
):
    """Resolve a note (true) or open it again (false)."""

    shown = NOTE_FIELDS
    hints = {
        "text": "A note's text does not change; add another note instead.",
        "bullet": "A note's bullet does not change; add another note instead.",
    }

    resolved = serializers.BooleanField()

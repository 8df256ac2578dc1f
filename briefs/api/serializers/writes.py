"""How the API accepts writes: related objects by id or slug, the whole payload
checked with the models' own rules, and saved in one transaction."""

import copy
import datetime
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from rest_framework import serializers

from ...models import (
    Body,
    Brief,
    Bullet,
    Section,
    Source,
    Topic,
    Vote,
    VotePosition,
    content_size_errors,
)
from ...services import LiveBriefError, brief_create, brief_update, vote_save
from .reads import (
    VOTE_RECORD_FIELDS,
    BriefDetailSerializer,
    BulletSerializer,
    PositionSerializer,
    SectionSerializer,
    SourceSerializer,
    TopicSerializer,
    VoteDetailSerializer,
)


def drf_errors(error):
    """Return a Django ValidationError's messages keyed as DRF keys them."""
    if hasattr(error, "error_dict"):
        return {
            (
                serializers.api_settings.NON_FIELD_ERRORS_KEY
                if key == NON_FIELD_ERRORS
                else key
            ): messages
            for key, messages in error.message_dict.items()
        }
    return {serializers.api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}


class SlugRelatedField(serializers.SlugRelatedField):
    """A related object named by slug; text that is no slug is refused unlooked."""

    def to_internal_value(self, data):
        try:
            validate_slug(data)
        except (DjangoValidationError, TypeError):
            self.fail("invalid")
        return super().to_internal_value(data)


# Why a brief's field that answers show cannot be written, and what changes it.
BRIEF_HINTS = {
    "status": "Status changes only through the workflow actions: POST to the "
    "brief's submit/, publish/, archive/ or unpublish/.",
    "published_at": "Set by POST to the brief's publish/ (send `published_at` "
    "there to schedule).",
    "first_published_at": "Set when the brief is first published (POST to its "
    "publish/).",
    "last_updated_at": "Moved by a material update or a correction, in the admin.",
    "version": "The server counts versions. To guard an edit, send the ETag you "
    "read in the If-Match header.",
    "authors": "Credits are set in the admin; a brief created through the API "
    "credits the account that creates it.",
    "corrections": "Corrections are written in the admin.",
    "image": "The lead image is uploaded in the admin (with its alt text, credit "
    "and caption); the API reads it only.",
    "id": "The permanent id is given when the brief is created and never changes.",
    "embargo_until": "Embargoes are set by editors in the admin, with the "
    "brief's publication.",
}


class RefuseUnwritableFields:
    """Refuse, by name, every field of the payload this serializer does not write.

    A field that answers show but a client may not set (a brief's status, its
    version) would otherwise be dropped in silence, and the client believe it
    was saved.
    """

    # The fields answers show (the read serializer's), and why some of them
    # cannot be written.
    shown = ()
    hints = {}
    # Sent by the browsable API's HTML forms, never by a client.
    ignored = frozenset({"csrfmiddlewaretoken"})

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {
                name for name, field in self.fields.items() if not field.read_only
            }
            refused = {
                str(name): [self.refusal(str(name))]
                for name in data
                if name not in writable and name not in self.ignored
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def refusal(self, name):
        """Return why `name` cannot be written."""
        if name in self.hints:
            return self.hints[name]
        if name in self.shown:
            return "This field is read-only: the server sets it."
        writable = [name for name, field in self.fields.items() if not field.read_only]
        return f"Unknown field. The fields you may write: {', '.join(writable)}."


def object_id():
    # Ids are 64-bit in the database; larger numbers are no id, not a crash.
    return serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class KeyListField(serializers.ListField):
    """Related objects written as a list of their keys (ids or slugs)."""

    def __init__(self, *, key="pk", **kwargs):
        self.key = key
        if key == "pk":
            kwargs.setdefault("child", object_id())
        else:
            kwargs.setdefault("child", serializers.SlugField())
        super().__init__(**kwargs)

    def to_representation(self, data):
        objects = data.all() if hasattr(data, "all") else data
        return [getattr(obj, self.key) for obj in objects]


class RelatedListField(KeyListField):
    """Related objects given as a list of keys, all looked up in one query."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        keys = list(dict.fromkeys(super().to_internal_value(data)))
        found = self.queryset.in_bulk(keys, field_name=self.key) if keys else {}
        missing = [str(key) for key in keys if key not in found]
        if missing:
            name = self.queryset.model._meta.verbose_name
            raise serializers.ValidationError(
                f"No {name} with {'id' if self.key == 'pk' else self.key} "
                f"{', '.join(missing)}."
            )
        return [found[key] for key in keys]


def source_ids(**kwargs):
    return KeyListField(
        required=False, help_text="Ids of the sources this cites.", **kwargs
    )


def require(attrs, *names):
    """Raise a field-keyed error for each of `names` missing from `attrs`."""
    missing = {name: ["This field is required."] for name in names if name not in attrs}
    if missing:
        raise serializers.ValidationError(missing)


class BulletWriteSerializer(RefuseUnwritableFields, serializers.ModelSerializer):
    # Ids only here: the brief looks up every bullet's sources in one query.
    sources = source_ids()

    shown = BulletSerializer.Meta.fields
    hints = {"position": "Bullets are numbered by their place in the list."}

    class Meta:
        model = Bullet
        fields = ["text", "attribution", "sources"]

    def validate(self, attrs):
        # A PATCH leaves nested fields optional; a bullet still needs its text.
        require(attrs, "text")
        fields = {k: v for k, v in attrs.items() if k != "sources"}
        Bullet(**fields).full_clean(exclude=["section", "position"])
        return attrs


class SectionWriteSerializer(RefuseUnwritableFields, serializers.ModelSerializer):
    bullets = BulletWriteSerializer(
        many=True, help_text="The section's bullet points, in reading order."
    )

    shown = SectionSerializer.Meta.fields
    hints = {"position": "Sections are numbered by their place in the list."}

    class Meta:
        model = Section
        fields = ["heading", "bullets"]

    def validate(self, attrs):
        # A PATCH leaves nested fields optional, but a section sent replaces
        # the old ones whole: it needs both.
        require(attrs, "heading", "bullets")
        Section(heading=attrs["heading"]).full_clean(exclude=["brief", "position"])
        return attrs


class BriefWriteSerializer(RefuseUnwritableFields, serializers.ModelSerializer):
    """A brief as written: content nested, related objects by id or slug.

    `sections`, when sent, replaces all sections and bullets (their order is
    the list order). Status and publication time change only through the
    workflow actions (submit, publish, archive, unpublish).
    """

    topics = RelatedListField(
        queryset=Topic.objects.all(),
        key="slug",
        required=False,
        help_text="Slugs of the brief's topics.",
    )
    sources = RelatedListField(
        queryset=Source.objects.all(),
        required=False,
        help_text="Ids of the sources the brief cites as a whole.",
    )
    votes = RelatedListField(
        queryset=Vote.objects.all(),
        required=False,
        help_text="Ids of the votes the brief reports.",
    )
    sections = SectionWriteSerializer(many=True, required=False)

    shown = BriefDetailSerializer.Meta.fields
    hints = BRIEF_HINTS

    class Meta:
        model = Brief
        fields = ["title", "slug", "summary", "topics", "sources", "votes", "sections"]
        extra_kwargs = {"slug": {"required": False}}

    def validate(self, attrs):
        candidate = copy.copy(self.instance) if self.instance else Brief()
        for name in ("title", "slug", "summary"):
            if name in attrs:
                setattr(candidate, name, attrs[name])
        exclude = ["slug"] if not candidate.slug else []
        candidate.full_clean(exclude=exclude, validate_unique=False)
        sections = attrs.get("sections") or []
        too_long = content_size_errors(
            len(sections), sum(len(section["bullets"]) for section in sections)
        )
        if too_long:
            raise serializers.ValidationError({"sections": too_long})
        if attrs.get("sections"):
            self._resolve_bullet_sources(attrs["sections"])
        return attrs

    @staticmethod
    def _resolve_bullet_sources(sections):
        """Replace every bullet's source ids with sources, in one query."""
        wanted = {
            i for s in sections for b in s["bullets"] for i in b.get("sources", [])
        }
        found = Source.objects.in_bulk(wanted) if wanted else {}
        errors = {}
        for s_index, section in enumerate(sections):
            for b_index, bullet in enumerate(section["bullets"]):
                ids = list(dict.fromkeys(bullet.get("sources", [])))
                missing = [str(i) for i in ids if i not in found]
                if missing:
                    bullets = errors.setdefault(str(s_index), {"bullets": {}})
                    bullets["bullets"][str(b_index)] = {
                        "sources": [f"No source with id {', '.join(missing)}."]
                    }
                bullet["sources"] = [found[i] for i in ids if i in found]
        if errors:
            raise serializers.ValidationError({"sections": errors})

    def create(self, validated_data):
        request = self.context.get("request")
        user = request.user if request and request.user.is_authenticated else None
        return self._saved(
            brief_create,
            user=user,
            sections=validated_data.pop("sections", None),
            **validated_data,
        )

    def update(self, instance, validated_data):
        expected_version = validated_data.pop("expected_version", None)
        sections = validated_data.pop("sections", None)
        links = {
            name: validated_data.pop(name)
            for name in ("topics", "sources", "votes")
            if name in validated_data
        }
        return self._saved(
            brief_update,
            brief=instance,
            fields=validated_data,
            expected_version=expected_version,
            sections=sections,
            **links,
        )

    @staticmethod
    def _saved(service, **arguments):
        try:
            return service(**arguments)
        except LiveBriefError as error:
            raise serializers.ValidationError(
                {"non_field_errors": list(error.messages)}
            ) from None


class PositionWriteSerializer(RefuseUnwritableFields, serializers.ModelSerializer):
    shown = PositionSerializer.Meta.fields

    class Meta:
        model = VotePosition
        fields = ["member_code", "member_name", "position"]


class VoteWriteSerializer(RefuseUnwritableFields, serializers.ModelSerializer):
    """A vote as written; `positions`, when sent, replaces all positions.

    The counts, the outcome and the positions are checked together against the
    body's rules (seats, majority, veto) before anything is saved.
    """

    body = SlugRelatedField(slug_field="slug", queryset=Body.objects.all())
    positions = PositionWriteSerializer(many=True, required=False)

    shown = VoteDetailSerializer.Meta.fields
    hints = {
        "briefs": "A brief reports a vote: set a brief's `votes` to link them.",
    }

    class Meta:
        model = Vote
        fields = ["body", *VOTE_RECORD_FIELDS, "positions"]

    def validate(self, attrs):
        vote = copy.copy(self.instance) if self.instance else Vote()
        for name, value in attrs.items():
            if name != "positions":
                setattr(vote, name, value)
        if "positions" in attrs:
            positions = [VotePosition(**data) for data in attrs["positions"]]
        elif self.instance is not None:
            positions = list(self.instance.positions.all())
        else:
            positions = []
        # The positions are checked below with the counts, not the saved ones.
        vote.defer_position_rules = True
        try:
            vote.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from None
        errors = vote.rule_errors(positions)
        if errors:
            raise serializers.ValidationError(drf_errors(DjangoValidationError(errors)))
        return attrs

    def create(self, validated_data):
        positions = validated_data.pop("positions", None)
        return vote_save(vote=Vote(**validated_data), positions=positions)

    def update(self, instance, validated_data):
        positions = validated_data.pop("positions", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        request = self.context.get("request")
        return vote_save(
            vote=instance,
            positions=positions,
            user=request.user if request is not None else None,
        )


class SourceWriteSerializer(RefuseUnwritableFields, SourceSerializer):
    shown = SourceSerializer.Meta.fields


class TopicWriteSerializer(RefuseUnwritableFields, TopicSerializer):
    shown = TopicSerializer.Meta.fields


class TransitionSerializer(serializers.Serializer):
    """Optional input of the publish action."""

    published_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        # Stored in UTC: PostgreSQL refuses some offsets that ISO 8601 allows.
        default_timezone=datetime.UTC,
        help_text="When readers may see the brief; a future time schedules it. "
        "Default: now.",
    )


class PublishSerializer(TransitionSerializer):
    """Optional input of the publish action."""

    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Publish the brief's pending draft even though the live "
        "brief changed since it was made (those changes are undone).",
    )

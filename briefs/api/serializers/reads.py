"""What the API shows of each model. Nested objects come from the viewsets'
prefetches, so a page costs the same number of queries whatever its size."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ...models import (
    Brief,
    Bullet,
    Correction,
    Section,
    Source,
    Topic,
    Vote,
    VotePosition,
)


def cited_sources(brief):
    """Return every source the brief cites: its bullets' first, in reading order,
    then its own. Uses the prefetched sections, bullets and sources."""
    found = {}
    for section in brief.sections.all():
        for bullet in section.bullets.all():
            for source in bullet.sources.all():
                found.setdefault(source.pk, source)
    for source in brief.sources.all():
        found.setdefault(source.pk, source)
    return list(found.values())


def author_names(brief):
    """Return the authors' full names; a login name is never published."""
    return [name for a in brief.authors.all() if (name := a.get_full_name())]


def site_url(path):
    return f"{settings.SITE_URL}{path}"


@extend_schema_field(OpenApiTypes.URI)
class SiteURLField(serializers.Field):
    """The object's canonical address on the public website."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return site_url(instance.get_absolute_url())


# The fields of a recorded vote, the same to read and to write.
VOTE_RECORD_FIELDS = [
    "title",
    "symbol",
    "date",
    "vote_on",
    "majority",
    "yes",
    "no",
    "abstain",
    "not_voting",
    "outcome",
]


class TopicSerializer(serializers.ModelSerializer):
    url = SiteURLField(help_text="The topic's page on the website.")

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "url"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "published_on", "accessed_on"]


class BulletSerializer(serializers.ModelSerializer):
    sources = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="Ids of the sources this claim cites (see the brief's `sources`).",
    )

    class Meta:
        model = Bullet
        fields = ["id", "text", "attribution", "position", "sources"]


class SectionSerializer(serializers.ModelSerializer):
    bullets = BulletSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "heading", "position", "bullets"]


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "text", "published_at"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = VotePosition
        fields = ["member_code", "member_name", "position"]


class VoteSummarySerializer(serializers.ModelSerializer):
    """A vote with its counts, as listed."""

    api_url = serializers.SerializerMethodField()
    body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True)
    seats = serializers.IntegerField(source="body.seats", read_only=True)

    class Meta:
        model = Vote
        fields = ["id", "api_url", "body", "body_name", "seats", *VOTE_RECORD_FIELDS]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, vote):
        return reverse(
            "api:vote-detail", kwargs={"pk": vote.pk}, request=self.context["request"]
        )


class VoteWithPositionsSerializer(VoteSummarySerializer):
    positions = PositionSerializer(
        many=True, read_only=True, help_text="Recorded per-member positions, if any."
    )

    class Meta(VoteSummarySerializer.Meta):
        fields = [*VoteSummarySerializer.Meta.fields, "positions"]


class BriefLinkSerializer(serializers.ModelSerializer):
    url = SiteURLField()

    class Meta:
        model = Brief
        fields = ["slug", "title", "published_at", "url"]


class VoteDetailSerializer(VoteWithPositionsSerializer):
    briefs = BriefLinkSerializer(
        many=True, read_only=True, help_text="Published briefs that report this vote."
    )

    class Meta(VoteWithPositionsSerializer.Meta):
        fields = [*VoteWithPositionsSerializer.Meta.fields, "briefs"]


class BriefListSerializer(serializers.ModelSerializer):
    """A brief as listed: no content, only what a list or a sync needs."""

    url = SiteURLField(help_text="The canonical page of the brief.")
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:brief-detail", lookup_field="slug"
    )
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Brief
        fields = [
            "slug",
            "title",
            "summary",
            "status",
            "published_at",
            "first_published_at",
            "last_updated_at",
            "updated_at",
            "topics",
            "url",
            "api_url",
        ]


class BriefDetailSerializer(BriefListSerializer):
    """A brief with all its content."""

    topics = TopicSerializer(many=True, read_only=True)
    authors = serializers.SerializerMethodField()
    sections = SectionSerializer(many=True, read_only=True)
    votes = VoteWithPositionsSerializer(many=True, read_only=True)
    sources = serializers.SerializerMethodField(
        help_text="Every source the brief or its bullets cite; bullets refer to "
        "them by id."
    )
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta(BriefListSerializer.Meta):
        fields = [
            *BriefListSerializer.Meta.fields,
            "version",
            "authors",
            "sections",
            "votes",
            "sources",
            "corrections",
        ]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, brief):
        return SourceSerializer(
            cited_sources(brief), many=True, context=self.context
        ).data

    def get_authors(self, brief) -> list[str]:
        return author_names(brief)

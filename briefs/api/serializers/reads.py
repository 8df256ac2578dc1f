"""What the API shows of each model. Nested objects come from the viewsets'
prefetches, so a page costs the same number of queries whatever its size.

The declared fields describe the representation (the OpenAPI schema and the
docs are made from them). Each serializer's `to_representation` then builds its
dict directly, in the order of `Meta.fields`, with the value each field would
give, instead of going through DRF's field machinery: building the fields of
every nested serializer and asking each field for each object cost several
times more than the data itself, and every brief is rendered this way (the API
and its stored renderings). `tests/api/test_representations.py` checks that
the keys match the declared fields and pins the output of a full brief.
"""

import datetime
import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from ...images import media_url
from ...models import (
    Body,
    Brief,
    Bullet,
    Correction,
    Section,
    Source,
    Topic,
    Vote,
    VotePosition,
    lead_image,
    related,
)


def cited_sources(brief):
    """Return every source the brief cites: its bullets' first, in reading order,
    then its own. Uses the prefetched sections, bullets and sources."""
    found = {}
    for section in related(brief, "sections"):
        for bullet in related(section, "bullets"):
            for source in related(bullet, "sources"):
                found.setdefault(source.pk, source)
    for source in related(brief, "sources"):
        found.setdefault(source.pk, source)
    return list(found.values())


def author_names(brief):
    """Return the names the brief credits; a login name is never published."""
    return brief.credited_names


# DRF's own fields, for the values the shortcuts below leave to them.
_DATETIME_FIELD = serializers.DateTimeField()
_DATE_FIELD = serializers.DateField()


def datetime_text(value, zone=None):
    """Return `value` as a DRF DateTimeField shows it.

    The usual case (an aware datetime, time zone support on, DRF's ISO 8601
    format) is done here as DRF does it: in the current time zone (`zone`, if
    the caller looked it up already), with "Z" for UTC. Anything else goes to
    DRF's field.
    """
    if (
        isinstance(value, datetime.datetime)
        and settings.USE_TZ
        and api_settings.DATETIME_FORMAT == ISO_8601
        and timezone.is_aware(value)
    ):
        if zone is None:
            zone = timezone.get_current_timezone()
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return None if value is None else _DATETIME_FIELD.to_representation(value)


def date_text(value):
    """Return `value` as a DRF DateField shows it (ISO 8601 by default)."""
    if type(value) is datetime.date and api_settings.DATE_FORMAT == ISO_8601:
        return value.isoformat()
    return None if value is None else _DATE_FIELD.to_representation(value)


def site_url(path):
    return f"{settings.SITE_URL}{path}"


# Links by slug or id. reverse() costs more than all the rest of a list item:
# it reads the URLconf, the script prefix and the language from thread (or
# task) locals, then tries the view's patterns. Links to two objects differ
# only in the slug or id, so each view is reversed once per URL set-up, with
# a marker for the value, and the marker is replaced. Only for views whose
# pattern takes any value `_LINK_VALUE` accepts (Django's `<slug:...>` and
# the API router's lookups do); such values need no quoting in a URL. Any
# other value goes to reverse(), which quotes it or refuses it.
_LINK_VALUE = re.compile(r"[-a-zA-Z0-9_]+")
_LINK_MARK = "link-value-marker"


def url_setup():
    """Return what reverse() reads besides its arguments. The links of one
    representation share one look-up: each local costs as much as a link."""
    return (
        get_urlconf(),
        settings.ROOT_URLCONF,
        get_script_prefix(),
        translation.get_language(),
    )


def object_link(view_name, kwarg, value, setup=None):
    """Return `reverse(view_name, kwargs={kwarg: value})`, made faster;
    `setup` is `url_setup()`, if the caller looked it up already."""
    text = str(value)
    if _LINK_VALUE.fullmatch(text):
        template = _link_template(view_name, kwarg, *(setup or url_setup()))
        if template is not None:
            return template.replace(_LINK_MARK, text)
    return reverse(view_name, kwargs={kwarg: value})


@functools.lru_cache(maxsize=64)
def _link_template(view_name, kwarg, *url_setup):
    # `url_setup` is in force while this runs: reverse() reads it itself.
    template = reverse(view_name, kwargs={kwarg: _LINK_MARK})
    return template if template.count(_LINK_MARK) == 1 else None


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
    "required_share",
    "required_yes",
    "yes",
    "no",
    "abstain",
    "not_voting",
    "outcome",
    "context",
]


class TopicSerializer(serializers.ModelSerializer):
    url = SiteURLField(help_text="The topic's page on the website.")

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "url"]

    def to_representation(self, topic):
        return topic_data(topic)


def topic_data(topic, setup=None):
    return {
        "slug": topic.slug,
        "name": topic.name,
        "description": topic.description,
        "url": site_url(object_link("briefs:topic-detail", "slug", topic.slug, setup)),
    }


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "published_on", "accessed_on"]

    def to_representation(self, source):
        return source_data(source)


def source_data(source):
    return {
        "id": source.pk,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": date_text(source.published_on),
        "accessed_on": date_text(source.accessed_on),
    }


class BulletSerializer(serializers.ModelSerializer):
    sources = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="Ids of the sources this claim cites (see the brief's `sources`).",
    )

    class Meta:
        model = Bullet
        fields = ["id", "text", "attribution", "position", "sources"]

    def to_representation(self, bullet):
        return bullet_data(bullet)


def bullet_data(bullet):
    return {
        "id": bullet.pk,
        "text": bullet.text,
        "attribution": bullet.attribution,
        "position": bullet.position,
        "sources": [source.pk for source in related(bullet, "sources")],
    }


class SectionSerializer(serializers.ModelSerializer):
    bullets = BulletSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "heading", "position", "bullets"]

    def to_representation(self, section):
        return section_data(section)


def section_data(section):
    return {
        "id": section.pk,
        "heading": section.heading,
        "position": section.position,
        "bullets": [bullet_data(bullet) for bullet in related(section, "bullets")],
    }


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "text", "published_at"]

    def to_representation(self, correction):
        return correction_data(correction)


def correction_data(correction):
    return {
        "kind": correction.kind,
        "text": correction.text,
        "published_at": datetime_text(correction.published_at),
    }


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = VotePosition
        fields = ["member_code", "member_name", "position"]

    def to_representation(self, position):
        return position_data(position)


def position_data(position):
    return {
        "member_code": position.member_code,
        "member_name": position.member_name,
        "position": position.position,
    }


class VoteBodySerializer(serializers.ModelSerializer):
    """The body that cast a vote, with its rule in words."""

    rule = serializers.SerializerMethodField(
        help_text="The decision rule in words, e.g. 'three fifths of all "
        "members'; 'rule not recorded' where it is not known."
    )

    class Meta:
        model = Body
        fields = ["slug", "name", "kind", "seats", "rule"]

    def get_rule(self, body) -> str:
        return body.rule_text()

    def to_representation(self, body):
        return vote_body_data(body)


def vote_body_data(body):
    return {
        "slug": body.slug,
        "name": body.name,
        "kind": body.kind,
        "seats": body.seats,
        "rule": body.rule_text(),
    }


class BodySerializer(serializers.ModelSerializer):
    """A deciding body with its size and decision rule."""

    api_url = serializers.SerializerMethodField()
    aliases = serializers.SerializerMethodField()
    rule = serializers.SerializerMethodField(help_text="The decision rule in words.")
    veto_holders = serializers.SerializerMethodField(
        help_text="Codes of the members whose 'no' is a veto."
    )

    class Meta:
        model = Body
        fields = [
            "slug",
            "api_url",
            "name",
            "short_name",
            "aliases",
            "kind",
            "jurisdiction",
            "seats",
            "threshold_base",
            "share",
            "abstentions_count",
            "min_yes",
            "veto_holders",
            "rule",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, body):
        request = self.context.get("request")
        if request is None:
            return object_link("api:body-detail", "slug", body.slug)
        return reverse("api:body-detail", kwargs={"slug": body.slug}, request=request)

    def get_aliases(self, body) -> list[str]:
        return body.alias_list()

    def get_rule(self, body) -> str:
        return body.rule_text()

    def get_veto_holders(self, body) -> list[str]:
        return sorted(body.permanent_codes())

    def to_representation(self, body):
        return {
            "slug": body.slug,
            "api_url": self.get_api_url(body),
            "name": body.name,
            "short_name": body.short_name,
            "aliases": body.alias_list(),
            "kind": body.kind,
            "jurisdiction": body.jurisdiction,
            "seats": body.seats,
            "threshold_base": body.threshold_base,
            "share": body.share,
            "abstentions_count": body.abstentions_count,
            "min_yes": body.min_yes,
            "veto_holders": sorted(body.permanent_codes()),
            "rule": body.rule_text(),
        }


class VoteSummarySerializer(serializers.ModelSerializer):
    """A vote with its counts, as listed."""

    api_url = serializers.SerializerMethodField()
    body = VoteBodySerializer(read_only=True)

    class Meta:
        model = Vote
        fields = ["id", "api_url", "body", *VOTE_RECORD_FIELDS]

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, vote):
        request = self.context["request"]
        if request is None:  # a relative link
            return object_link("api:vote-detail", "pk", vote.pk)
        return reverse("api:vote-detail", kwargs={"pk": vote.pk}, request=request)

    def to_representation(self, vote):
        return {
            "id": vote.pk,
            "api_url": self.get_api_url(vote),
            "body": vote_body_data(vote.body),
            # VOTE_RECORD_FIELDS
            "title": vote.title,
            "symbol": vote.symbol,
            "date": date_text(vote.date),
            "vote_on": vote.vote_on,
            "required_share": vote.required_share,
            "required_yes": vote.required_yes,
            "yes": vote.yes,
            "no": vote.no,
            "abstain": vote.abstain,
            "not_voting": vote.not_voting,
            "outcome": vote.outcome,
            "context": vote.context,
        }


class VoteWithPositionsSerializer(VoteSummarySerializer):
    positions = PositionSerializer(
        many=True, read_only=True, help_text="Recorded per-member positions, if any."
    )

    class Meta(VoteSummarySerializer.Meta):
        fields = [*VoteSummarySerializer.Meta.fields, "positions"]

    def to_representation(self, vote):
        data = super().to_representation(vote)
        data["positions"] = [position_data(p) for p in related(vote, "positions")]
        return data


class BriefLinkSerializer(serializers.ModelSerializer):
    url = SiteURLField()

    class Meta:
        model = Brief
        fields = ["slug", "title", "published_at", "url"]

    def to_representation(self, brief):
        return brief_link_data(brief)


def brief_link_data(brief):
    return {
        "slug": brief.slug,
        "title": brief.title,
        "published_at": datetime_text(brief.published_at),
        "url": brief_page_url(brief),
    }


def brief_page_url(brief, setup=None):
    """Return the brief's page address (`Brief.get_absolute_url`, made faster)."""
    return site_url(object_link("briefs:brief-detail", "slug", brief.slug, setup))


class VoteDetailSerializer(VoteWithPositionsSerializer):
    briefs = BriefLinkSerializer(
        many=True, read_only=True, help_text="Published briefs that report this vote."
    )

    class Meta(VoteWithPositionsSerializer.Meta):
        fields = [*VoteWithPositionsSerializer.Meta.fields, "briefs"]

    def to_representation(self, vote):
        data = super().to_representation(vote)
        data["briefs"] = [brief_link_data(brief) for brief in related(vote, "briefs")]
        return data


class BriefListSerializer(serializers.ModelSerializer):
    """A brief as listed: no content, only what a list or a sync needs."""

    id = serializers.UUIDField(
        source="uuid",
        read_only=True,
        help_text="The brief's permanent id: it never changes, whatever happens "
        "to its slug, and `/api/v1/briefs/<id>/` answers as the slug does.",
    )
    url = SiteURLField(help_text="The canonical page of the brief.")
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:brief-detail", lookup_field="slug"
    )
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Brief
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "status",
            "published_at",
            "embargo_until",
            "first_published_at",
            "last_updated_at",
            "updated_at",
            "topics",
            "url",
            "api_url",
        ]
        extra_kwargs = {
            "embargo_until": {
                "help_text": "Partners only see briefs under embargo: readers see "
                "the brief from this time on. Null when there is none."
            }
        }

    def to_representation(self, brief):
        zone, setup = timezone.get_current_timezone(), url_setup()
        return {
            "id": str(brief.uuid),
            "slug": brief.slug,
            "title": brief.title,
            "summary": brief.summary,
            "status": brief.status,
            "published_at": datetime_text(brief.published_at, zone),
            "embargo_until": datetime_text(brief.embargo_until, zone),
            "first_published_at": datetime_text(brief.first_published_at, zone),
            "last_updated_at": datetime_text(brief.last_updated_at, zone),
            "updated_at": datetime_text(brief.updated_at, zone),
            "topics": [topic.slug for topic in related(brief, "topics")],
            "url": brief_page_url(brief, setup),
            "api_url": self.api_link(brief, setup),
        }

    def api_link(self, brief, setup=None):
        """Return the `api_url` field's link, as HyperlinkedIdentityField makes
        it (relative without a request)."""
        request, format = self.context["request"], self.context.get("format")
        if request is None and format is None:
            return object_link("api:brief-detail", "slug", brief.slug, setup)
        return reverse(
            "api:brief-detail",
            kwargs={"slug": brief.slug},
            request=request,
            format=format,
        )


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField(read_only=True)
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    format = serializers.ChoiceField(
        choices=["webp", "jpeg"], read_only=True, help_text="webp or jpeg."
    )


class LeadImageSerializer(serializers.Serializer):
    """A brief's lead image; uploaded in the admin (the API reads it only)."""

    url = serializers.URLField(
        read_only=True,
        help_text="The widest JPEG rendition, or the original until the "
        "renditions are made.",
    )
    alt = serializers.CharField(read_only=True, help_text="Alt text.")
    credit = serializers.CharField(read_only=True)
    caption = serializers.CharField(read_only=True)
    width = serializers.IntegerField(
        read_only=True, help_text="Of the original, in pixels."
    )
    height = serializers.IntegerField(
        read_only=True, help_text="Of the original, in pixels."
    )
    renditions = RenditionSerializer(
        many=True,
        read_only=True,
        help_text="Sizes made for browsers to choose from (none until the "
        "background worker has made them); never wider than the original.",
    )


def lead_image_data(image):
    """Return a lead image as the API shows it (None for no image)."""
    if image is None:
        return None
    return {
        "url": image.absolute_src,
        "alt": image.alt,
        "credit": image.credit,
        "caption": image.caption,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "url": media_url(r["name"]),
                "width": r["width"],
                "height": r["height"],
                "format": r["format"],
            }
            for r in image.renditions
        ],
    }


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
    image = LeadImageSerializer(read_only=True, allow_null=True)

    class Meta(BriefListSerializer.Meta):
        fields = [
            *BriefListSerializer.Meta.fields,
            "version",
            "image",
            "authors",
            "sections",
            "votes",
            "sources",
            "corrections",
        ]

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, brief):
        return [source_data(source) for source in cited_sources(brief)]

    def get_authors(self, brief) -> list[str]:
        return author_names(brief)

    def to_representation(self, brief):
        data = super().to_representation(brief)
        setup = url_setup()
        # Replacing a key keeps its place: topics stay before `url`.
        data["topics"] = [topic_data(t, setup) for t in related(brief, "topics")]
        votes = VoteWithPositionsSerializer(context=self.context)
        data.update(
            version=brief.version,
            image=lead_image_data(lead_image(brief)),
            authors=self.get_authors(brief),
            sections=[section_data(s) for s in related(brief, "sections")],
            votes=[votes.to_representation(v) for v in related(brief, "votes")],
            sources=self.get_sources(brief),
            corrections=[correction_data(c) for c in related(brief, "corrections")],
        )
        return data

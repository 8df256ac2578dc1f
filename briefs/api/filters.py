"""FilterSets for the API. They narrow what a viewset returns; never what is visible."""

import datetime

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..models import Body, Brief, Outcome, Position, Source, Topic, Vote, VotePosition
from ..search import matching_briefs


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned into UTC before it reaches the database.

    Python accepts offsets up to a day; PostgreSQL only up to 16 hours.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


# Dates in the API are ISO 8601 only, whatever the site's locale accepts.
ISO_DATE = "%Y-%m-%d"

member_code_filter_validator = RegexValidator(
    r"^[A-Za-z][A-Za-z0-9-]{1,9}$",
    "Give a member code such as the ISO 3166 alpha-3 code 'USA'.",
)


@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Objects named by slug, one or several (`?topic=a&topic=b`)."""


class BriefFilter(django_filters.FilterSet):
    topic = SlugMultipleChoiceFilter(
        field_name="topics__slug",
        method="filter_topic",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        help_text="Briefs on this topic (a topic slug; repeat for any of several).",
    )
    published_after = DateTimeFilter(
        field_name="published_at",
        lookup_expr="gte",
        help_text="Published at or after this time (ISO 8601).",
    )
    published_before = DateTimeFilter(
        field_name="published_at",
        lookup_expr="lt",
        help_text="Published before this time (ISO 8601).",
    )
    updated_after = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Changed at or after this time (ISO 8601): for syncing partners, "
        "with `ordering=updated_at`.",
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Words to find in the title, summary or bullets (full-text "
        "search on PostgreSQL; `-word` leaves a word out). Like the site's "
        "search, it finds the newest 300 matches at most.",
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("published_at", "published_at"),
            ("updated_at", "updated_at"),
            ("title", "title"),
        ),
        help_text="Sort order: `-published_at` (default, newest first), "
        "`published_at`, `updated_at`, `-updated_at`, `title` or `-title`.",
    )

    class Meta:
        model = Brief
        fields = []

    def filter_search(self, queryset, name, value):
        # The site's search (full text on PostgreSQL). Pages keep the requested
        # order, since keyset pagination cannot page by relevance.
        return matching_briefs(value, queryset)

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        # EXISTS rather than a join, so a brief on several topics comes once.
        tagged = Brief.topics.through.objects.filter(
            brief=OuterRef("pk"), topic__in=value
        )
        return queryset.filter(Exists(tagged))


class VoteFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("position") and not cleaned.get("member"):
            raise forms.ValidationError(
                {"position": "Give `member` too: whose position to match."}
            )
        return cleaned


class VoteFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        field_name="body",
        to_field_name="slug",
        queryset=lambda request: Body.objects.visible_to(
            request.user if request else None
        ),
        help_text="The deciding body's slug (any body listed at "
        "`/api/v1/bodies/`), e.g. `un-general-assembly`.",
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    date_after = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        input_formats=[ISO_DATE],
        help_text="On or after this day (YYYY-MM-DD).",
    )
    date_before = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        input_formats=[ISO_DATE],
        help_text="On or before this day (YYYY-MM-DD).",
    )
    member = django_filters.CharFilter(
        method="filter_member",
        validators=[member_code_filter_validator],
        help_text="Votes where this member's position is recorded (e.g. `USA`); "
        "with `position`, only those where it voted so.",
    )
    position = django_filters.ChoiceFilter(
        choices=Position.choices,
        method="filter_noop",
        help_text="With `member`: the position the member took.",
    )
    symbol = django_filters.CharFilter(
        field_name="symbol", lookup_expr="iexact", help_text="The document symbol."
    )
    ordering = django_filters.OrderingFilter(
        fields=(("date", "date"),),
        help_text="`-date` (default, latest first) or `date`.",
    )

    class Meta:
        model = Vote
        fields = []
        form = VoteFilterForm

    def filter_noop(self, queryset, name, value):
        # Applied together with `member` in filter_member.
        return queryset

    def filter_member(self, queryset, name, value):
        positions = VotePosition.objects.filter(
            vote=OuterRef("pk"), member_code=value.upper()
        )
        position = self.form.cleaned_data.get("position")
        if position:
            positions = positions.filter(position=position)
        return queryset.filter(Exists(positions))


class SourceFilter(django_filters.FilterSet):
    publisher = django_filters.CharFilter(
        field_name="publisher",
        lookup_expr="iexact",
        help_text="Sources from this publisher (exact name, any case).",
    )
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("published_on", "published_on")),
        help_text="`title` (default), `-title`, `published_on` or `-published_on`.",
    )

    class Meta:
        model = Source
        fields = []

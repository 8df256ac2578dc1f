"""The API's representations, pinned byte for byte.

The read serializers build their dicts directly instead of field by field
(see briefs/api/serializers/reads.py). These tests hold that output to the
declared fields (which make the schema), to DRF's formats, and to the exact
JSON of a fully loaded brief.
"""

import datetime
import json
import uuid

import pytest
import time_machine
from django.conf import settings
from django.urls import NoReverseMatch, set_script_prefix
from django.utils import timezone
from rest_framework import serializers
from rest_framework.reverse import reverse

from briefs import rendering
from briefs.api.serializers import (
    BriefDetailSerializer,
    BriefLinkSerializer,
    BriefListSerializer,
    BulletSerializer,
    CorrectionSerializer,
    PositionSerializer,
    SectionSerializer,
    SourceSerializer,
    TopicSerializer,
    VoteDetailSerializer,
    VoteSummarySerializer,
    VoteWithPositionsSerializer,
)
from briefs.api.serializers.reads import date_text, datetime_text, object_link
from briefs.models import Attribution, Brief, Correction, Position
from tests.factories import (
    BriefFactory,
    BulletFactory,
    CorrectionFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    VoteFactory,
    VotePositionFactory,
)

NOW = datetime.datetime(2025, 3, 2, 12, 0, tzinfo=datetime.UTC)
SITE = "https://news.example.org"


def drf_json(data):
    """Return `data` as DRF's JSONRenderer writes it (compact, UTF-8 as is)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def loaded(db, settings):
    """Return a published brief with every kind of content, and its parts."""
    settings.SITE_URL = SITE
    with time_machine.travel(NOW, tick=False):
        aid = TopicFactory(
            name="Humanitarian aid",
            slug="humanitarian-aid",
            description="Food, water and medicine.",
        )
        talks = TopicFactory(name="Ceasefire talks", slug="ceasefire-talks")
        brief = BriefFactory(
            published=True,
            title="Assembly backs a ceasefire in Côte d’Ivoire",
            slug="assembly-backs-a-ceasefire",
            uuid=uuid.UUID("6f1c2a4e-8d3b-4f5a-9c7e-2b1d0a9f8e7d"),
            published_at=NOW - datetime.timedelta(hours=2),
            last_updated_at=NOW - datetime.timedelta(minutes=30),
            topics=[aid, talks],
        )
        brief.authors.add(
            UserFactory(first_name="Ada", last_name="Okafor"),
            UserFactory(username="no-full-name"),
        )
        record = SourceFactory(
            url="https://example.org/record",
            title="Official record",
            published_on=datetime.date(2025, 2, 24),
            accessed_on=datetime.date(2025, 2, 25),
        )
        wire = SourceFactory(
            url="https://example.org/wire",
            title="Wire report",
            published_on=None,
            accessed_on=None,
        )
        letter = SourceFactory(
            url="https://example.org/letter",
            title="A letter to the council",
            published_on=datetime.date(2025, 1, 5),
        )
        brief.sources.add(letter, wire)
        first = SectionFactory(brief=brief, heading="What happened", position=0)
        second = SectionFactory(brief=brief, heading="What comes next", position=1)
        voted = BulletFactory(
            section=first, text="The Assembly voted.", position=0, sources=[record]
        )
        reported = BulletFactory(
            section=first,
            text="Talks resume on Monday.",
            position=1,
            attribution=Attribution.REPORTED,
            sources=[wire, record],
        )
        alleged = BulletFactory(
            section=second,
            text="A convoy was stopped.",
            position=0,
            attribution=Attribution.ALLEGED,
        )
        assembly = VoteFactory(
            title="Resolution on a ceasefire",
            symbol="A/ES-11/L.10",
            date=datetime.date(2025, 2, 24),
            not_voting=17,
        )
        for code, name, position in [
            ("CHN", "China", Position.ABSTAIN),
            ("BRA", "Brazil", Position.YES),
            ("DZA", "Algeria", Position.NO),
        ]:
            VotePositionFactory(
                vote=assembly, member_code=code, member_name=name, position=position
            )
        council = VoteFactory(
            council=True,
            title="Draft on aid corridors",
            symbol="S/2025/100",
            date=datetime.date(2025, 3, 1),
        )
        brief.votes.add(assembly, council)
        correction = CorrectionFactory(
            brief=brief,
            text="An earlier version gave the wrong count.",
            published_at=NOW - datetime.timedelta(hours=1, microseconds=-123456),
        )
        update = CorrectionFactory(
            brief=brief,
            kind=Correction.Kind.UPDATE,
            text="Adds the council's vote.",
            published_at=NOW - datetime.timedelta(minutes=20),
        )
    parts = {
        "sections": (first, second),
        "bullets": (voted, reported, alleged),
        "sources": (record, wire, letter),
        "votes": (assembly, council),
        "corrections": (correction, update),
    }
    return brief, parts


def prefetched(brief):
    return rendering.api_queryset(Brief.objects.filter(pk=brief.pk)).get()


def expected_item(brief):
    return {
        "id": "6f1c2a4e-8d3b-4f5a-9c7e-2b1d0a9f8e7d",
        "slug": "assembly-backs-a-ceasefire",
        "title": "Assembly backs a ceasefire in Côte d’Ivoire",
        "summary": brief.summary,
        "status": "published",
        "published_at": "2025-03-02T10:00:00Z",
        "embargo_until": None,
        "first_published_at": "2025-03-02T10:00:00Z",
        # The update note moved "last updated"; "first published" stays.
        "last_updated_at": "2025-03-02T11:40:00Z",
        "updated_at": "2025-03-02T12:00:00Z",
        "topics": ["ceasefire-talks", "humanitarian-aid"],
        "url": f"{SITE}/briefs/assembly-backs-a-ceasefire/",
        "api_url": "/api/v1/briefs/assembly-backs-a-ceasefire/",
    }


def test_brief_list_item_is_pinned(loaded):
    brief, _ = loaded

    item = rendering.render_api_item(prefetched(brief))

    assert item == drf_json(expected_item(brief))


def test_brief_detail_is_pinned(loaded):
    brief, parts = loaded
    first, second = parts["sections"]
    voted, reported, alleged = parts["bullets"]
    record, wire, letter = parts["sources"]
    assembly, council = parts["votes"]
    expected = {
        **expected_item(brief),
        "topics": [
            {
                "slug": "ceasefire-talks",
                "name": "Ceasefire talks",
                "description": "",
                "url": f"{SITE}/topics/ceasefire-talks/",
            },
            {
                "slug": "humanitarian-aid",
                "name": "Humanitarian aid",
                "description": "Food, water and medicine.",
                "url": f"{SITE}/topics/humanitarian-aid/",
            },
        ],
        "version": brief.version,
        # A brief without a lead image (tests/api/test_images.py shows one).
        "image": None,
        # The account without a full name or byline is credited as the newsroom.
        "authors": ["Ada Okafor", settings.SITE_NAME],
        "sections": [
            {
                "id": first.pk,
                "heading": "What happened",
                "position": 0,
                "bullets": [
                    {
                        "id": voted.pk,
                        "text": "The Assembly voted.",
                        "attribution": "fact",
                        "position": 0,
                        "sources": [record.pk],
                    },
                    {
                        "id": reported.pk,
                        "text": "Talks resume on Monday.",
                        "attribution": "reported",
                        "position": 1,
                        "sources": [record.pk, wire.pk],  # by title
                    },
                ],
            },
            {
                "id": second.pk,
                "heading": "What comes next",
                "position": 1,
                "bullets": [
                    {
                        "id": alleged.pk,
                        "text": "A convoy was stopped.",
                        "attribution": "alleged",
                        "position": 0,
                        "sources": [],
                    }
                ],
            },
        ],
        "votes": [
            {
                "id": council.pk,
                "api_url": f"/api/v1/votes/{council.pk}/",
                "body": {
                    "slug": "un-security-council",
                    "name": council.body.name,
                    "kind": "un_organ",
                    "seats": 15,
                    "rule": "at least 9 yes",
                },
                "title": "Draft on aid corridors",
                "symbol": "S/2025/100",
                "date": "2025-03-01",
                "vote_on": "text",
                "required_share": "",
                "required_yes": None,
                "yes": 10,
                "no": 0,
                "abstain": 5,
                "not_voting": None,
                "outcome": "adopted",
                "context": False,
                "positions": [],
            },
            {
                "id": assembly.pk,
                "api_url": f"/api/v1/votes/{assembly.pk}/",
                "body": {
                    "slug": "un-general-assembly",
                    "name": assembly.body.name,
                    "kind": "un_organ",
                    "seats": 193,
                    "rule": "more yes than no",
                },
                "title": "Resolution on a ceasefire",
                "symbol": "A/ES-11/L.10",
                "date": "2025-02-24",
                "vote_on": "text",
                "required_share": "",
                "required_yes": None,
                "yes": 93,
                "no": 18,
                "abstain": 65,
                "not_voting": 17,
                "outcome": "adopted",
                "context": False,
                "positions": [
                    {"member_code": "DZA", "member_name": "Algeria", "position": "no"},
                    {"member_code": "BRA", "member_name": "Brazil", "position": "yes"},
                    {
                        "member_code": "CHN",
                        "member_name": "China",
                        "position": "abstain",
                    },
                ],
            },
        ],
        # The bullets' sources in reading order, then the brief's own.
        "sources": [
            {
                "id": record.pk,
                "url": "https://example.org/record",
                "title": "Official record",
                "publisher": "Example Wire",
                "published_on": "2025-02-24",
                "accessed_on": "2025-02-25",
            },
            {
                "id": wire.pk,
                "url": "https://example.org/wire",
                "title": "Wire report",
                "publisher": "Example Wire",
                "published_on": None,
                "accessed_on": None,
            },
            {
                "id": letter.pk,
                "url": "https://example.org/letter",
                "title": "A letter to the council",
                "publisher": "Example Wire",
                "published_on": "2025-01-05",
                "accessed_on": None,
            },
        ],
        "corrections": [
            {
                "kind": "update",
                "text": "Adds the council's vote.",
                "published_at": "2025-03-02T11:40:00Z",
            },
            {
                "kind": "correction",
                "text": "An earlier version gave the wrong count.",
                "published_at": "2025-03-02T11:00:00.123456Z",
            },
        ],
    }

    detail = rendering.render_api_detail(prefetched(brief))

    assert detail == drf_json(expected)


def test_brief_detail_without_prefetches_is_the_same(loaded):
    brief, _ = loaded
    plain = Brief.objects.get(pk=brief.pk)

    assert rendering.render_api_detail(plain) == rendering.render_api_detail(
        prefetched(brief)
    )


def test_datetimes_show_in_the_current_time_zone(loaded):
    brief, _ = loaded

    with timezone.override("America/New_York"):
        item = json.loads(rendering.render_api_item(prefetched(brief)))

    assert item["published_at"] == "2025-03-02T05:00:00-05:00"
    assert item["updated_at"] == "2025-03-02T07:00:00-05:00"


def test_read_serializers_show_exactly_their_declared_fields(loaded):
    brief, parts = loaded
    brief = prefetched(brief)
    section = brief.sections.all()[0]
    vote = brief.votes.all()[1]
    context = {"request": None}
    cases = [
        (TopicSerializer, brief.topics.all()[0]),
        (SourceSerializer, parts["sources"][0]),
        (BulletSerializer, section.bullets.all()[0]),
        (SectionSerializer, section),
        (CorrectionSerializer, brief.corrections.all()[0]),
        (PositionSerializer, vote.positions.all()[0]),
        (VoteSummarySerializer, vote),
        (VoteWithPositionsSerializer, vote),
        (VoteDetailSerializer, vote),
        (BriefLinkSerializer, brief),
        (BriefListSerializer, brief),
        (BriefDetailSerializer, brief),
    ]

    for serializer_class, instance in cases:
        serializer = serializer_class(instance, context=context)
        assert list(serializer.data) == list(serializer.fields), serializer_class


@pytest.mark.parametrize(
    "value",
    [
        None,
        datetime.datetime(2025, 3, 2, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2025, 3, 30, 1, 59, 59, 999999, tzinfo=datetime.UTC),
        datetime.datetime(
            2025, 7, 1, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=5))
        ),
        datetime.datetime(2025, 7, 1, 9, 30),  # naive: DRF makes it aware
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "Asia/Kolkata"])
def test_datetime_text_is_what_drf_shows(value, zone):
    with timezone.override(zone):
        assert datetime_text(value) == serializers.DateTimeField().to_representation(
            value
        )


def test_datetime_text_follows_drf_format_setting(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DATETIME_FORMAT": "%d/%m"}

    assert datetime_text(NOW) == "02/03"


@pytest.mark.parametrize("value", [None, datetime.date(2025, 2, 24)])
def test_date_text_is_what_drf_shows(value):
    assert date_text(value) == serializers.DateField().to_representation(value)


@pytest.mark.parametrize(
    ("view_name", "kwarg", "value"),
    [
        ("briefs:brief-detail", "slug", "a-brief_2"),
        ("briefs:topic-detail", "slug", "topic"),
        ("api:brief-detail", "slug", "A-brief"),
        ("api:vote-detail", "pk", 42),
    ],
)
@pytest.mark.parametrize("prefix", ["/", "/news/"])
def test_object_link_is_what_reverse_gives(view_name, kwarg, value, prefix):
    set_script_prefix(prefix)
    try:
        link = object_link(view_name, kwarg, value)
        expected = reverse(view_name, kwargs={kwarg: value})
    finally:
        set_script_prefix("/")

    assert link == expected


def test_object_link_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        object_link("briefs:brief-detail", "slug", "café au lait")

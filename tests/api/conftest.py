import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefs.models import Position, VotePosition
from tests import factories


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Rate-limit counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def client_for(user):
    client = APIClient()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.user = user
    return client


@pytest.fixture
def writer_api(writer):
    return client_for(writer)


@pytest.fixture
def editor_api(editor):
    return client_for(editor)


@pytest.fixture
def reader_api(db):
    """A signed-in user with no permissions: sees what readers see."""
    return client_for(factories.UserFactory(username="reader", is_staff=False))


def published_brief(**kwargs):
    return factories.BriefFactory(published=True, **kwargs)


def scheduled_brief(**kwargs):
    return factories.BriefFactory(
        status="published",
        published_at=timezone.now() + datetime.timedelta(days=1),
        **kwargs,
    )


def full_positions(vote, yes, no, abstain):
    """Record positions for every seat of `vote`'s body matching the counts."""
    seats = vote.body.seats
    kinds = (
        [Position.YES] * yes
        + [Position.NO] * no
        + [Position.ABSTAIN] * abstain
        + [Position.ABSENT] * (seats - yes - no - abstain)
    )
    VotePosition.objects.bulk_create(
        VotePosition(
            vote=vote,
            member_code=f"M{n:03d}",
            member_name=f"Member {n:03d}",
            position=kind,
        )
        for n, kind in enumerate(kinds)
    )


def brief_with_content(sections=1, bullets=1, votes=1, positions=True, **kwargs):
    """Return a published brief with sections × bullets (each citing a source)
    and General Assembly votes, each with all 193 positions if `positions`."""
    brief = published_brief(**kwargs)
    brief.topics.add(factories.TopicFactory())
    source = factories.SourceFactory()
    brief.sources.add(source)
    for s in range(sections):
        section = factories.SectionFactory(brief=brief, position=s)
        for b in range(bullets):
            factories.BulletFactory(section=section, position=b, sources=[source])
    for _ in range(votes):
        vote = factories.VoteFactory()
        if positions:
            full_positions(vote, 93, 18, 65)
        brief.votes.add(vote)
    factories.CorrectionFactory(brief=brief)
    return brief


def if_match(client, url):
    """Return the If-Match header an update by `client` of the brief at `url`
    sends: the ETag it reads there now ("*" if it may not read it)."""
    return {"HTTP_IF_MATCH": client.get(url).get("ETag", "*")}

"""PreparedQuery: a queryset compiled once, run again with new values."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefs.models import Brief
from briefs.models.prepared import PreparedQuery
from tests import factories

START = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)


def published_by_slug():
    return PreparedQuery(
        Brief,
        lambda slug, now: (
            Brief.objects.published(at=now)
            .filter(slug=slug)
            .values("id", "title", "published_at", "rendering__changed_at")[:1]
        ),
        slug=str,
        now=datetime.datetime,
    )


@pytest.mark.django_db
def test_rows_are_what_the_queryset_reads():
    brief = factories.BriefFactory(published=True)
    query = published_by_slug()

    row = query.first(slug=brief.slug, now=timezone.now())

    expected = (
        Brief.objects.filter(pk=brief.pk)
        .values("id", "title", "published_at", "rendering__changed_at")
        .get()
    )
    assert row == expected


@pytest.mark.django_db
def test_datetimes_come_back_aware_as_the_orm_gives_them():
    brief = factories.BriefFactory(published=True)

    row = published_by_slug().first(slug=brief.slug, now=timezone.now())

    assert row["published_at"] == brief.published_at
    assert row["published_at"].tzinfo is not None


@pytest.mark.django_db
def test_each_run_takes_its_own_values():
    first, second = factories.BriefFactory.create_batch(2, published=True)
    query = published_by_slug()

    assert query.first(slug=first.slug, now=timezone.now())["id"] == first.pk
    assert query.first(slug=second.slug, now=timezone.now())["id"] == second.pk
    assert query.first(slug="no-such-brief", now=timezone.now()) is None


@pytest.mark.django_db
def test_the_rule_of_the_queryset_holds_a_draft_is_not_found():
    draft = factories.BriefFactory()

    assert published_by_slug().first(slug=draft.slug, now=timezone.now()) is None


@pytest.mark.django_db
def test_a_scheduled_brief_is_found_once_its_time_comes_though_compiled_before():
    with time_machine.travel(START, tick=False) as clock:
        brief = factories.BriefFactory(
            status=Brief.Status.PUBLISHED,
            published_at=START + datetime.timedelta(hours=2),
        )
        query = published_by_slug()
        assert query.first(slug=brief.slug, now=timezone.now()) is None

        clock.move_to(START + datetime.timedelta(hours=2, seconds=1))

        assert query.first(slug=brief.slug, now=timezone.now())["id"] == brief.pk


@pytest.mark.django_db
def test_a_run_after_the_first_is_one_query():
    brief = factories.BriefFactory(published=True)
    query = published_by_slug()
    query.first(slug=brief.slug, now=timezone.now())

    with CaptureQueriesContext(connection) as queries:
        query.first(slug=brief.slug, now=timezone.now())

    assert len(queries) == 1


@pytest.mark.django_db
def test_a_value_the_queryset_does_not_use_is_refused():
    query = PreparedQuery(
        Brief,
        lambda slug, now: Brief.objects.filter(slug=slug).values("id"),
        slug=str,
        now=datetime.datetime,
    )

    with pytest.raises(ImproperlyConfigured, match="'now'"):
        query.rows(slug="anything", now=timezone.now())


@pytest.mark.django_db
def test_a_queryset_that_names_no_values_is_refused():
    query = PreparedQuery(Brief, lambda slug: Brief.objects.filter(slug=slug), slug=str)

    with pytest.raises(ImproperlyConfigured, match="values"):
        query.rows(slug="anything")

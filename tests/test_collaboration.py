"""Editorial notes and editor presence: staff-only, invisible to readers.

A note carries a unique marker; every public surface (page, feeds, search,
the anonymous API's list, detail and ninjs, and a signed-in user without
staff rights) is read and must not show it.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefs import services
from briefs.changes import briefs_changed
from briefs.models import (
    PRESENCE_SECONDS,
    Brief,
    BriefRendering,
    EditorialNote,
    EditorPresence,
    PageGeneration,
)
from tests import factories

pytestmark = pytest.mark.django_db

MARKER = "zqnotemarker"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def published_brief_with_bullet(title="Council renews the mission"):
    brief = factories.BriefFactory(published=True, title=title)
    bullet = factories.BulletFactory(
        section=factories.SectionFactory(brief=brief),
        text="Members renewed the mission for another year.",
    )
    return brief, bullet


@pytest.fixture
def events():
    received = []

    def receiver(sender, change, **kwargs):
        received.append(change)

    briefs_changed.connect(receiver, dispatch_uid="test-note-events")
    yield received
    briefs_changed.disconnect(dispatch_uid="test-note-events")


# Notes: rules ------------------------------------------------------------------


def test_a_staff_writer_adds_a_note_pinned_to_a_bullet(writer):
    brief, bullet = published_brief_with_bullet()

    note = services.note_add(
        brief=brief, author=writer, text="Check the date.", bullet=bullet
    )

    assert (note.brief, note.bullet, note.author) == (brief, bullet, writer)
    assert note.created_at is not None
    assert not note.is_resolved


def test_a_user_who_is_not_staff_may_not_add_a_note(writer):
    brief, _ = published_brief_with_bullet()
    writer.is_staff = False
    writer.save()

    with pytest.raises(PermissionDenied):
        services.note_add(brief=brief, author=writer, text="Hello")


def test_a_note_may_not_be_pinned_to_a_bullet_of_another_brief(writer):
    brief, _ = published_brief_with_bullet()
    _, other_bullet = published_brief_with_bullet("Another brief entirely")

    with pytest.raises(ValidationError) as error:
        services.note_add(
            brief=brief, author=writer, text="Wrong place", bullet=other_bullet
        )

    assert "bullet" in error.value.message_dict
    assert not EditorialNote.objects.exists()


def test_an_empty_note_is_refused(writer):
    brief, _ = published_brief_with_bullet()

    with pytest.raises(ValidationError):
        services.note_add(brief=brief, author=writer, text="   ")


def test_a_note_stays_unpinned_when_its_bullet_is_deleted(writer):
    brief, bullet = published_brief_with_bullet()
    note = services.note_add(brief=brief, author=writer, text="Odd", bullet=bullet)

    bullet.delete()

    note.refresh_from_db()
    assert note.bullet is None
    assert note.brief == brief


def test_the_author_resolves_and_reopens_their_note(writer):
    brief, _ = published_brief_with_bullet()
    note = services.note_add(brief=brief, author=writer, text="Fix the figure")

    services.note_resolve(note=note, user=writer)
    assert note.is_resolved
    assert note.resolved_by == writer

    services.note_resolve(note=note, user=writer, resolved=False)
    note.refresh_from_db()
    assert (note.resolved_at, note.resolved_by) == (None, None)


def test_an_editor_resolves_anyones_note(writer, editor):
    brief, _ = published_brief_with_bullet()
    note = services.note_add(brief=brief, author=writer, text="Fix the figure")

    services.note_resolve(note=note, user=editor)

    assert note.resolved_by == editor


def test_another_writer_may_not_resolve_a_note(writer):
    other = factories.UserFactory(username="other", writer=True)
    brief, _ = published_brief_with_bullet()
    note = services.note_add(brief=brief, author=writer, text="Fix the figure")

    with pytest.raises(PermissionDenied):
        services.note_resolve(note=note, user=other)

    note.refresh_from_db()
    assert not note.is_resolved


def test_notes_list_open_ones_first(writer, editor):
    brief, _ = published_brief_with_bullet()
    first = services.note_add(brief=brief, author=writer, text="First")
    second = services.note_add(brief=brief, author=writer, text="Second")
    services.note_resolve(note=first, user=editor)

    assert list(EditorialNote.objects.filter(brief=brief).open_first()) == [
        second,
        first,
    ]


def test_notes_are_visible_to_staff_only(writer, editor):
    brief, _ = published_brief_with_bullet()
    services.note_add(brief=brief, author=writer, text="Staff only")
    reader = factories.UserFactory(username="reader", is_staff=False)

    assert EditorialNote.objects.visible_to(editor).count() == 1
    assert EditorialNote.objects.visible_to(reader).count() == 0
    assert EditorialNote.objects.visible_to(None).count() == 0


# Notes change nothing readers see ------------------------------------------------


def test_adding_and_resolving_a_note_leaves_the_brief_and_its_renderings_alone(
    writer, editor, events, django_capture_on_commit_callbacks
):
    brief, bullet = published_brief_with_bullet()
    BriefRendering.objects.filter(brief=brief).update(rendered_with="current")
    generation = PageGeneration.objects.values_list("number", flat=True).first()
    before = Brief.objects.values("version", "last_updated_at", "updated_at").get(
        pk=brief.pk
    )

    with django_capture_on_commit_callbacks(execute=True):
        note = services.note_add(
            brief=brief, author=writer, text="A query", bullet=bullet
        )
        services.note_resolve(note=note, user=editor)
        services.note_resolve(note=note, user=editor, resolved=False)

    after = Brief.objects.values("version", "last_updated_at", "updated_at").get(
        pk=brief.pk
    )
    assert after == before
    assert BriefRendering.objects.get(brief=brief).rendered_with == "current"
    assert PageGeneration.objects.values_list("number", flat=True).first() == generation
    assert events == []


# Notes never reach the public -------------------------------------------------


@pytest.fixture
def noted_brief(writer):
    brief, bullet = published_brief_with_bullet()
    services.note_add(
        brief=brief, author=writer, text=f"Check {MARKER} before noon", bullet=bullet
    )
    services.note_add(brief=brief, author=writer, text=f"Whole brief {MARKER}")
    return brief


def public_addresses(brief):
    topic = brief.topics.first()
    addresses = [
        "/",
        brief.get_absolute_url(),
        "/search/?q=mission",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/corrections/",
        "/api/v1/briefs/",
        f"/api/v1/briefs/{brief.slug}/",
        f"/api/v1/briefs/{brief.slug}/ninjs/",
    ]
    if topic is not None:
        addresses.append(topic.get_absolute_url())
    return addresses


def test_a_note_never_reaches_readers_or_the_anonymous_api(noted_brief):
    client = Client()

    for address in public_addresses(noted_brief):
        response = client.get(address)
        assert response.status_code == 200, address
        assert MARKER not in response.content.decode(), address
    assert noted_brief.title in client.get(noted_brief.get_absolute_url()).text


def test_searching_for_a_notes_words_finds_nothing(noted_brief):
    client = Client()

    page = client.get("/search/", {"q": MARKER}).text
    api = client.get("/api/v1/briefs/", {"search": MARKER}).json()

    assert noted_brief.slug not in page
    assert api["results"] == []
    assert noted_brief.slug in client.get("/search/", {"q": "mission"}).text


def test_a_note_never_reaches_a_signed_in_user_without_staff_rights(noted_brief):
    reader = factories.UserFactory(username="reader", is_staff=False)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader)}")
    site = Client()
    site.force_login(reader)

    for address in public_addresses(noted_brief):
        for client in (api, site):
            response = client.get(address)
            assert response.status_code == 200, address
            assert MARKER not in response.content.decode(), address
    notes = f"/api/v1/briefs/{noted_brief.slug}/notes/"
    assert api.get(notes).status_code == 404


def test_a_staff_api_answer_for_the_brief_shows_no_notes(noted_brief, editor):
    api = APIClient()
    api.force_authenticate(editor)

    for address in (
        f"/api/v1/briefs/{noted_brief.slug}/",
        "/api/v1/briefs/",
        f"/api/v1/briefs/{noted_brief.slug}/ninjs/",
    ):
        response = api.get(address)
        assert response.status_code == 200, address
        assert MARKER not in response.content.decode(), address


# Presence ---------------------------------------------------------------------


def test_presence_counts_until_it_expires(editor):
    brief = factories.BriefFactory()
    services.presence_touch(brief=brief, user=editor, at=START)
    later = START + datetime.timedelta(seconds=PRESENCE_SECONDS - 1)
    expired = START + datetime.timedelta(seconds=PRESENCE_SECONDS + 1)

    assert EditorPresence.objects.current(later).filter(brief=brief).exists()
    assert not EditorPresence.objects.current(expired).filter(brief=brief).exists()


def test_a_heartbeat_keeps_since_and_moves_last_seen(editor):
    brief = factories.BriefFactory()
    services.presence_touch(brief=brief, user=editor, at=START)
    beat = START + datetime.timedelta(seconds=45)

    services.presence_touch(brief=brief, user=editor, at=beat)

    presence = EditorPresence.objects.get(brief=brief, user=editor)
    assert (presence.since, presence.last_seen) == (START, beat)


def test_coming_back_after_expiry_starts_a_new_since(editor):
    brief = factories.BriefFactory()
    services.presence_touch(brief=brief, user=editor, at=START)
    back = START + datetime.timedelta(seconds=PRESENCE_SECONDS + 60)

    services.presence_touch(brief=brief, user=editor, at=back)

    assert EditorPresence.objects.get(brief=brief, user=editor).since == back


def test_presence_changes_nothing_about_the_brief(editor, events):
    brief = factories.BriefFactory(published=True)
    version = Brief.objects.get(pk=brief.pk).version

    with time_machine.travel(START, tick=False):
        services.presence_touch(brief=brief, user=editor)
        services.presence_leave(brief=brief, user=editor)

    assert Brief.objects.get(pk=brief.pk).version == version
    assert events == []
    assert not EditorPresence.objects.exists()

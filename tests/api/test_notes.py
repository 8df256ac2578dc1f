"""/api/v1/briefs/<slug>/notes/: staff read, add and resolve notes; anyone else
gets 404, as if there were nothing there."""

import pytest
from django.contrib.auth.models import Permission

from briefs import services
from briefs.models import Brief, EditorialNote
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def notes_url(brief, note=None):
    url = f"/api/v1/briefs/{brief.slug}/notes/"
    return url if note is None else f"{url}{note.pk}/"


@pytest.fixture
def brief():
    brief = factories.BriefFactory(published=True)
    factories.BulletFactory(section=factories.SectionFactory(brief=brief))
    return brief


@pytest.fixture
def note(brief, writer):
    return services.note_add(brief=brief, author=writer, text="Check the count.")


def test_staff_list_a_briefs_notes_open_ones_first(editor_api, brief, writer, editor):
    resolved = services.note_add(brief=brief, author=writer, text="Done already")
    services.note_resolve(note=resolved, user=editor)
    open_note = services.note_add(brief=brief, author=writer, text="Still open")

    response = editor_api.get(notes_url(brief))

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [open_note.pk, resolved.pk]
    assert response.json()[1]["resolved"] is True
    assert response.json()[1]["resolved_by"] == "editor"
    assert response["Cache-Control"] == "private, no-store"


def test_a_writer_adds_a_note_pinned_to_a_bullet(writer_api, brief, writer):
    bullet = brief.sections.get().bullets.get()
    version = brief.version

    response = writer_api.post(
        notes_url(brief), {"text": "Is this figure right?", "bullet": bullet.pk}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["bullet"] == bullet.pk
    assert body["author"] == "writer"
    assert body["brief"] == brief.slug
    assert body["resolved"] is False
    assert EditorialNote.objects.get().author == writer
    assert Brief.objects.get(pk=brief.pk).version == version


def test_a_note_on_a_draft_is_allowed_for_staff(writer_api):
    draft = factories.BriefFactory()

    response = writer_api.post(notes_url(draft), {"text": "Needs a source."})

    assert response.status_code == 201


def test_a_bullet_of_another_brief_is_a_400(writer_api, brief):
    other = factories.BulletFactory()

    response = writer_api.post(notes_url(brief), {"text": "x", "bullet": other.pk})

    assert response.status_code == 400
    assert "bullet" in response.json()
    assert not EditorialNote.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "ok", "resolved": True}, "resolved"),
        ({"text": "ok", "author": "someone"}, "author"),
        ({"text": "bad \x00 byte"}, "text"),
        ({"text": "ok", "bullet": 2**70}, "bullet"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(writer_api, brief, payload, field):
    response = writer_api.post(notes_url(brief), payload)

    assert response.status_code == 400
    assert field in response.json()


def test_the_author_resolves_their_note(writer_api, brief, note):
    response = writer_api.patch(notes_url(brief, note), {"resolved": True})

    assert response.status_code == 200
    assert response.json()["resolved"] is True
    assert response.json()["resolved_at"]


def test_an_editor_reopens_a_note(editor_api, brief, note, editor):
    services.note_resolve(note=note, user=editor)

    response = editor_api.patch(notes_url(brief, note), {"resolved": False})

    assert response.status_code == 200
    assert response.json()["resolved"] is False
    assert response.json()["resolved_by"] is None


def test_another_writer_may_not_resolve_a_note(brief, note):
    other = client_for(factories.UserFactory(username="other", writer=True))

    response = other.patch(notes_url(brief, note), {"resolved": True})

    assert response.status_code == 403
    note.refresh_from_db()
    assert not note.is_resolved


def test_a_notes_text_cannot_be_changed(writer_api, brief, note):
    response = writer_api.patch(notes_url(brief, note), {"text": "Rewritten"})

    assert response.status_code == 400
    assert "text" in response.json()


def test_a_note_is_found_only_under_its_own_brief(editor_api, note):
    other = factories.BriefFactory(published=True)

    assert editor_api.get(notes_url(other, note)).status_code == 404
    assert editor_api.get(notes_url(note.brief, note)).status_code == 200


def test_an_unknown_brief_is_a_404(editor_api):
    response = editor_api.get("/api/v1/briefs/no-such-brief/notes/")

    assert response.status_code == 404


def non_staff_with_view_permission():
    user = factories.UserFactory(username="partner", is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="view_brief"))
    return user


@pytest.mark.parametrize("who", ["anonymous", "reader", "partner"])
@pytest.mark.parametrize("method", ["get-list", "post", "get-detail", "patch"])
def test_anyone_but_staff_gets_a_404(api, reader_api, brief, note, who, method):
    client = {
        "anonymous": api,
        "reader": reader_api,
        "partner": client_for(non_staff_with_view_permission()),
    }[who]

    if method == "get-list":
        response = client.get(notes_url(brief))
    elif method == "post":
        response = client.post(notes_url(brief), {"text": "Let me in"})
    elif method == "get-detail":
        response = client.get(notes_url(brief, note))
    else:
        response = client.patch(notes_url(brief, note), {"resolved": True})

    assert response.status_code == 404
    assert "Check the count" not in response.content.decode()
    assert EditorialNote.objects.count() == 1
    note.refresh_from_db()
    assert not note.is_resolved


def test_listing_notes_costs_the_same_for_many_notes(
    editor_api, brief, writer, editor, django_assert_max_num_queries
):
    for number in range(30):
        note = services.note_add(brief=brief, author=writer, text=f"Note {number}")
        if number % 2:
            services.note_resolve(note=note, user=editor)

    with django_assert_max_num_queries(8):
        response = editor_api.get(notes_url(brief))

    assert len(response.json()) == 30

"""The brief's change page as a shared desk: editorial notes, and who else
has the brief open."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from briefs import services
from briefs.models import PRESENCE_SECONDS, Brief, EditorialNote, EditorPresence
from tests.admin.conftest import change_url
from tests.factories import BriefFactory, BulletFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def admin_url(name, brief, *args):
    return reverse(f"admin:briefs_brief_{name}", args=[brief.pk, *args])


@pytest.fixture
def brief():
    brief = BriefFactory(title="Council renews the mission")
    BulletFactory(
        section=SectionFactory(brief=brief, heading="The decision"),
        text="The mission runs for one more year.",
    )
    return brief


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def notice(html):
    found = re.search(r"<p class=\"brief-presence-notice\"[^>]*>(.*?)</p>", html, re.S)
    if found is None:
        return None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


# Notes ----------------------------------------------------------------------


def test_the_notes_panel_lists_open_notes_first(client, editor, writer, brief):
    done = services.note_add(brief=brief, author=writer, text="Already fixed")
    services.note_resolve(note=done, user=editor)
    services.note_add(brief=brief, author=writer, text="Still to check")
    client.force_login(editor)

    page = client.get(change_url(brief)).text

    assert "Editorial notes (1 open)" in page
    assert page.index("Still to check") < page.index("Already fixed")
    assert "resolved by editor" in page


def test_a_writer_adds_a_note_pinned_to_a_bullet(client, writer, brief):
    bullet = brief.sections.get().bullets.get()
    version = Brief.objects.get(pk=brief.pk).version
    client.force_login(writer)
    page = client.get(change_url(brief)).text
    assert f'<option value="{bullet.pk}">The decision: The mission runs' in page

    response = client.post(
        admin_url("note_add", brief),
        {"note-text": "Which year exactly?", "note-bullet": bullet.pk},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#notes")
    note = EditorialNote.objects.get()
    assert (note.author, note.bullet, note.text) == (
        writer,
        bullet,
        "Which year exactly?",
    )
    assert Brief.objects.get(pk=brief.pk).version == version
    shown = client.get(change_url(brief)).text
    assert "Which year exactly?" in shown
    assert "about “The mission runs for one more year.”" in shown


def test_an_empty_note_is_refused_with_a_message(client, writer, brief):
    client.force_login(writer)

    response = client.post(
        admin_url("note_add", brief), {"note-text": "   "}, follow=True
    )

    assert "Note not added" in response.text
    assert not EditorialNote.objects.exists()


def test_a_refused_note_keeps_its_text(client, writer, brief):
    client.force_login(writer)
    long_text = "x" * 5000

    response = client.post(
        admin_url("note_add", brief), {"note-text": long_text}, follow=True
    )

    assert "Note not added" in response.text
    assert long_text in response.text


def test_the_author_resolves_their_note_and_reopens_it(client, writer, brief):
    note = services.note_add(brief=brief, author=writer, text="Check it")
    client.force_login(writer)

    client.post(admin_url("note_resolve", brief, note.pk), {"resolved": "1"})
    note.refresh_from_db()
    assert note.resolved_by == writer
    client.post(admin_url("note_resolve", brief, note.pk), {"resolved": "0"})
    note.refresh_from_db()
    assert not note.is_resolved


def test_another_writer_sees_no_resolve_button_and_may_not_resolve(writer, brief):
    note = services.note_add(brief=brief, author=writer, text="Check it")
    other = signed_in(UserFactory(username="other", writer=True))

    page = other.get(change_url(brief)).text
    response = other.post(admin_url("note_resolve", brief, note.pk))

    assert "Check it" in page
    assert ">Resolve</button>" not in page
    assert response.status_code == 403
    note.refresh_from_db()
    assert not note.is_resolved


def test_an_editor_resolves_anyones_note(client, editor, writer, brief):
    note = services.note_add(brief=brief, author=writer, text="Check it")
    client.force_login(editor)

    assert ">Resolve</button>" in client.get(change_url(brief)).text
    client.post(admin_url("note_resolve", brief, note.pk))

    note.refresh_from_db()
    assert note.resolved_by == editor


def test_a_note_of_another_brief_is_not_resolved_through_this_one(
    client, editor, writer, brief
):
    note = services.note_add(brief=brief, author=writer, text="Check it")
    other = BriefFactory()
    client.force_login(editor)

    response = client.post(admin_url("note_resolve", other, note.pk))

    assert response.status_code == 404


def test_adding_a_note_needs_a_staff_account(writer, brief):
    writer.is_staff = False
    writer.save()

    response = signed_in(writer).post(
        admin_url("note_add", brief), {"note-text": "Let me in"}
    )

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not EditorialNote.objects.exists()


# Who else is here --------------------------------------------------------------


def test_a_second_editor_sees_who_has_the_brief_open(editor, writer, brief, settings):
    settings.TIME_ZONE = "Europe/Paris"
    with time_machine.travel(START, tick=False):
        signed_in(writer).get(change_url(brief))
    with time_machine.travel(START + datetime.timedelta(seconds=30), tick=False):
        page = signed_in(editor).get(change_url(brief)).text

    # 09:00 UTC is 10:00 in Paris in March.
    assert notice(page).startswith("Being edited by writer since 10:00")


def test_a_user_does_not_see_their_own_presence(writer, brief):
    client = signed_in(writer)
    client.get(change_url(brief))

    page = client.get(change_url(brief)).text

    assert notice(page) == ""
    assert "Being edited by" not in page


def test_presence_expires_by_itself(editor, writer, brief):
    with time_machine.travel(START, tick=False):
        signed_in(writer).get(change_url(brief))
    later = START + datetime.timedelta(seconds=PRESENCE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        page = signed_in(editor).get(change_url(brief)).text

    assert "Being edited by" not in page


def test_the_heartbeat_keeps_presence_alive_and_names_the_others(editor, writer, brief):
    writer_client = signed_in(writer)
    with time_machine.travel(START, tick=False):
        writer_client.get(change_url(brief))
        signed_in(editor).get(change_url(brief))
    beat = START + datetime.timedelta(seconds=PRESENCE_SECONDS - 10)
    with time_machine.travel(beat, tick=False):
        answer = writer_client.post(admin_url("presence", brief))
    after = START + datetime.timedelta(seconds=PRESENCE_SECONDS + 30)
    with time_machine.travel(after, tick=False):
        page = signed_in(editor).get(change_url(brief)).text

    assert answer.status_code == 200
    assert answer.json() == {"others": [{"name": "editor", "since": "09:00"}]}
    assert "Being edited by <strong>writer</strong> since 09:00" in page


def test_leaving_the_page_clears_presence(editor, writer, brief):
    writer_client = signed_in(writer)
    writer_client.get(change_url(brief))

    writer_client.post(admin_url("presence_leave", brief))

    assert "Being edited by" not in signed_in(editor).get(change_url(brief)).text


def test_the_heartbeat_needs_a_staff_account(writer, brief):
    writer.is_staff = False
    writer.save()

    anonymous = Client().post(admin_url("presence", brief))
    not_staff = signed_in(writer).post(admin_url("presence", brief))

    assert anonymous.status_code == 302
    assert not_staff.status_code == 302
    assert not EditorPresence.objects.exists()


def test_the_heartbeat_needs_a_csrf_token(writer, brief):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    refused = client.post(admin_url("presence", brief))
    page = client.get(change_url(brief)).text
    EditorPresence.objects.all().delete()
    token = re.search(
        r'data-brief-presence.*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    ).group(1)
    accepted = client.post(admin_url("presence", brief), HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert EditorPresence.objects.filter(user=writer).exists()


def test_the_heartbeat_takes_post_only(writer, brief):
    response = signed_in(writer).get(admin_url("presence", brief))

    assert response.status_code == 405


def test_the_change_page_loads_the_heartbeat_script(writer, brief):
    page = signed_in(writer).get(change_url(brief)).text

    assert re.search(
        r'<script src="/static/admin-briefs/presence\.[0-9a-f]+\.js"', page
    )
    assert f'data-heartbeat-url="{admin_url("presence", brief)}"' in page

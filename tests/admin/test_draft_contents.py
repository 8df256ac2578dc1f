"""The pending draft of a live brief is where its writer goes on working."""

import pytest
from django.urls import reverse

from briefs.models import Brief, LeadImage, PendingDraft, Vote
from briefs.services import draft_publish
from tests.factories import VoteFactory, live_brief
from tests.images import image_bytes, upload

from .conftest import change_url, form_data

pytestmark = pytest.mark.django_db

SUMMARY = "The council adopted its budget after members argued about the cuts."


@pytest.fixture
def live(db):
    return live_brief(title="Council adopts budget", summary=SUMMARY)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def edit(client, brief, url=None, button="_save", **changes):
    url = url or change_url(brief)
    data = form_data(client.get(url).text)
    data.update(changes)
    data[button] = "1"
    return client.post(url, data)


def test_the_form_opens_on_the_writers_pending_draft(client, writer, live):
    client.force_login(writer)
    edit(client, live, title="Council trims its budget")
    data = form_data(client.get(change_url(live)).text)
    assert data["title"] == "Council trims its budget"


def test_a_second_save_keeps_what_the_first_put_in_the_draft(client, writer, live):
    client.force_login(writer)
    edit(client, live, summary=SUMMARY + " Two members left early.")
    response = edit(client, live, **{"sections-0-bullets-0-text": "They met late."})
    assert response.status_code == 302
    draft = PendingDraft.objects.get(brief=live)
    assert draft.data["summary"] == SUMMARY + " Two members left early."
    assert draft.data["sections"][0]["bullets"][0]["text"] == "They met late."
    live.refresh_from_db()
    assert live.summary == SUMMARY


def test_a_new_section_in_the_draft_can_be_edited_again(client, writer, live):
    client.force_login(writer)
    edit(
        client,
        live,
        **{
            "sections-TOTAL_FORMS": "2",
            "sections-1-heading": "What comes next",
            "sections-1-position": "2",
            "sections-1-bullets-TOTAL_FORMS": "1",
            "sections-1-bullets-INITIAL_FORMS": "0",
            "sections-1-bullets-0-text": "A second reading is due.",
            "sections-1-bullets-0-attribution": "fact",
            "sections-1-bullets-0-position": "1",
        },
    )
    assert len(PendingDraft.objects.get(brief=live).data["sections"]) == 2
    response = edit(client, live, **{"sections-1-heading": "Next steps"})
    assert response.status_code == 302
    sections = PendingDraft.objects.get(brief=live).data["sections"]
    assert [s["heading"] for s in sections] == ["What happened", "Next steps"]
    assert sections[1]["bullets"][0]["text"] == "A second reading is due."


def test_an_editor_who_saves_a_draft_goes_on_editing_it(client, editor, live):
    client.force_login(editor)
    response = edit(client, live, button="_save_draft", title="Budget passes")
    assert response.url.endswith("?draft")
    data = form_data(client.get(response.url).text)
    assert data["title"] == "Budget passes"
    edit(client, live, url=response.url, button="_save_draft", summary=SUMMARY + "!")
    draft = PendingDraft.objects.get(brief=live)
    assert (draft.data["title"], draft.data["summary"]) == (
        "Budget passes",
        SUMMARY + "!",
    )
    assert Brief.objects.get(pk=live.pk).title == "Council adopts budget"


def test_a_writers_lead_image_waits_in_the_draft(client, writer, editor, live):
    client.force_login(writer)
    response = edit(
        client,
        live,
        **{
            "lead_image-0-upload": upload(image_bytes(800, 400)),
            "lead_image-0-alt": "Councillors voting in the chamber.",
            "lead_image-0-credit": "Photo: City Hall",
        },
    )
    assert response.status_code == 302
    assert not LeadImage.objects.filter(brief=live).exists()
    image = PendingDraft.objects.get(brief=live).data["lead_image"]
    assert (image["alt"], image["width"]) == ("Councillors voting in the chamber.", 800)
    draft_publish(brief=live, user=editor)
    lead = LeadImage.objects.get(brief=live)
    assert (lead.file.name, lead.credit) == (image["file"], "Photo: City Hall")


def test_the_draft_keeps_its_image_through_a_second_save(client, writer, live):
    client.force_login(writer)
    edit(
        client,
        live,
        **{
            "lead_image-0-upload": upload(image_bytes(800, 400)),
            "lead_image-0-alt": "The chamber.",
        },
    )
    edit(client, live, title="Council trims its budget")
    draft = PendingDraft.objects.get(brief=live)
    assert draft.data["lead_image"]["alt"] == "The chamber."
    assert draft.data["title"] == "Council trims its budget"


def test_a_writer_sees_a_live_vote_read_only_and_why(client, writer, live):
    vote = VoteFactory(title="The budget")
    live.votes.add(vote)
    client.force_login(writer)
    url = reverse("admin:briefs_vote_change", args=[vote.pk])
    response = client.get(url, follow=True)
    assert 'name="title"' not in response.text
    assert "shows on the live brief “Council adopts budget”" in response.text
    assert change_url(live) in response.text
    client.post(url, {"title": "The leaner budget"})
    assert Vote.objects.get(pk=vote.pk).title == "The budget"

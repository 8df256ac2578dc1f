"""The lead image on the brief's admin page."""

import pytest

from briefs.models import LeadImage
from tests.factories import BriefFactory
from tests.images import image_bytes, png_claiming, upload

from .conftest import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def post_with_image(client, brief, file, **fields):
    data = form_data(client.get(change_url(brief)).text)
    data.update({"lead_image-0-upload": file, **fields})
    return client.post(change_url(brief), data)


@pytest.mark.tasks
def test_a_writer_uploads_a_lead_image_with_its_words(
    client, writer, media, django_capture_on_commit_callbacks
):
    brief = BriefFactory()
    brief.authors.add(writer)
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_with_image(
            client,
            brief,
            upload(image_bytes(1000, 500)),
            **{
                "lead_image-0-alt": "Delegates in the hall.",
                "lead_image-0-credit": "Photo: Example Wire",
                "lead_image-0-caption": "Before the vote.",
            },
        )
    assert response.status_code == 302, response.context["errors"]
    lead = LeadImage.objects.get(brief=brief)
    assert (lead.alt, lead.credit, lead.caption) == (
        "Delegates in the hall.",
        "Photo: Example Wire",
        "Before the vote.",
    )
    assert (lead.width, lead.height) == (1000, 500)
    assert len(lead.renditions) == 6
    assert len(stored_files(media)) == 7
    page = client.get(change_url(brief)).text
    assert "1000 × 500 pixels, sizes made" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not really", "not an image this site can read"),
        (png_claiming(60_000, 60_000), "too large in pixels"),
    ],
    ids=["not-an-image", "bomb"],
)
def test_a_refused_file_is_a_field_error_and_nothing_is_kept(
    client, editor, media, content, message
):
    brief = BriefFactory(title="Kept as it was")
    client.force_login(editor)
    response = post_with_image(
        client,
        brief,
        upload(content, name="picture.png"),
        **{"lead_image-0-alt": "A hall.", "title": "Changed title"},
    )
    assert response.status_code == 200
    assert message in response.text
    assert not LeadImage.objects.exists()
    assert stored_files(media) == []
    brief.refresh_from_db()
    assert brief.title == "Kept as it was"


def test_an_image_without_alt_text_is_refused(client, editor, media):
    brief = BriefFactory()
    client.force_login(editor)
    response = post_with_image(client, brief, upload())
    assert response.status_code == 200
    assert not LeadImage.objects.exists()
    assert stored_files(media) == []


def test_words_without_a_file_ask_for_the_file(client, editor):
    brief = BriefFactory()
    client.force_login(editor)
    data = form_data(client.get(change_url(brief)).text)
    data["lead_image-0-alt"] = "A hall."
    response = client.post(change_url(brief), data)
    assert response.status_code == 200
    assert "Choose an image file to upload." in response.text


def test_ticking_delete_removes_the_image_and_its_files(
    client, editor, media, django_capture_on_commit_callbacks
):
    brief = BriefFactory()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        post_with_image(client, brief, upload(), **{"lead_image-0-alt": "A hall."})
    assert stored_files(media)
    data = form_data(client.get(change_url(brief)).text)
    data["lead_image-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(brief), data)
    assert response.status_code == 302
    assert not LeadImage.objects.exists()
    assert stored_files(media) == []

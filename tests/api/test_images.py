"""A brief's lead image in the API detail and in ninjs."""

import pytest

from briefs import services
from briefs.models import BriefRendering, LeadImage
from tests.api.conftest import if_match
from tests.factories import BriefFactory
from tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db

# What ninjs 2.1 lets an association and a rendition hold (its JSON schema:
# an association is a ninjs object with a name; no other properties).
NINJS_ITEM_PROPERTIES = {
    "uri", "type", "representationtype", "profile", "version", "firstcreated",
    "versioncreated", "contentcreated", "embargoed", "pubstatus", "urgency",
    "copyrightholder", "copyrightnotice", "usageterms", "ednote", "language",
    "descriptions", "bodies", "headlines", "people", "organisations", "places",
    "subjects", "events", "objects", "infosources", "title", "by", "slugline",
    "located", "renditions", "associations", "altids", "trustindicators",
    "standard", "genres", "expires", "rightsinfo",
}  # fmt: skip
NINJS_RENDITION_PROPERTIES = {
    "name", "href", "contenttype", "title", "height", "width", "sizeinbytes",
    "duration", "format",
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def brief_with_image(django_capture_on_commit_callbacks):
    brief = BriefFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.lead_image_save(
            brief=brief,
            image=upload(image_bytes(1200, 600)),
            alt="Delegates in the hall.",
            credit="Photo: Example Wire",
            caption="The hall before the vote.",
        )
    return brief


def detail(brief):
    return f"/api/v1/briefs/{brief.slug}/"


@pytest.mark.tasks
def test_the_detail_shows_the_image_with_its_renditions(api, brief_with_image):
    image = api.get(detail(brief_with_image)).json()["image"]
    assert image["alt"] == "Delegates in the hall."
    assert image["credit"] == "Photo: Example Wire"
    assert image["caption"] == "The hall before the vote."
    assert (image["width"], image["height"]) == (1200, 600)
    assert image["url"].startswith("http://127.0.0.1:8000/media/lead-images/")
    assert sorted(
        (r["format"], r["width"], r["height"]) for r in image["renditions"]
    ) == [
        ("jpeg", 480, 240),
        ("jpeg", 960, 480),
        ("jpeg", 1200, 600),
        ("webp", 480, 240),
        ("webp", 960, 480),
        ("webp", 1200, 600),
    ]
    assert all(r["url"].startswith("http://") for r in image["renditions"])


def test_the_detail_of_a_brief_without_an_image_has_none(api):
    brief = BriefFactory(published=True)
    assert api.get(detail(brief)).json()["image"] is None


def test_the_stored_and_live_details_show_the_same_image(api, brief_with_image):
    stored = api.get(detail(brief_with_image)).json()
    BriefRendering.objects.filter(pk=brief_with_image.pk).mark_stale()
    live = api.get(detail(brief_with_image)).json()
    assert stored["image"] == live["image"]


@pytest.mark.tasks
def test_ninjs_associates_the_image_as_a_picture(api, brief_with_image):
    item = api.get(f"{detail(brief_with_image)}ninjs/").json()
    (association,) = item["associations"]
    assert association["type"] == "picture"
    assert association["name"] == "leadimage"
    assert association["uri"].startswith("http://")
    assert association["by"] == "Photo: Example Wire"
    assert association["copyrightnotice"] == "Photo: Example Wire"
    alt = {
        "role": "alternative",
        "contenttype": "text/plain",
        "value": "Delegates in the hall.",
    }
    assert alt in association["descriptions"]
    widths = sorted((r["contenttype"], r["width"]) for r in association["renditions"])
    assert widths[0] == ("image/jpeg", 480)
    assert ("image/webp", 1200) in widths


def test_ninjs_association_holds_only_what_ninjs_2_allows(api, brief_with_image):
    item = api.get(f"{detail(brief_with_image)}ninjs/").json()
    (association,) = item["associations"]
    assert set(association) - {"name"} <= NINJS_ITEM_PROPERTIES
    for rendition in association["renditions"]:
        assert "name" in rendition
        assert set(rendition) <= NINJS_RENDITION_PROPERTIES
    for description in association["descriptions"]:
        assert set(description) <= {"role", "contenttype", "value"}


def test_ninjs_names_the_original_until_renditions_are_made(api, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    brief = BriefFactory(published=True)
    services.lead_image_save(
        brief=brief, image=upload(image_bytes(300, 200)), alt="A hall."
    )
    lead = LeadImage.objects.get(brief=brief)
    item = api.get(f"{detail(brief)}ninjs/").json()
    (rendition,) = item["associations"][0]["renditions"]
    assert rendition["href"].endswith(lead.file.name)
    assert (rendition["width"], rendition["height"]) == (300, 200)
    assert rendition["contenttype"] == "image/jpeg"


def test_ninjs_of_a_brief_without_an_image_has_no_associations(api):
    brief = BriefFactory(published=True)
    assert "associations" not in api.get(f"{detail(brief)}ninjs/").json()


def test_the_image_cannot_be_written_through_the_api_and_the_answer_says_where(
    editor_api,
):
    brief = BriefFactory()
    response = editor_api.patch(
        detail(brief),
        {"image": None},
        format="json",
        **if_match(editor_api, detail(brief)),
    )
    assert response.status_code == 400
    assert "uploaded in the admin" in response.json()["image"][0]

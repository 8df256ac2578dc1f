"""Lost updates refused: an update of a brief must say which version it edits."""

import pytest

from tests import factories

LIST = "/api/v1/briefs/"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_update_without_if_match_is_a_428_saying_how(writer_api, method):
    brief = factories.BriefFactory(title="Original title")

    response = getattr(writer_api, method)(
        f"{LIST}{brief.slug}/", {"title": "Mine"}, format="json"
    )

    assert response.status_code == 428
    assert "ETag" in response.json()["detail"]
    assert "If-Match" in response.json()["detail"]
    brief.refresh_from_db()
    assert brief.title == "Original title"


@pytest.mark.django_db
def test_an_update_with_the_current_etag_is_saved(writer_api):
    brief = factories.BriefFactory(title="Original title")
    etag = writer_api.get(f"{LIST}{brief.slug}/")["ETag"]

    response = writer_api.patch(
        f"{LIST}{brief.slug}/", {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_setting_lets_trusted_clients_update_without_if_match(writer_api, settings):
    settings.API_REQUIRE_IF_MATCH = False
    brief = factories.BriefFactory(title="Original title")

    response = writer_api.patch(
        f"{LIST}{brief.slug}/", {"title": "Mine"}, format="json"
    )

    assert response.status_code == 200

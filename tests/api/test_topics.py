import pytest

from briefs.models import Topic
from tests import factories

LIST = "/api/v1/topics/"


def public_topic(**kwargs):
    """A topic with a published brief filed under it, so readers see it."""
    topic = factories.TopicFactory(**kwargs)
    factories.BriefFactory(published=True, topics=[topic])
    return topic


@pytest.mark.django_db
def test_topics_are_listed_by_name(api):
    public_topic(name="Ukraine", slug="ukraine")
    public_topic(name="Gaza", slug="gaza")

    results = api.get(LIST).json()["results"]

    assert [t["slug"] for t in results] == ["gaza", "ukraine"]
    assert results[0]["url"].endswith("/topics/gaza/")


@pytest.mark.django_db
def test_topic_detail_by_slug_with_etag(api):
    public_topic(name="Gaza", slug="gaza")

    response = api.get(f"{LIST}gaza/")

    assert response.json()["name"] == "Gaza"
    assert (
        api.get(f"{LIST}gaza/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    )
    assert api.get(f"{LIST}nowhere/").status_code == 404


@pytest.mark.django_db
def test_topic_pages_follow_next(api):
    for _ in range(5):
        public_topic()
    seen, response = [], api.get(LIST, {"page_size": 2})
    while True:
        seen += [t["slug"] for t in response.json()["results"]]
        if not response.json()["next"]:
            break
        response = api.get(response.json()["next"])

    assert sorted(seen) == sorted(Topic.objects.values_list("slug", flat=True))


@pytest.mark.django_db
def test_a_topic_of_unpublished_briefs_only_is_hidden_from_readers(
    api, reader_api, editor_api
):
    embargoed = factories.TopicFactory(name="Embargoed story", slug="embargoed")
    factories.BriefFactory(topics=[embargoed])
    public_topic(slug="public")

    for client in (api, reader_api):
        slugs = [t["slug"] for t in client.get(LIST).json()["results"]]
        assert slugs == ["public"]
        assert client.get(f"{LIST}embargoed/").status_code == 404
    assert editor_api.get(f"{LIST}embargoed/").status_code == 200


@pytest.mark.django_db
def test_editor_creates_a_topic_and_anonymous_cannot(editor_api, api):
    data = {"name": "Sudan", "slug": "sudan"}

    assert api.post(LIST, data, format="json").status_code == 401
    assert editor_api.post(LIST, data, format="json").status_code == 201
    assert Topic.objects.filter(slug="sudan").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("client_name", "create", "update", "delete"),
    [
        ("api", 401, 401, 401),
        ("reader_api", 403, 403, 403),
        # What live briefs show changes through their drafts (docs/editors).
        ("writer_api", 201, 403, 403),
        ("editor_api", 201, 200, 204),
    ],
)
def test_topic_permission_matrix(request, client_name, create, update, delete):
    client = request.getfixturevalue(client_name)
    public_topic(name="Gaza", slug="gaza")

    assert client.get(f"{LIST}gaza/").status_code == 200
    new = {"name": "Sudan", "slug": "sudan"}
    assert client.post(LIST, new, format="json").status_code == create
    renamed = client.patch(f"{LIST}gaza/", {"name": "Gaza Strip"}, format="json")
    assert renamed.status_code == update
    assert client.delete(f"{LIST}gaza/").status_code == delete

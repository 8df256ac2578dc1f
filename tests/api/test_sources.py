import pytest

from briefs.models import Source
from tests import factories
from tests.api.conftest import published_brief

LIST = "/api/v1/sources/"


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def cited_by_bullet(brief, source):
    section = factories.SectionFactory(brief=brief)
    factories.BulletFactory(section=section, sources=[source])


@pytest.mark.django_db
def test_list_shows_sources_cited_by_published_briefs_or_their_bullets(api):
    by_brief = factories.SourceFactory(title="A")
    by_bullet = factories.SourceFactory(title="B")
    by_draft = factories.SourceFactory(title="C")
    factories.SourceFactory(title="D, cited by nobody")
    live = published_brief()
    live.sources.add(by_brief)
    cited_by_bullet(live, by_bullet)
    draft = factories.BriefFactory()
    draft.sources.add(by_draft)
    cited_by_bullet(draft, by_draft)

    assert ids(api.get(LIST)) == [by_brief.pk, by_bullet.pk]
    assert api.get(f"{LIST}{by_draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_staff_see_every_source(writer_api):
    factories.SourceFactory.create_batch(2)

    assert len(ids(writer_api.get(LIST))) == 2


@pytest.mark.django_db
def test_source_representation(api):
    source = factories.SourceFactory(
        url="https://example.org/report", title="Report", publisher="Example Wire"
    )
    published_brief().sources.add(source)

    data = api.get(f"{LIST}{source.pk}/").json()

    assert data == {
        "id": source.pk,
        "url": "https://example.org/report",
        "title": "Report",
        "publisher": "Example Wire",
        "published_on": None,
        "accessed_on": None,
    }


@pytest.mark.django_db
def test_filter_by_publisher(api):
    brief = published_brief()
    un = factories.SourceFactory(publisher="United Nations")
    brief.sources.add(un, factories.SourceFactory(publisher="Example Wire"))

    assert ids(api.get(LIST, {"publisher": "united nations"})) == [un.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"ordering": "url"}, {"page_size": "-3"}])
def test_bad_source_parameters_are_400s(api, params):
    response = api.get(LIST, params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 40])
def test_source_list_query_count_is_constant(api, count, django_assert_num_queries):
    brief = published_brief()
    brief.sources.add(*factories.SourceFactory.create_batch(count))

    with django_assert_num_queries(1):
        response = api.get(LIST, {"page_size": 100})

    assert len(response.json()["results"]) == count


@pytest.mark.django_db
def test_writer_adds_a_source_and_anonymous_cannot(writer_api, api):
    data = {"url": "https://example.org/new", "title": "New record"}

    assert api.post(LIST, data, format="json").status_code == 401
    assert writer_api.post(LIST, data, format="json").status_code == 201
    assert Source.objects.get().title == "New record"


@pytest.mark.django_db
def test_duplicate_source_url_is_a_field_error(writer_api):
    factories.SourceFactory(url="https://example.org/taken")

    response = writer_api.post(
        LIST, {"url": "https://example.org/taken", "title": "Again"}, format="json"
    )

    assert response.status_code == 400
    assert "url" in response.json()


@pytest.mark.django_db
def test_ordering_sources(api):
    brief = published_brief()
    b = factories.SourceFactory(title="Bravo")
    a = factories.SourceFactory(title="Alpha")
    brief.sources.add(a, b)

    assert ids(api.get(LIST)) == [a.pk, b.pk]
    assert ids(api.get(LIST, {"ordering": "-title"})) == [b.pk, a.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("client_name", "read", "create", "update", "delete"),
    [
        ("api", 200, 401, 401, 401),
        ("reader_api", 200, 403, 403, 403),
        # What live briefs show changes through their drafts (docs/editors).
        ("writer_api", 200, 201, 403, 403),
        ("editor_api", 200, 201, 200, 204),
    ],
)
def test_source_permission_matrix(request, client_name, read, create, update, delete):
    client = request.getfixturevalue(client_name)
    source = factories.SourceFactory()
    published_brief().sources.add(source)
    url = f"{LIST}{source.pk}/"

    assert client.get(url).status_code == read
    new = {"url": "https://example.org/another", "title": "Another"}
    assert client.post(LIST, new, format="json").status_code == create
    assert client.patch(url, {"title": "Renamed"}, format="json").status_code == update
    assert client.delete(url).status_code == delete


@pytest.mark.django_db
def test_writing_a_source_id_is_a_400_naming_it(editor_api):
    source = factories.SourceFactory(title="Kept title")

    response = editor_api.patch(
        f"{LIST}{source.pk}/", {"id": 5, "title": "New"}, format="json"
    )

    assert response.status_code == 400
    assert "read-only" in response.json()["id"][0]
    assert Source.objects.get(pk=source.pk).title == "Kept title"


@pytest.mark.django_db
def test_writing_a_topic_url_is_a_400_naming_it(editor_api):
    topic = factories.TopicFactory(name="Kept")

    response = editor_api.patch(
        f"/api/v1/topics/{topic.slug}/",
        {"url": "https://example.org/", "name": "New"},
        format="json",
    )

    assert response.status_code == 400
    assert "read-only" in response.json()["url"][0]
    topic.refresh_from_db()
    assert topic.name == "Kept"

import csv
import datetime
import io

import pytest

from briefs.models import Vote, VotePosition
from tests import factories
from tests.api.conftest import full_positions, published_brief

LIST = "/api/v1/votes/"


def detail(vote):
    return f"/api/v1/votes/{vote.pk}/"


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def cited(vote, **kwargs):
    """Return `vote`, reported by a published brief."""
    published_brief(**kwargs).votes.add(vote)
    return vote


# Representation and visibility ---------------------------------------------


@pytest.mark.django_db
def test_list_shows_counts_outcome_body_symbol_and_date(api):
    vote = cited(factories.VoteFactory(symbol="A/ES-11/L.10"))

    row = api.get(LIST).json()["results"][0]

    assert row["id"] == vote.pk
    assert (row["yes"], row["no"], row["abstain"]) == (93, 18, 65)
    assert row["outcome"] == "adopted"
    assert row["body"]["slug"] == "un-general-assembly"
    assert row["body"]["seats"] == 193
    assert row["symbol"] == "A/ES-11/L.10"
    assert row["date"] == "2025-02-24"


@pytest.mark.django_db
def test_detail_has_positions_and_only_published_citing_briefs(api):
    vote = factories.VoteFactory()
    full_positions(vote, 93, 18, 65)
    live = published_brief()
    live.votes.add(vote)
    factories.BriefFactory(title="A draft that also reports it").votes.add(vote)

    data = api.get(detail(vote)).json()

    assert len(data["positions"]) == 193
    assert set(data["positions"][0]) == {"member_code", "member_name", "position"}
    assert [b["slug"] for b in data["briefs"]] == [live.slug]


@pytest.mark.django_db
def test_votes_cited_only_by_drafts_are_hidden_from_readers(api, reader_api):
    shown = cited(factories.VoteFactory())
    hidden = factories.VoteFactory()
    factories.BriefFactory().votes.add(hidden)

    for client in (api, reader_api):
        assert ids(client.get(LIST)) == [shown.pk]
        assert client.get(detail(hidden)).status_code == 404


@pytest.mark.django_db
def test_staff_see_every_vote_and_every_citing_brief(writer_api):
    vote = factories.VoteFactory()
    draft = factories.BriefFactory()
    draft.votes.add(vote)

    assert ids(writer_api.get(LIST)) == [vote.pk]
    assert [b["slug"] for b in writer_api.get(detail(vote)).json()["briefs"]] == [
        draft.slug
    ]


# Filters --------------------------------------------------------------------


@pytest.mark.django_db
def test_filter_by_body_and_outcome(api):
    assembly = cited(factories.VoteFactory())
    council = cited(factories.VoteFactory(council=True))
    rejected = cited(
        factories.VoteFactory(yes=40, no=52, abstain=10, outcome="rejected")
    )

    assert ids(api.get(LIST, {"body": "un-security-council"})) == [council.pk]
    assert ids(api.get(LIST, {"outcome": "rejected"})) == [rejected.pk]
    assert set(ids(api.get(LIST, {"outcome": "adopted"}))) == {assembly.pk, council.pk}


@pytest.mark.django_db
def test_filter_by_date_range(api):
    old = cited(factories.VoteFactory(date=datetime.date(2023, 1, 10)))
    new = cited(factories.VoteFactory(date=datetime.date(2025, 3, 1)))

    assert ids(api.get(LIST, {"date_after": "2024-01-01"})) == [new.pk]
    assert ids(api.get(LIST, {"date_before": "2024-01-01"})) == [old.pk]
    assert ids(api.get(LIST, {"ordering": "date"})) == [old.pk, new.pk]


@pytest.mark.django_db
def test_filter_by_member_position(api):
    against = cited(factories.VoteFactory())
    VotePosition.objects.create(
        vote=against, member_code="USA", member_name="United States", position="no"
    )
    in_favour = cited(factories.VoteFactory())
    VotePosition.objects.create(
        vote=in_favour, member_code="USA", member_name="United States", position="yes"
    )
    cited(factories.VoteFactory())

    assert ids(api.get(LIST, {"member": "USA", "position": "no"})) == [against.pk]
    assert set(ids(api.get(LIST, {"member": "usa"}))) == {against.pk, in_favour.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"body": "un-trusteeship-council"},
        {"outcome": "postponed"},
        {"date_after": "24/02/2025"},
        {"date_before": "yesterday"},
        {"member": "!!"},
        {"position": "no"},
        {"member": "USA", "position": "maybe"},
        {"ordering": "yes"},
    ],
)
def test_bad_filter_values_are_400s_naming_the_parameter(api, params):
    response = api.get(LIST, params)

    assert response.status_code == 400
    assert set(response.json()) <= set(params)
    assert response.json()


# Pagination and query counts ------------------------------------------------


@pytest.mark.django_db
def test_pages_of_votes_cover_every_vote_once_including_undated(api):
    votes = [cited(factories.VoteFactory()) for _ in range(3)]
    votes += [cited(factories.VoteFactory(date=None)) for _ in range(2)]
    seen, response = [], api.get(LIST, {"page_size": 2})
    while True:
        seen += ids(response)
        if not response.json()["next"]:
            break
        response = api.get(response.json()["next"])

    assert sorted(seen) == sorted(v.pk for v in votes)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_vote_detail_query_count_is_constant(api, count, django_assert_num_queries):
    vote = factories.VoteFactory()
    full_positions(vote, 93, 18, 65)
    for _ in range(count):
        published_brief().votes.add(vote)

    # Vote with body; positions; citing briefs.
    with django_assert_num_queries(3):
        response = api.get(detail(vote))

    assert len(response.json()["briefs"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 30])
def test_vote_list_query_count_is_constant(api, count, django_assert_num_queries):
    brief = published_brief()
    for _ in range(count):
        brief.votes.add(factories.VoteFactory())

    with django_assert_num_queries(1):
        response = api.get(LIST, {"page_size": 100})

    assert len(response.json()["results"]) == count


# CSV ------------------------------------------------------------------------


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_csv_has_one_row_per_vote_with_un_column_names(api):
    cited(factories.VoteFactory(symbol="A/ES-11/L.10"))

    response = api.get(LIST, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    (row,) = rows(response)
    assert row["symbol"] == "A/ES-11/L.10"
    assert row["total_yes"] == "93"
    assert row["total_no"] == "18"
    assert row["total_abstentions"] == "65"
    assert row["total_non_voting"] == "17"
    assert row["total_ms"] == "193"


@pytest.mark.django_db
def test_csv_with_members_has_one_row_per_position(api):
    vote = cited(factories.VoteFactory())
    full_positions(vote, 93, 18, 65)

    lines = rows(api.get(LIST, {"format": "csv", "members": "1"}))

    assert len(lines) == 193
    assert {line["ms_vote"] for line in lines} == {"Y", "N", "A", ""}
    assert sum(line["ms_vote"] == "" for line in lines) == 17
    assert lines[0]["ms_code"].startswith("M")


@pytest.mark.django_db
def test_csv_is_filtered_and_hides_unpublished_votes(api):
    shown = cited(factories.VoteFactory(council=True))
    cited(factories.VoteFactory())
    factories.BriefFactory().votes.add(factories.VoteFactory(council=True))

    lines = rows(api.get(LIST, {"format": "csv", "body": "un-security-council"}))

    assert [line["id"] for line in lines] == [str(shown.pk)]


@pytest.mark.django_db
def test_csv_with_a_bad_filter_answers_a_json_400(api):
    response = api.get(LIST, {"format": "csv", "date_after": "soon"})

    assert response.status_code == 400
    assert response.json() == {"date_after": ["Enter a valid date."]}


# Writes ---------------------------------------------------------------------


def council_payload(**overrides):
    data = {
        "body": "un-security-council",
        "title": "Draft demanding a ceasefire",
        "symbol": "S/2024/173",
        "date": "2024-02-20",
        "yes": 13,
        "no": 1,
        "abstain": 1,
        "not_voting": 0,
        "outcome": "vetoed",
        "positions": [
            {"member_code": "USA", "member_name": "United States", "position": "no"},
            {
                "member_code": "GBR",
                "member_name": "United Kingdom",
                "position": "abstain",
            },
        ],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_writer_records_a_vote_with_positions(writer_api):
    response = writer_api.post(LIST, council_payload(), format="json")

    assert response.status_code == 201, response.json()
    vote = Vote.objects.get()
    assert vote.outcome == "vetoed"
    assert sorted(vote.positions.values_list("member_code", flat=True)) == [
        "GBR",
        "USA",
    ]


@pytest.mark.django_db
def test_vote_whose_outcome_breaks_the_body_rule_is_refused_with_a_field_error(
    writer_api,
):
    # A permanent member voted no: the measure was vetoed, not adopted.
    response = writer_api.post(LIST, council_payload(outcome="adopted"), format="json")

    assert response.status_code == 400
    assert "outcome" in response.json()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_counts_beyond_the_seats_are_a_non_field_error(writer_api):
    response = writer_api.post(
        LIST, council_payload(yes=14, positions=[]), format="json"
    )

    assert response.status_code == 400
    assert "15 seats" in response.json()["non_field_errors"][0]


@pytest.mark.django_db
def test_positions_that_disagree_with_the_counts_are_a_field_error(writer_api):
    positions = [
        {"member_code": f"M{n:02d}", "member_name": f"M {n}", "position": "no"}
        for n in range(3)
    ]

    response = writer_api.post(
        LIST,
        council_payload(
            outcome="rejected", yes=5, no=2, abstain=8, positions=positions
        ),
        format="json",
    )

    assert response.status_code == 400
    assert "no" in response.json()


@pytest.mark.django_db
def test_update_replaces_positions_and_rechecks_the_rules(writer_api):
    vote = factories.VoteFactory(council=True)
    VotePosition.objects.create(
        vote=vote, member_code="FRA", member_name="France", position="abstain"
    )

    refused = writer_api.patch(
        detail(vote),
        {
            "positions": [
                {"member_code": "FRA", "member_name": "France", "position": "no"}
            ]
        },
        format="json",
    )
    accepted = writer_api.patch(
        detail(vote),
        {
            "positions": [
                {"member_code": "CHN", "member_name": "China", "position": "yes"}
            ]
        },
        format="json",
    )

    assert refused.status_code == 400
    assert accepted.status_code == 200, accepted.json()
    assert list(vote.positions.values_list("member_code", flat=True)) == ["CHN"]


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
def test_vote_permission_matrix(request, client_name, create, update, delete):
    client = request.getfixturevalue(client_name)
    vote = cited(factories.VoteFactory())

    assert client.get(detail(vote)).status_code == 200
    assert client.post(LIST, council_payload(), format="json").status_code == create
    renamed = client.patch(detail(vote), {"title": "Renamed"}, format="json")
    assert renamed.status_code == update
    assert client.delete(detail(vote)).status_code == delete


@pytest.mark.django_db
def test_filter_by_symbol(api):
    vote = cited(factories.VoteFactory(symbol="A/ES-11/L.10"))
    cited(factories.VoteFactory())

    assert ids(api.get(LIST, {"symbol": "a/es-11/l.10"})) == [vote.pk]


@pytest.mark.django_db
def test_vote_detail_answers_304_to_its_etag(api):
    vote = cited(factories.VoteFactory())
    etag = api.get(detail(vote))["ETag"]

    assert api.get(detail(vote), HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
def test_stale_if_match_on_a_vote_is_a_412(writer_api):
    vote = factories.VoteFactory(title="Original")
    etag = writer_api.get(detail(vote))["ETag"]
    Vote.objects.filter(pk=vote.pk).update(title="Changed by someone else")

    response = writer_api.patch(
        detail(vote), {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag
    )

    assert response.status_code == 412
    assert Vote.objects.get(pk=vote.pk).title == "Changed by someone else"


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 5])
def test_csv_with_members_query_count_is_constant(
    api, count, django_assert_num_queries
):
    brief = published_brief()
    for _ in range(count):
        vote = factories.VoteFactory()
        full_positions(vote, 93, 18, 65)
        brief.votes.add(vote)

    # Votes with bodies, then their positions.
    with django_assert_num_queries(2):
        response = api.get(LIST, {"format": "csv", "members": "1"})

    assert len(rows(response)) == count * 193


@pytest.mark.django_db
def test_csv_comes_in_pages_linked_by_the_link_header(api):
    votes = [cited(factories.VoteFactory()) for _ in range(5)]

    first = api.get(LIST, {"format": "csv", "page_size": 3})
    next_url = first["Link"].removeprefix("<").split(">;")[0]
    second = api.get(next_url)

    assert first["Link"].endswith('>; rel="next"')
    assert "format=csv" in next_url
    assert len(rows(first)) == 3
    assert second["Link"].endswith('>; rel="prev"')
    assert "next" not in second["Link"]
    ids = [line["id"] for line in rows(first) + rows(second)]
    assert sorted(ids) == sorted(str(vote.pk) for vote in votes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "hint"),
    [
        ({"id": 99}, "id", "read-only"),
        ({"briefs": []}, "briefs", "votes"),
        ({"api_url": "http://x/"}, "api_url", "read-only"),
        ({"turnout": 5}, "turnout", "unknown field"),
        (
            {"positions": [{"member_code": "FRA", "position": "no", "id": 3}]},
            "positions",
            "unknown field",
        ),
    ],
)
def test_writing_a_field_clients_may_not_set_is_a_400_naming_it(
    writer_api, data, field, hint
):
    vote = factories.VoteFactory(title="Kept title")

    response = writer_api.patch(
        detail(vote), {"title": "New title", **data}, format="json"
    )

    assert response.status_code == 400
    assert hint in str(response.json()[field]).lower()
    assert Vote.objects.get(pk=vote.pk).title == "Kept title"

"""Bodies in the API: each vote's body as an object, and /api/v1/bodies/."""

import csv
import io

import pytest

from briefs.models import Body
from tests import factories
from tests.api.conftest import published_brief

BODIES = "/api/v1/bodies/"
VOTES = "/api/v1/votes/"


def chamber(**fields):
    fields = {"name": "State Senate", "slug": "state-senate", **fields}
    return Body.objects.create(**fields)


def cited_vote(body, **fields):
    vote = factories.VoteFactory(body=body, **fields)
    published_brief().votes.add(vote)
    return vote


@pytest.mark.django_db
def test_a_votes_body_is_an_object_with_its_rule_in_words(api):
    senate = chamber(kind="parliament", seats=100, share="three_fifths")
    cited_vote(senate, yes=60, no=40, abstain=0)

    [row] = api.get(VOTES).json()["results"]

    assert row["body"] == {
        "slug": "state-senate",
        "name": "State Senate",
        "kind": "parliament",
        "seats": 100,
        "rule": "three fifths of votes cast",
    }


@pytest.mark.django_db
def test_a_body_without_seats_shows_null(api):
    cited_vote(chamber(kind="shareholders"), yes=4_000_000_000, no=1, abstain=0)

    [row] = api.get(VOTES).json()["results"]

    assert row["body"]["seats"] is None
    assert row["body"]["rule"] == "rule not recorded"
    assert row["yes"] == 4_000_000_000


@pytest.mark.django_db
def test_bodies_list_and_detail(api):
    council = Body.objects.get(slug="un-security-council")
    cited_vote(council, council=True)

    listed = api.get(BODIES).json()["results"]
    data = api.get(f"{BODIES}un-security-council/").json()

    assert [b["slug"] for b in listed] == ["un-security-council"]
    assert data["veto_holders"] == ["CHN", "FRA", "GBR", "RUS", "USA"]
    assert (data["share"], data["min_yes"], data["rule"]) == (
        "fixed",
        9,
        "at least 9 yes",
    )
    assert "Security Council" in data["aliases"]


@pytest.mark.django_db
def test_a_body_only_a_draft_names_is_hidden_from_readers(api, writer_api):
    secret = chamber(name="Shareholders of Quiet Merger Co", slug="quiet")
    factories.BriefFactory().votes.add(
        factories.VoteFactory(body=secret, yes=5, no=1, abstain=0)
    )

    assert api.get(f"{BODIES}quiet/").status_code == 404
    assert "quiet" not in [b["slug"] for b in api.get(BODIES).json()["results"]]
    assert api.get(VOTES, {"body": "quiet"}).status_code == 400
    assert writer_api.get(f"{BODIES}quiet/").status_code == 200


@pytest.mark.django_db
def test_the_votes_filter_takes_any_bodys_slug(api):
    senate = chamber()
    shown = cited_vote(senate, yes=60, no=40, abstain=0)
    cited_vote(Body.objects.get(slug="un-general-assembly"))

    results = api.get(VOTES, {"body": "state-senate"}).json()["results"]

    assert [row["id"] for row in results] == [shown.pk]


@pytest.mark.django_db
def test_csv_leaves_total_ms_empty_where_seats_are_unknown(api):
    cited_vote(chamber(), yes=60, no=40, abstain=0)

    [row] = list(
        csv.DictReader(io.StringIO(api.get(VOTES, {"format": "csv"}).content.decode()))
    )

    assert (row["body"], row["total_yes"], row["total_ms"]) == (
        "state-senate",
        "60",
        "",
    )
    assert row["total_non_voting"] == ""


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_bodies_list_query_count_is_constant(api, count, django_assert_num_queries):
    for number in range(count):
        cited_vote(
            chamber(name=f"Board {number}", slug=f"board-{number}"),
            yes=3,
            no=1,
            abstain=0,
        )

    # Bodies; their veto holders.
    with django_assert_num_queries(2):
        response = api.get(BODIES, {"page_size": 100})

    assert len(response.json()["results"]) == count

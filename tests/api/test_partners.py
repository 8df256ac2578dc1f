"""Partners: permanent ids, embargoes and tombstones through the API."""

import base64
import datetime
import json

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from briefs import services
from briefs.models import Withdrawal
from tests import factories
from tests.api.conftest import brief_with_content, client_for

LIST = "/api/v1/briefs/"
START = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def partner_api(db):
    return client_for(factories.UserFactory(username="partner", partner=True))


def embargoed_brief(until=None):
    brief = brief_with_content(sections=1, bullets=1, votes=0)
    until = until or timezone.now() + datetime.timedelta(hours=3)
    return services.brief_update(brief=brief, fields={"embargo_until": until})


def sync(client, since, **params):
    query = {
        "updated_after": since.isoformat(),
        "ordering": "updated_at",
        "include_withdrawn": "1",
        **params,
    }
    return client.get(LIST, query)


@pytest.mark.django_db
def test_migrate_makes_a_partners_group_that_may_syndicate_and_subscribe_only():
    group = Group.objects.get(name="Partners")

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert codenames == {"syndicate_brief", "manage_webhook"}


@pytest.mark.django_db
def test_every_brief_has_a_distinct_uuid_shown_as_its_api_id(api):
    first = brief_with_content(votes=0)
    second = brief_with_content(votes=0)

    ids = [item["id"] for item in api.get(LIST).json()["results"]]

    assert first.uuid != second.uuid
    assert sorted(ids) == sorted([str(first.uuid), str(second.uuid)])


@pytest.mark.django_db
def test_the_detail_answers_by_uuid_as_by_slug(api):
    brief = brief_with_content(votes=0)

    by_slug = api.get(f"{LIST}{brief.slug}/")
    by_uuid = api.get(f"{LIST}{brief.uuid}/")

    assert by_uuid.status_code == 200
    assert by_uuid.json() == by_slug.json()
    assert by_uuid.json()["id"] == str(brief.uuid)


@pytest.mark.django_db
def test_ninjs_answers_by_uuid(api):
    brief = brief_with_content(votes=0)

    data = api.get(f"{LIST}{brief.uuid}/ninjs/").json()

    assert data["uri"] == brief.uuid.urn


@pytest.mark.django_db
def test_a_partner_sees_an_embargoed_brief_with_its_embargo(partner_api):
    brief = embargoed_brief()

    listed = partner_api.get(LIST).json()["results"]
    detail = partner_api.get(f"{LIST}{brief.slug}/").json()
    ninjs = partner_api.get(f"{LIST}{brief.uuid}/ninjs/").json()

    assert [item["id"] for item in listed] == [str(brief.uuid)]
    assert detail["embargo_until"] == brief.embargo_until.isoformat().replace(
        "+00:00", "Z"
    )
    assert ninjs["embargoed"] == brief.embargo_until.isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["api", "reader_api", "writer_api"])
def test_only_partners_and_staff_see_an_embargoed_brief(who, request):
    client = request.getfixturevalue(who)
    brief = embargoed_brief()

    listed = client.get(LIST).json()["results"]
    detail = client.get(f"{LIST}{brief.uuid}/")
    ninjs = client.get(f"{LIST}{brief.uuid}/ninjs/")

    if who == "writer_api":  # staff read it as they read drafts
        assert detail.status_code == 200
        assert ninjs.status_code == 200
    else:
        assert listed == []
        assert detail.status_code == 404
        assert ninjs.status_code == 404


@pytest.mark.django_db
def test_a_partner_never_sees_drafts(partner_api):
    draft = factories.BriefFactory()

    assert partner_api.get(LIST).json()["results"] == []
    assert partner_api.get(f"{LIST}{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_the_embargo_lifts_for_readers_at_its_time_without_a_job(api):
    with time_machine.travel(START, tick=False) as clock:
        brief = embargoed_brief(until=START + datetime.timedelta(hours=1))
        assert api.get(f"{LIST}{brief.slug}/").status_code == 404

        clock.move_to(START + datetime.timedelta(hours=1))

        assert api.get(f"{LIST}{brief.slug}/").status_code == 200
        assert api.get(LIST).json()["results"][0]["id"] == str(brief.uuid)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["return_to_draft", "archive", "delete"])
def test_a_brief_withdrawn_after_t_syncs_as_a_tombstone(action, partner_api, editor):
    with time_machine.travel(START, tick=False) as clock:
        brief = brief_with_content(votes=0)
        uuid, slug = brief.uuid, brief.slug
        clock.shift(datetime.timedelta(hours=1))
        since = timezone.now()
        clock.shift(datetime.timedelta(minutes=5))
        if action == "delete":
            services.brief_delete(brief=brief, user=editor)
        else:
            services.brief_transition(brief=brief, action=action, user=editor)

        results = sync(partner_api, since).json()["results"]

    assert results == [
        {
            "id": str(uuid),
            "slug": slug,
            "status": "withdrawn",
            "withdrawn_at": "2026-05-04T10:05:00Z",
        }
    ]


@pytest.mark.django_db
def test_a_brief_withdrawn_before_t_is_not_synced(partner_api, editor):
    with time_machine.travel(START, tick=False) as clock:
        brief = brief_with_content(votes=0)
        services.brief_transition(brief=brief, action="archive", user=editor)
        clock.shift(datetime.timedelta(hours=1))

        results = sync(partner_api, timezone.now()).json()["results"]

    assert results == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["api", "reader_api"])
def test_ordinary_readers_never_see_tombstones(who, request, editor):
    client = request.getfixturevalue(who)
    brief = brief_with_content(votes=0)
    services.brief_transition(brief=brief, action="archive", user=editor)

    answer = sync(client, START)

    assert answer.status_code == 200
    assert answer.json()["results"] == []


@pytest.mark.django_db
def test_tombstones_need_the_updated_at_ordering(partner_api):
    answer = partner_api.get(LIST, {"include_withdrawn": "1"})

    assert answer.status_code == 400
    assert "include_withdrawn" in answer.json()


@pytest.mark.django_db
def test_a_bad_include_withdrawn_value_is_a_400(partner_api):
    answer = partner_api.get(LIST, {"include_withdrawn": "perhaps"})

    assert answer.status_code == 400


@pytest.mark.django_db
def test_republishing_clears_the_tombstone(partner_api, editor):
    brief = brief_with_content(votes=0)
    services.brief_transition(brief=brief, action="archive", user=editor)
    services.brief_transition(brief=brief, action="publish", user=editor)

    results = sync(partner_api, START).json()["results"]

    assert not Withdrawal.objects.exists()
    assert [item["status"] for item in results] == ["published"]


@pytest.mark.django_db
def test_a_never_published_brief_leaves_no_tombstone(editor):
    draft = factories.BriefFactory()

    services.brief_delete(brief=draft, user=editor)

    assert not Withdrawal.objects.exists()


@pytest.mark.django_db
def test_a_sync_pages_briefs_and_tombstones_in_order_of_change(partner_api, editor):
    with time_machine.travel(START, tick=False) as clock:
        briefs = [brief_with_content(votes=0) for _ in range(4)]
        expected = []
        for index, brief in enumerate(briefs):
            clock.shift(datetime.timedelta(minutes=1))
            if index % 2:
                services.brief_transition(brief=brief, action="archive", user=editor)
                expected.append(("withdrawn", str(brief.uuid)))
            else:
                services.brief_update(brief=brief, fields={"title": f"New {index}"})
                expected.append(("published", str(brief.uuid)))

        seen = []
        answer = sync(partner_api, START, page_size="1").json()
        while True:
            seen += [(item["status"], item["id"]) for item in answer["results"]]
            if answer["next"] is None:
                break
            answer = partner_api.get(answer["next"]).json()

    assert seen == expected


@pytest.mark.django_db
def test_a_sync_walks_back_through_its_previous_links(partner_api, editor):
    with time_machine.travel(START, tick=False) as clock:
        for index, brief in enumerate(brief_with_content(votes=0) for _ in range(4)):
            clock.shift(datetime.timedelta(minutes=1))
            if index % 2:
                services.brief_transition(brief=brief, action="archive", user=editor)
            else:
                services.brief_update(brief=brief, fields={"title": f"New {index}"})
        pages = [sync(partner_api, START, page_size="1").json()]
        while pages[-1]["next"] is not None:
            pages.append(partner_api.get(pages[-1]["next"]).json())

        back = [pages[-1]]
        while back[-1]["previous"] is not None:
            back.append(partner_api.get(back[-1]["previous"]).json())

    assert pages[0]["previous"] is None
    assert [page["results"] for page in reversed(back)] == [
        page["results"] for page in pages
    ]


@pytest.mark.django_db
def test_ninjs_of_a_withdrawn_brief_is_canceled_for_partners(api, partner_api, editor):
    brief = brief_with_content(votes=0)
    uuid = brief.uuid
    services.brief_delete(brief=brief, user=editor)

    ninjs = partner_api.get(f"{LIST}{uuid}/ninjs/")

    assert ninjs.status_code == 200
    assert ninjs.json()["pubstatus"] == "canceled"
    assert ninjs.json()["uri"] == uuid.urn
    assert api.get(f"{LIST}{uuid}/ninjs/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_a_sync_page_costs_the_same_whatever_its_size(
    count, partner_api, editor, django_assert_max_num_queries
):
    for index in range(count):
        brief = factories.BriefFactory(
            published=True, topics=[factories.TopicFactory()]
        )
        if index % 2:
            services.brief_transition(brief=brief, action="archive", user=editor)

    with django_assert_max_num_queries(7):
        answer = sync(partner_api, START - datetime.timedelta(days=400))

    assert len(answer.json()["results"]) == count


def cursor(**data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode("ascii")


@pytest.mark.parametrize(
    "value",
    [
        "not base64!",
        base64.urlsafe_b64encode(b"not json").decode(),
        cursor(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        cursor(k="updated_at", v="2026-05-04T09:00:00+00:00", id=1),
        cursor(k="sync", v="2026-05-04T09:00:00+00:00", w=7, id=1),
        cursor(k="sync", v="not a time", w=0, id=1),
        cursor(k="sync", v="2026-05-04T09:00:00+00:00", w=0, id=2**63),
        cursor(k="sync", v="2026-05-04T09:00:00+00:00", w=0, id=1, d="x"),
    ],
    ids=[
        "not-base64",
        "not-json",
        "empty",
        "a-list",
        "another-sort",
        "unknown-kind",
        "bad-time",
        "id-out-of-range",
        "bad-direction",
    ],
)
def test_a_sync_cursor_that_was_tampered_with_is_a_400(partner_api, value):
    brief_with_content(votes=0)

    answer = sync(partner_api, START, cursor=value)

    assert answer.status_code == 400
    assert "cursor" in answer.json()


def test_a_sync_cursor_as_given_in_next_is_accepted(partner_api):
    for _ in range(3):
        brief_with_content(votes=0)

    first = sync(partner_api, START, page_size=2)
    answer = partner_api.get(first.json()["next"])

    assert answer.status_code == 200
    assert len(answer.json()["results"]) == 1

"""Who may move a brief through the workflow, from its page and in bulk."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from briefs.models import Brief
from tests.factories import UserFactory

from .conftest import change_url

ACTOR_KINDS = ("anonymous", "writer", "editor", "superuser")

# (action, status it starts from, status it reaches, who may do it)
MATRIX = [
    ("submit_for_review", "draft", "review", {"writer", "editor", "superuser"}),
    ("publish", "review", "published", {"editor", "superuser"}),
    ("publish", "draft", "published", {"editor", "superuser"}),
    ("archive", "published", "archived", {"editor", "superuser"}),
    ("return_to_draft", "review", "draft", {"writer", "editor", "superuser"}),
    ("return_to_draft", "published", "draft", {"editor", "superuser"}),
    ("return_to_draft", "archived", "draft", {"editor", "superuser"}),
]


def make_actor(kind):
    if kind == "writer":
        return UserFactory(username="writer", writer=True)
    if kind == "editor":
        return UserFactory(username="editor", editor=True)
    if kind == "superuser":
        return UserFactory(username="chief", is_superuser=True)
    return None


def brief_in(status, full_brief):
    if status != "draft":
        full_brief.status = status
        full_brief.published_at = timezone.now() - datetime.timedelta(hours=1)
        full_brief.first_published_at = full_brief.published_at
        full_brief.save()
    return full_brief


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ACTOR_KINDS)
@pytest.mark.parametrize(("action", "start", "target", "allowed"), MATRIX)
def test_transition_from_the_change_page_follows_the_permission_matrix(
    client, full_brief, kind, action, start, target, allowed
):
    brief = brief_in(start, full_brief)
    actor = make_actor(kind)
    if actor:
        client.force_login(actor)
    url = reverse("admin:briefs_brief_transition", args=[brief.pk, action])
    response = client.post(url)
    brief.refresh_from_db()
    assert response.status_code == 302
    if kind in allowed:
        assert brief.status == target
    else:
        assert brief.status == start
    if kind == "anonymous":
        assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ACTOR_KINDS)
@pytest.mark.parametrize(
    ("admin_action", "action", "start", "target", "allowed"),
    [
        ("submit_for_review", *MATRIX[0]),
        ("publish_now", *MATRIX[1]),
        ("archive", *MATRIX[3]),
        ("return_to_draft", *MATRIX[4]),
        ("return_to_draft", *MATRIX[5]),
    ],
)
def test_bulk_action_follows_the_permission_matrix(
    client, full_brief, kind, admin_action, action, start, target, allowed
):
    brief = brief_in(start, full_brief)
    actor = make_actor(kind)
    if actor:
        client.force_login(actor)
    client.post(
        reverse("admin:briefs_brief_changelist"),
        {"action": admin_action, "_selected_action": [brief.pk]},
    )
    brief.refresh_from_db()
    assert brief.status == (target if kind in allowed else start)


@pytest.mark.django_db
def test_writer_does_not_see_the_publish_and_archive_actions(client, writer):
    client.force_login(writer)
    response = client.get(reverse("admin:briefs_brief_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "submit_for_review" in actions
    assert "publish_now" not in actions
    assert "archive" not in actions


@pytest.mark.django_db
def test_bulk_publish_reports_each_brief_that_fails_the_checklist(
    client, editor, full_brief
):
    empty = Brief.objects.create(title="Nothing yet", summary="Too short.")
    client.force_login(editor)
    response = client.post(
        reverse("admin:briefs_brief_changelist"),
        {"action": "publish_now", "_selected_action": [full_brief.pk, empty.pk]},
        follow=True,
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context["messages"]
    ]
    full_brief.refresh_from_db()
    empty.refresh_from_db()
    assert full_brief.status == "published"
    assert empty.status == "draft"
    assert any("Nothing yet" in t and "Summary" in t for t in texts)


@pytest.mark.django_db
def test_change_page_shows_only_the_steps_the_user_may_take(client, writer, full_brief):
    client.force_login(writer)
    response = client.get(change_url(full_brief))
    assert [a for a, _ in response.context["transitions"]] == ["submit_for_review"]
    assert "Submit for review" in response.text


@pytest.mark.django_db
def test_change_page_names_the_checklist_item_that_fails_and_where(client, editor):
    brief = Brief.objects.create(title="Half written", summary="x" * 60)
    brief.sections.create(heading="Background", position=1)
    client.force_login(editor)
    response = client.get(change_url(brief))
    assert ("Section 1 (Background)", "has no bullet points.") in response.context[
        "checklist"
    ]
    assert "Section 1 (Background)" in response.text


@pytest.mark.django_db
def test_publishing_a_brief_that_fails_the_checklist_is_refused_with_the_reason(
    client, editor
):
    brief = Brief.objects.create(title="Half written", summary="x" * 60)
    client.force_login(editor)
    response = client.post(
        reverse("admin:briefs_brief_transition", args=[brief.pk, "publish"]),
        follow=True,
    )
    brief.refresh_from_db()
    assert brief.status == "draft"
    assert "add at least one section with bullets" in response.text


@pytest.mark.django_db
def test_scheduled_brief_appears_at_its_time_without_a_job(client, editor, full_brief):
    client.force_login(editor)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        response = client.post(
            reverse("admin:briefs_brief_transition", args=[full_brief.pk, "publish"]),
            {"at": "2026-03-02T08:30"},
        )
        assert response.status_code == 302
        full_brief.refresh_from_db()
        assert full_brief.is_scheduled
        assert not Brief.objects.published().filter(pk=full_brief.pk).exists()
        listing = client.get(reverse("admin:briefs_brief_changelist"))
        assert "Scheduled for 02 Mar 2026 08:30" in listing.text
        assert client.get(full_brief.get_absolute_url()).status_code == 404
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 31, tzinfo=datetime.UTC)):
        assert Brief.objects.published().filter(pk=full_brief.pk).exists()
        assert client.get(full_brief.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_scheduling_in_the_past_is_refused(client, editor, full_brief):
    client.force_login(editor)
    client.post(
        reverse("admin:briefs_brief_transition", args=[full_brief.pk, "publish"]),
        {"at": "2001-01-01T10:00"},
    )
    full_brief.refresh_from_db()
    assert full_brief.status == "draft"


@pytest.mark.django_db
def test_writer_cannot_schedule(client, writer, full_brief):
    client.force_login(writer)
    client.post(
        reverse("admin:briefs_brief_transition", args=[full_brief.pk, "publish"]),
        {"at": "2099-01-01T10:00"},
    )
    full_brief.refresh_from_db()
    assert full_brief.status == "draft"
    assert full_brief.published_at is None


@pytest.mark.django_db
def test_scheduled_filter_lists_only_scheduled_briefs(client, editor, full_brief):
    from tests.factories import BriefFactory

    later = BriefFactory(
        status="published",
        published_at=timezone.now() + datetime.timedelta(days=2),
        title="Coming soon",
    )
    client.force_login(editor)
    response = client.get(
        reverse("admin:briefs_brief_changelist"), {"scheduled": "yes"}
    )
    assert list(response.context["cl"].result_list) == [later]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "scheduled"),
    [("anonymous", False), ("writer", False), ("editor", True), ("superuser", True)],
)
def test_scheduling_follows_the_permission_matrix(client, full_brief, kind, scheduled):
    actor = make_actor(kind)
    if actor:
        client.force_login(actor)
    client.post(
        reverse("admin:briefs_brief_transition", args=[full_brief.pk, "publish"]),
        {"at": "2099-01-01T10:00"},
    )
    full_brief.refresh_from_db()
    assert full_brief.is_scheduled is scheduled


# (page, method, status for anonymous, writer, editor, superuser)
PAGE_MATRIX = [
    ("preview", "get", (302, 200, 200, 200)),
    ("history", "get", (302, 200, 200, 200)),
    ("revoke", "post", (302, 403, 302, 302)),
    ("restore", "post", (302, 302, 302, 302)),
    ("import", "get", (302, 200, 200, 200)),
]


@pytest.mark.django_db
@pytest.mark.parametrize("index_and_kind", list(enumerate(ACTOR_KINDS)))
@pytest.mark.parametrize(("page", "method", "statuses"), PAGE_MATRIX)
def test_admin_pages_follow_the_permission_matrix(
    client, full_brief, index_and_kind, page, method, statuses
):
    from briefs.admin.history import brief_versions, save_revision

    index, kind = index_and_kind
    save_revision(full_brief, None, "Baseline.")
    version = brief_versions(full_brief).first()
    args = {
        "preview": [full_brief.pk],
        "history": [full_brief.pk],
        "revoke": [full_brief.pk],
        "restore": [full_brief.pk, version.pk],
        "import": [],
    }[page]
    actor = make_actor(kind)
    if actor:
        client.force_login(actor)
    response = getattr(client, method)(reverse(f"admin:briefs_brief_{page}", args=args))
    assert response.status_code == statuses[index]
    if kind == "anonymous":
        assert reverse("admin:login") in response["Location"]

"""Background work: rendering runs in a worker, on the configured task backend."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from briefs import rendering, services
from briefs.models import BriefRendering
from briefs.services.feed import queue_next_timed_changes, timed_changes_task
from tests.api.conftest import client_for
from tests.factories import BriefFactory, BulletFactory, SectionFactory

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_BACKEND


def publishable_brief(**kwargs):
    brief = BriefFactory(**kwargs)
    BulletFactory(section=SectionFactory(brief=brief))
    return brief


def is_current(brief):
    stored = BriefRendering.objects.filter(brief=brief).first()
    return stored is not None and stored.rendered_with == rendering.current_stamp()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_rendered_by_the_database_worker(client, database_tasks):
    brief = publishable_brief(published=True)
    rendering.render_briefs([brief.pk])

    services.brief_update(brief=brief, fields={"title": "Envoys agree on a truce"})

    assert not is_current(brief)
    assert DBTaskResult.objects.filter(status="READY").exists()
    call_command("run_worker", "--batch", verbosity=0)
    assert is_current(brief)
    # Only the look for timed changes waits, for its moment.
    waiting = DBTaskResult.objects.filter(status="READY")
    assert set(waiting.values_list("task_path", flat=True)) <= {
        "briefs.services.feed.timed_changes_task"
    }
    assert "Envoys agree on a truce" in client.get(brief.get_absolute_url()).text


@pytest.mark.django_db(transaction=True)
def test_an_editors_request_renders_nothing_inline(editor, database_tasks):
    brief = publishable_brief(published=True)
    others = [publishable_brief(published=True) for _ in range(3)]
    topic = services.shared_save(obj=brief.topics.model(name="Truce", slug="truce"))
    for each in [brief, *others]:
        each.topics.add(topic)
    rendering.render_briefs([b.pk for b in [brief, *others]])

    response = client_for(editor).patch(
        f"/api/v1/topics/{topic.slug}/", {"name": "Truce talks"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert not any(is_current(each) for each in [brief, *others])
    call_command("run_worker", "--batch", verbosity=0)
    assert all(is_current(each) for each in [brief, *others])


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_what_a_deploy_left_stale(database_tasks):
    fresh = BriefFactory(published=True)
    BriefRendering.objects.filter(brief=fresh).delete()
    old = BriefFactory(published=True)
    BriefRendering.objects.update_or_create(
        brief=old, defaults={"rendered_with": "an-older-renderer"}
    )

    call_command("run_worker", "--batch", verbosity=0)

    assert is_current(fresh) and is_current(old)


def test_tests_queue_background_tasks_by_default(settings):
    assert settings.TASKS["default"]["BACKEND"].endswith("DummyBackend")


@pytest.mark.tasks
def test_a_test_about_tasks_runs_them_at_once(settings):
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def test_test_users_have_a_fast_password_hasher(settings):
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")


@pytest.mark.django_db
def test_the_timed_changes_task_queues_itself_for_the_next_go_live(database_tasks):
    at = timezone.now() + datetime.timedelta(seconds=20)
    services.brief_transition(brief=publishable_brief(), action="publish", at=at)

    timed_changes_task.call()

    [queued] = DBTaskResult.objects.filter(status="READY")
    assert queued.task_path == "briefs.services.feed.timed_changes_task"
    assert queued.run_after == at


@pytest.mark.django_db
def test_workers_sharing_the_cache_queue_one_timed_changes_task_per_moment(
    database_tasks,
):
    with time_machine.travel(timezone.now(), tick=False):
        queue_next_timed_changes()
        queue_next_timed_changes()

    assert DBTaskResult.objects.filter(status="READY").count() == 1

import fcntl

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered

from tests import factories


def pytest_addoption(parser):
    parser.addoption(
        "--api-fuzz-examples",
        type=int,
        default=6,
        help="Cases schemathesis generates for each API write operation in each "
        "mode, and scenarios of linked writes (default: 6; a long run: 40).",
    )


@pytest.fixture
def api_fuzz_examples(request):
    return request.config.getoption("--api-fuzz-examples")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    """Keep SQLite's test database in a file, as a deployment does, not in memory.

    An in-memory database lives in one connection, which Django hands to the
    live server's threads; SQLite cannot run two threads' statements at once on
    one connection, so a browser test failed at random when the page sent two
    requests together (a form's POST and the presence beacon of the page it
    leaves). In a file every thread has a connection of its own.
    """
    from django.conf import settings

    for alias, database in settings.DATABASES.items():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3" and not test.get(
            "MIRROR"
        ):
            test["NAME"] = str(tmp_path_factory.mktemp("database") / f"{alias}.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Collect static files once, so pages get hashed names as in production.

    Parallel workers share STATIC_ROOT; a lock lets one collect at a time, and
    those after the first find every file already there.
    """
    root = django_settings.STATIC_ROOT
    root.mkdir(parents=True, exist_ok=True)
    with open(root.parent / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test users' passwords quickly; PBKDF2 costs most of a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def jinja2_templates_are_recorded():
    """Let the test client record Jinja2 templates and contexts, as for Django's.

    Django instruments only its own template language, so `response.context`
    and `assertTemplateUsed` would otherwise see nothing of the public pages.
    """
    render = jinja2_backend.Template.render

    def instrumented_render(self, context=None, request=None):
        context = {} if context is None else context
        # The backend adds `request` and the context processors' values to it.
        html = render(self, context, request)
        template_rendered.send(sender=self, template=self.template, context=context)
        return html

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2_backend.Template, "render", instrumented_render)
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache, as a fresh deployment would."""
    cache.clear()


IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
}
QUEUED_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def background_tasks(request, settings):
    """Queue background tasks, as a request does in production, and run none.

    A test about the work a task does says so with `@pytest.mark.tasks`: its
    tasks then run at once, in the test.
    """
    immediate = request.node.get_closest_marker("tasks") is not None
    settings.TASKS = IMMEDIATE_TASKS if immediate else QUEUED_TASKS


@pytest.fixture
def writer(db):
    return factories.UserFactory(username="writer", writer=True)


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="editor", editor=True)


@pytest.fixture(autouse=True)
def reference_data_after_flush(request):
    """Give transactional tests the groups and bodies that `migrate` made.

    A transactional test ends by emptying every table, so the next one would
    otherwise find no Writers, Editors or UN bodies.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    make_reference_data()


def make_reference_data():
    """Create the UN bodies and the groups of `briefs.roles` as `migrate` does."""
    from importlib import import_module

    from django.apps import apps

    from briefs import roles

    import_module("briefs.migrations.0002_reference_data").add_bodies(apps, None)
    import_module("briefs.migrations.0013_bodies_as_data").set_reference_rules(
        apps, None
    )
    roles.sync_roles()

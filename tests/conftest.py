import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests import factories


@pytest.fixture(scope="session", autouse=True)
def collected_static_files():
    """Collect static files once, so pages get hashed names as in production."""
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache, as a fresh deployment would."""
    cache.clear()


@pytest.fixture
def writer(db):
    return factories.UserFactory(username="writer", writer=True)


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="editor", editor=True)

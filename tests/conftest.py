import pytest

from tests import factories


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files without the hashed manifest that collectstatic writes."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def writer(db):
    return factories.UserFactory(username="writer", writer=True)


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="editor", editor=True)

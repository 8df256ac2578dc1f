from newsroom.version import __version__
from tests.pyproject import project_version


def test_the_running_release_is_the_one_in_pyproject():
    # Stale package metadata (pyproject bumped, not reinstalled) fails here.
    assert __version__ == project_version()

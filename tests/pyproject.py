"""What pyproject.toml says, for the tests that check the code reports it."""

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def project_version():
    """Return the release number in pyproject.toml."""
    with PYPROJECT.open("rb") as file:
        return tomllib.load(file)["project"]["version"]

"""README.md documents every setting that the code reads from the environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# env("NAME", ...), env.int("NAME", ...), env.list(\n    "NAME", ...) and so on.
ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")


def environment_names():
    return set(ENV_READ.findall((ROOT / "newsroom" / "settings.py").read_text()))


def documented_names():
    """Return the names in the first column of README's Configuration table."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {
        name
        for row in rows
        for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])
    }


def test_the_settings_read_the_environment():
    # A change in how settings.py reads it must not blind the test below.
    assert {"SECRET_KEY", "DATABASE_URL", "LOG_LEVEL"} <= environment_names()


def test_every_environment_setting_is_in_the_readme_configuration_table():
    assert environment_names() - documented_names() == set()

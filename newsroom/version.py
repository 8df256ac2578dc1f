"""The release of the code that runs, as pyproject.toml names it.

The API's schema (`info.version`) and `/healthz` report it, so a partner or an
operator can tell which release answers. It is read from the installed
package's metadata, the one place pip writes it from pyproject.toml.
"""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "newsroom-briefs"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:
    # A checkout run without `pip install -e .` (make run and make test both
    # install it) has no metadata to read.
    __version__ = "0+unknown"

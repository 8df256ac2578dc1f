"""The product uses Django's public API only (no private attributes or internals)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("briefs", "newsroom")

# Names of Django's internals, as they would appear in the source.
PRIVATE = re.compile(
    r"_prefetched_objects_cache|_result_cache|_prefetch_related_lookups"
    r"|_prefetch_done|_should_delete_form|_iterable_class|fields_cache"
    r"|\bget_compiler\b|\bas_sql\b|\bget_converters\b|\bapply_converters\b"
    r"|\bModelState\b|django\.db\.models\.sql"
    r"|\brun_on_commit\b|\bsavepoint_ids\b"
    r"|\._get_connection_pool\b|\._cache\b|\._class\b|\._client\b"
    r"|__class__\s*=[^=]"
)


def private_uses():
    """Return 'path:line: name' for each use of a private name in the product."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" in name:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                found += [f"{name}:{number}: {m[0]}" for m in PRIVATE.finditer(line)]
    return found


def test_the_product_reaches_into_no_private_django_api():
    assert private_uses() == []

"""The API's JSON parser: limits on a body's size and nesting, checked before
the body is decoded, so a hostile one is a 400 naming the limit, never a 5xx.

Python's `json` decoder recurses once per level: a body of 100,000 `[` would
exhaust the stack. The depth is counted first on the raw text, strings left
out, which costs one pass of a regular expression.
"""

import io
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A JSON string (its escapes included), or one bracket.
TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
OPENING = frozenset(b"[{")


def nesting_depth(data):
    """Return how deep arrays and objects nest in the JSON text `data` (bytes)."""
    depth = deepest = 0
    for match in TOKENS.finditer(data):
        first = match.group()[0]
        if first in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif first != ord('"'):
            depth -= 1
    return deepest


class LimitedJSONParser(JSONParser):
    """JSON bodies of at most API_MAX_JSON_BYTES bytes, nested at most
    API_MAX_JSON_DEPTH arrays or objects deep."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_BYTES
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise ParseError(
                f"JSON body too large: at most {limit} bytes (API_MAX_JSON_BYTES)."
            )
        depth = settings.API_MAX_JSON_DEPTH
        if nesting_depth(data) > depth:
            raise ParseError(
                f"JSON body nested too deep: at most {depth} levels of arrays "
                "and objects (API_MAX_JSON_DEPTH)."
            )
        return super().parse(io.BytesIO(data), media_type, parser_context)

"""Validators for the text and addresses readers see, shared by every way in.

The admin's forms and the API's serializers reach them through the model
fields; the importer calls `find_control_character` on each line, so that the
editor learns which line to fix. Each rule is written once, here.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

# Invisible characters that no headline, bullet or source title needs:
# - the direction embeddings, overrides and isolates (U+202A-U+202E,
#   U+2066-U+2069), which reorder the text around them: a title holding U+202E
#   reads backwards ("Trojan Source" spoofing). Plain Arabic or Hebrew needs
#   none of them, and the direction *marks* (U+200E, U+200F, U+061C), which
#   only settle neutral characters such as punctuation, stay allowed;
# - control characters other than tab and line breaks (C0, DEL and C1): XML 1.0
#   forbids most of them, so one in a title would break the feeds and sitemaps,
#   and C1 ones usually betray text decoded with the wrong encoding.
DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"
CONTROL_CHARACTERS = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{DIRECTION_CONTROLS}]"
)

WEB_SCHEMES = ("http", "https")


def find_control_character(text):
    """Return a message naming the first refused character in `text`, or None."""
    match = CONTROL_CHARACTERS.search(text or "")
    if match is None:
        return None
    char = match.group()
    where = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if name:
        where += f" ({name.lower()})"
    if re.match(f"[{DIRECTION_CONTROLS}]", char):
        why = (
            "it can make the text read in a misleading order. Right-to-left "
            "text such as Arabic or Hebrew displays correctly without it."
        )
    else:
        why = "readers cannot see it and feeds cannot carry it."
    return (
        f"Remove the invisible control character {where} at character "
        f"{match.start() + 1}: {why}"
    )


def validate_no_control_characters(value):
    """Refuse text holding a direction override or isolate, or a control character."""
    message = find_control_character(value)
    if message:
        raise ValidationError(message, code="control_character")


def is_web_url(value):
    """Return True if `value` is an http:// or https:// address."""
    try:
        scheme = urlsplit(str(value or "").strip()).scheme
    except ValueError:
        return False
    return scheme.lower() in WEB_SCHEMES


def validate_web_url(value):
    """Refuse addresses that are not web pages (javascript:, data:, ftp:, ...)."""
    if not is_web_url(value):
        raise ValidationError(
            "Give a web address starting with http:// or https://; other kinds "
            "of address (such as javascript:, data: or ftp:) cannot be cited.",
            code="web_url",
        )

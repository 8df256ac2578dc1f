"""The text readers see holds no invisible controls; sources are web pages."""

import pytest
from django.core.exceptions import ValidationError

from briefs.models import (
    Body,
    Brief,
    Bullet,
    Correction,
    PermanentMember,
    Section,
    Source,
    Topic,
    Vote,
    VotePosition,
)
from briefs.validators import (
    find_control_character,
    is_web_url,
    validate_no_control_characters,
    validate_web_url,
)

# Every field of readers' text, each of which refuses the controls.
TEXT_FIELDS = [
    (Topic, "name"),
    (Topic, "description"),
    (Brief, "title"),
    (Brief, "summary"),
    (Section, "heading"),
    (Bullet, "text"),
    (Correction, "text"),
    (Source, "url"),
    (Source, "title"),
    (Source, "publisher"),
    (Vote, "title"),
    (Vote, "symbol"),
    (VotePosition, "member_name"),
    (Body, "name"),
    (Body, "short_name"),
    (PermanentMember, "name"),
]

REFUSED = [
    ("\u202a", "U+202A"),  # left-to-right embedding
    ("\u202b", "U+202B"),  # right-to-left embedding
    ("\u202c", "U+202C"),  # pop directional formatting
    ("\u202d", "U+202D"),  # left-to-right override
    ("\u202e", "U+202E"),  # right-to-left override
    ("\u2066", "U+2066"),  # left-to-right isolate
    ("\u2067", "U+2067"),  # right-to-left isolate
    ("\u2068", "U+2068"),  # first strong isolate
    ("\u2069", "U+2069"),  # pop directional isolate
    ("\x00", "U+0000"),
    ("\x1b", "U+001B"),
    ("\x7f", "U+007F"),
    ("\x92", "U+0092"),  # a curly apostrophe decoded with the wrong encoding
]

ALLOWED = [
    "المجلس يصوت على القرار",  # Arabic
    "המועצה הצביעה",  # Hebrew
    "Vote \u200fmarks\u200e and \u061c stay",  # direction marks are no overrides
    "Tabs\tand\nline\r\nbreaks",
    "Zero\u200bwidth space, emoji 🗳️, accents: Genève, São Tomé",
]


@pytest.mark.parametrize(("model", "name"), TEXT_FIELDS)
def test_each_text_field_refuses_a_direction_override(model, name):
    field = model._meta.get_field(name)

    with pytest.raises(ValidationError) as caught:
        field.run_validators("https://example.org/\u202egnp.exe")

    assert caught.value.error_list[-1].code == "control_character"


@pytest.mark.parametrize(("char", "code_point"), REFUSED)
def test_refused_characters_are_named_with_their_place(char, code_point):
    message = find_control_character(f"Council{char} vote")

    assert code_point in message
    assert "at character 8" in message


@pytest.mark.parametrize("text", ALLOWED)
def test_right_to_left_text_and_ordinary_characters_pass(text):
    assert find_control_character(text) is None
    validate_no_control_characters(text)


@pytest.mark.django_db
def test_full_clean_keys_the_message_by_field():
    brief = Brief(title="Pay \u202egnp.exe", summary="A plain summary.")

    with pytest.raises(ValidationError) as caught:
        brief.full_clean(exclude=["slug"])

    (message,) = caught.value.message_dict["title"]
    assert "right-to-left override" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/report",
        "http://un.org/en/ga",
        "HTTPS://EXAMPLE.ORG/",
    ],
)
def test_web_addresses_are_accepted(url):
    assert is_web_url(url)
    validate_web_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
        "//example.org/no-scheme",
        "example.org",
        "http://[::1",  # not even parseable
    ],
)
def test_other_addresses_are_refused_with_a_clear_message(url):
    with pytest.raises(ValidationError) as caught:
        validate_web_url(url)

    assert "http:// or https://" in caught.value.messages[0]


@pytest.mark.django_db
def test_a_source_refuses_a_javascript_address_on_full_clean():
    source = Source(url="javascript:alert(1)", title="A cable")

    with pytest.raises(ValidationError) as caught:
        source.full_clean()

    assert "url" in caught.value.message_dict


def test_a_source_links_only_to_web_pages():
    assert Source(url="https://example.org/a").web_url == "https://example.org/a"
    assert Source(url="javascript:alert(1)").web_url == ""

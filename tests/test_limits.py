"""Limits: oversized bodies, briefs, imports and URLs get a clear 4xx, not a crash.

The API's page size (capped at 100, a bad one a 400 naming `page_size`) is
tested in tests/api/test_briefs.py.
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from briefs.admin.inlines import BulletInline, SectionInline
from briefs.importer import (
    BriefFormatError,
    BriefTooLargeError,
    parse_brief,
    read_limited,
)
from briefs.models import MAX_BULLETS_PER_BRIEF, MAX_SECTIONS_PER_BRIEF, Brief
from tests.admin.conftest import form_data
from tests.api.conftest import client_for
from tests.factories import BriefFactory, BulletFactory, SectionFactory

API_LIST = "/api/v1/briefs/"
SUMMARY = (
    "Members renewed the peacekeeping mission for twelve months after a short "
    "debate about its budget."
)


def brief_payload(sections, bullets_per_section=1):
    return {
        "title": "Council renews the mission",
        "summary": SUMMARY,
        "sections": [
            {
                "heading": f"Part {s}",
                "bullets": [
                    {"text": f"Point {s}.{b}."} for b in range(bullets_per_section)
                ],
            }
            for s in range(sections)
        ],
    }


def brief_text(sections, bullets_per_section=1):
    lines = ["Council renews the mission", "", SUMMARY, ""]
    for s in range(sections):
        lines.append(f"Part {s}")
        lines += [f"- Point {s}.{b}." for b in range(bullets_per_section)]
        lines.append("")
    return "\n".join(lines)


# Request bodies --------------------------------------------------------------


@pytest.mark.django_db
def test_api_body_over_the_limit_is_a_413_in_json(writer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps(brief_payload(sections=5, bullets_per_section=10))
    assert len(body) > 1000

    response = client_for(writer).post(API_LIST, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than the 1,000 bytes this site accepts."
    }
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_form_post_over_the_limit_gets_a_413_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(reverse("admin:login"), {"username": "x" * 2000})

    assert response.status_code == 413
    assert "too much to send at once" in response.text
    assert "larger than the 1,000 bytes this site accepts" in response.text


@pytest.mark.django_db
def test_form_post_with_too_many_fields_gets_a_413_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    response = client.post(reverse("admin:login"), {f"f{n}": "1" for n in range(20)})

    assert response.status_code == 413
    assert "more than the 10 fields this site accepts" in response.text


# Sections and bullets per brief ----------------------------------------------


@pytest.mark.django_db
def test_api_refuses_a_brief_with_too_many_sections(writer):
    response = client_for(writer).post(
        API_LIST, brief_payload(sections=MAX_SECTIONS_PER_BRIEF + 1), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "sections": [
            f"A brief has at most {MAX_SECTIONS_PER_BRIEF} sections; "
            f"this one has {MAX_SECTIONS_PER_BRIEF + 1}."
        ]
    }
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_api_refuses_a_brief_with_too_many_bullets(writer):
    per_section = MAX_BULLETS_PER_BRIEF // 2 + 1
    response = client_for(writer).post(
        API_LIST,
        brief_payload(sections=2, bullets_per_section=per_section),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["sections"] == [
        f"A brief has at most {MAX_BULLETS_PER_BRIEF} bullet points; "
        f"this one has {2 * per_section}."
    ]


@pytest.mark.django_db
def test_api_accepts_a_brief_at_the_limits(writer):
    per_section = MAX_BULLETS_PER_BRIEF // MAX_SECTIONS_PER_BRIEF
    response = client_for(writer).post(
        API_LIST,
        brief_payload(sections=MAX_SECTIONS_PER_BRIEF, bullets_per_section=per_section),
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_admin_inlines_stop_offering_rows_at_the_limits():
    assert SectionInline.max_num == MAX_SECTIONS_PER_BRIEF
    assert BulletInline.max_num == MAX_BULLETS_PER_BRIEF


def admin_add_data(client, bullets_per_section):
    """Return the admin's add form filled with one section per list item."""
    data = form_data(client.get(reverse("admin:briefs_brief_add")).text)
    data.update({"title": "Council delays a vote", "slug": "", "summary": SUMMARY})
    data["sections-TOTAL_FORMS"] = str(len(bullets_per_section))
    for n, count in enumerate(bullets_per_section):
        data[f"sections-{n}-heading"] = f"Part {n}"
        data[f"sections-{n}-position"] = str(n)
        data[f"sections-{n}-bullets-TOTAL_FORMS"] = str(count)
        data[f"sections-{n}-bullets-INITIAL_FORMS"] = "0"
        for b in range(count):
            data[f"sections-{n}-bullets-{b}-text"] = f"Point {n}.{b}."
            data[f"sections-{n}-bullets-{b}-attribution"] = "fact"
            data[f"sections-{n}-bullets-{b}-position"] = str(b)
    return data


@pytest.mark.django_db
def test_admin_refuses_a_brief_with_too_many_sections_and_keeps_the_form(
    client, writer
):
    client.force_login(writer)
    count = MAX_SECTIONS_PER_BRIEF + 1

    response = client.post(
        reverse("admin:briefs_brief_add"), admin_add_data(client, [1] * count)
    )

    assert response.status_code == 200
    assert (
        f"A brief has at most {MAX_SECTIONS_PER_BRIEF} sections; this one has {count}."
        in response.text
    )
    assert 'value="Council delays a vote"' in response.text
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_admin_counts_bullets_across_all_sections(client, writer):
    client.force_login(writer)
    per_section = MAX_BULLETS_PER_BRIEF // 2 + 1

    response = client.post(
        reverse("admin:briefs_brief_add"),
        admin_add_data(client, [per_section, per_section]),
    )

    assert response.status_code == 200
    assert (
        f"A brief has at most {MAX_BULLETS_PER_BRIEF} bullet points; "
        f"this one has {2 * per_section}." in response.text
    )
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_admin_does_not_count_sections_marked_for_removal(client, writer):
    client.force_login(writer)
    data = admin_add_data(client, [1] * (MAX_SECTIONS_PER_BRIEF + 1))
    data["sections-0-DELETE"] = "on"

    response = client.post(reverse("admin:briefs_brief_add"), data)

    assert response.status_code == 302
    assert Brief.objects.get().sections.count() == MAX_SECTIONS_PER_BRIEF


@pytest.mark.django_db
def test_publish_checklist_names_a_brief_over_the_section_limit():
    brief = BriefFactory(summary=SUMMARY)
    for n in range(MAX_SECTIONS_PER_BRIEF + 1):
        BulletFactory(section=SectionFactory(brief=brief, position=n))

    assert (
        "Sections",
        f"A brief has at most {MAX_SECTIONS_PER_BRIEF} sections; "
        f"this one has {MAX_SECTIONS_PER_BRIEF + 1}.",
    ) in brief.publish_problems()


def test_importer_refuses_too_many_sections_at_the_first_one_past_the_limit():
    text = brief_text(sections=MAX_SECTIONS_PER_BRIEF + 1)

    with pytest.raises(BriefFormatError) as raised:
        parse_brief(text, "long.txt")

    first_too_many = text.split("\n").index(f"Part {MAX_SECTIONS_PER_BRIEF}") + 1
    assert raised.value.line == first_too_many
    assert f"at most {MAX_SECTIONS_PER_BRIEF} sections" in raised.value.reason


def test_importer_refuses_too_many_bullets_at_the_first_one_past_the_limit():
    per_section = MAX_BULLETS_PER_BRIEF // 2 + 1
    text = brief_text(sections=2, bullets_per_section=per_section)

    with pytest.raises(BriefFormatError) as raised:
        parse_brief(text, "long.txt")

    lines = text.split("\n")
    overflow = MAX_BULLETS_PER_BRIEF - per_section
    assert raised.value.line == lines.index(f"- Point 1.{overflow}.") + 1
    assert f"at most {MAX_BULLETS_PER_BRIEF} bullet points" in raised.value.reason


# Import files ----------------------------------------------------------------


class RecordingStream(io.BytesIO):
    """A file that remembers how many bytes were asked of it."""

    asked = 0

    def read(self, size=-1):
        self.asked += size if size >= 0 else len(self.getvalue())
        return super().read(size)


def test_file_of_known_size_over_the_limit_is_refused_unread():
    stream = RecordingStream(b"x" * 5000)

    with pytest.raises(BriefTooLargeError, match="5,000 bytes"):
        read_limited(stream, 1000, "big.txt", size=5000)

    assert stream.asked == 0


def test_stream_of_unknown_size_is_read_no_further_than_the_limit():
    stream = RecordingStream(b"x" * 5000)

    with pytest.raises(BriefTooLargeError):
        read_limited(stream, 1000, "big.txt")

    assert stream.asked == 1001


@pytest.mark.django_db
def test_import_command_refuses_a_file_over_the_limit(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_text(brief_text(sections=20, bullets_per_section=3))

    with pytest.raises(CommandError) as raised:
        call_command("import_brief", str(big))

    size = big.stat().st_size
    assert str(raised.value) == (
        f"{big}: the file is {size:,} bytes; a brief may be at most 1,000 bytes"
    )
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_admin_import_refuses_an_upload_over_the_limit(client, writer, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(writer)
    upload = SimpleUploadedFile("big.txt", b"x" * 5000, "text/plain")

    response = client.post(reverse("admin:briefs_brief_import"), {"file": upload})

    assert response.status_code == 200
    assert "The file is 4.9\xa0KB; a brief may be at most 1000\xa0bytes." in (
        response.text
    )
    assert not Brief.objects.exists()


# URLs ------------------------------------------------------------------------


@pytest.mark.django_db
def test_query_string_over_the_limit_is_a_414(client, settings):
    settings.MAX_QUERY_STRING_LENGTH = 100

    response = client.get("/", {"q": "x" * 200})

    assert response.status_code == 414
    assert response.text == (
        "The query string is longer than the 100 characters this site accepts."
    )


@pytest.mark.django_db
def test_api_query_string_over_the_limit_is_a_414_in_json(client, settings):
    settings.MAX_QUERY_STRING_LENGTH = 100

    response = client.get(API_LIST, {"search": "x" * 200})

    assert response.status_code == 414
    assert "100 characters" in response.json()["detail"]


@pytest.mark.django_db
def test_long_search_is_shortened_and_says_so(client):
    response = client.get(reverse("briefs:search"), {"q": "word " * 60})

    assert response.status_code == 200
    assert "only the first 200 of yours were used" in response.text
    assert len(response.context["query"]) == 200

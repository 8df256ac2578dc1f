"""Lead images: refused uploads keep nothing; renditions; files follow the rows."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from PIL import Image

from briefs import images, rendering, services
from briefs.models import Brief, BriefRendering, LeadImage
from tests.factories import BriefFactory
from tests.images import exif_rotated, image_bytes, png_claiming, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Store uploads in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_SECONDS = 0
    return settings.MEDIA_ROOT


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what a change does once its transaction commits, as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def stored_files(media):
    if not media.exists():
        return []
    return sorted(
        path.relative_to(media).as_posix()
        for path in media.rglob("*")
        if path.is_file()
    )


def save_image(brief, commits, **kwargs):
    kwargs.setdefault("alt", "Delegates raise their hands in the assembly hall.")
    with commits():
        return services.lead_image_save(brief=brief, **kwargs)


# What an upload must be ------------------------------------------------------


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_images_are_accepted(format):
    checked = images.check_upload(upload(image_bytes(300, 200, format)))
    assert (checked.format, checked.width, checked.height) == (format, 300, 200)


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError) as refused:
        images.check_upload(upload(b"%PDF-1.7 not a picture at all", name="a.jpg"))
    assert refused.value.code == "not_an_image"
    assert "JPEG, PNG or WebP" in refused.value.messages[0]


def test_a_gif_is_refused_naming_the_formats_accepted():
    with pytest.raises(ValidationError) as refused:
        images.check_upload(upload(image_bytes(20, 20, "GIF"), name="a.gif"))
    assert refused.value.messages == [
        "GIF images are not accepted: upload a JPEG, PNG or WebP file."
    ]


def test_a_file_over_the_size_limit_is_refused_unread(settings):
    settings.IMAGE_MAX_BYTES = 1_000
    with pytest.raises(ValidationError) as refused:
        images.check_upload(upload(image_bytes(400, 400, "PNG", mode="RGB")))
    assert refused.value.code == "too_large"
    assert "at most 1,000 bytes" in refused.value.messages[0]


def test_a_png_claiming_huge_dimensions_is_refused_as_a_decompression_bomb():
    with pytest.raises(ValidationError) as refused:
        images.check_upload(upload(png_claiming(60_000, 60_000), name="bomb.png"))
    assert refused.value.code == "too_many_pixels"
    assert "megapixels" in refused.value.messages[0]


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 10_000
    with pytest.raises(ValidationError) as refused:
        images.check_upload(upload(image_bytes(200, 100)))
    assert refused.value.code == "too_many_pixels"


def test_a_cut_off_image_is_refused():
    content = image_bytes(800, 600, "PNG")
    with pytest.raises(ValidationError) as refused:
        images.check_upload(upload(content[: len(content) // 2], name="cut.png"))
    assert refused.value.code == "not_an_image"


def test_a_rotated_photo_is_measured_upright():
    checked = images.check_upload(upload(image_bytes(400, 300, exif=exif_rotated())))
    assert (checked.width, checked.height) == (300, 400)


@pytest.mark.parametrize(
    "content",
    [b"not an image", png_claiming(60_000, 60_000)],
    ids=["not-an-image", "bomb"],
)
def test_a_refused_upload_keeps_nothing(media, commits, content):
    brief = BriefFactory()
    with pytest.raises(ValidationError):
        save_image(brief, commits, image=upload(content))
    assert not LeadImage.objects.exists()
    assert stored_files(media) == []


def test_alt_text_is_required(media, commits):
    brief = BriefFactory()
    with pytest.raises(ValidationError) as refused:
        save_image(brief, commits, image=upload(), alt="   ")
    assert "alt" in refused.value.message_dict
    assert stored_files(media) == []


# Storing and renditions --------------------------------------------------------


@pytest.mark.tasks
def test_an_image_is_stored_with_renditions_of_each_width_and_format(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload(image_bytes(2000, 1000)))
    lead = LeadImage.objects.get(brief=brief)
    assert (lead.width, lead.height) == (2000, 1000)
    made = sorted((r["format"], r["width"], r["height"]) for r in lead.renditions)
    assert made == [
        ("jpeg", 480, 240),
        ("jpeg", 960, 480),
        ("jpeg", 1600, 800),
        ("webp", 480, 240),
        ("webp", 960, 480),
        ("webp", 1600, 800),
    ]
    for rendition in lead.renditions:
        with Image.open(media / rendition["name"]) as made_image:
            assert made_image.size == (rendition["width"], rendition["height"])
            assert made_image.format == rendition["format"].upper()
    assert len(stored_files(media)) == 7


@pytest.mark.tasks
def test_renditions_are_never_wider_than_the_original(commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload(image_bytes(700, 350)))
    widths = {r["width"] for r in LeadImage.objects.get(brief=brief).renditions}
    assert widths == {480, 700}


def test_renditions_carry_none_of_the_originals_metadata(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload(image_bytes(800, 600, exif=exif_rotated())))
    for rendition in LeadImage.objects.get(brief=brief).renditions:
        with Image.open(media / rendition["name"]) as made_image:
            assert not made_image.getexif()
            # Turned upright before the metadata that said how was dropped.
            assert made_image.width < made_image.height


def test_the_stored_original_carries_no_metadata_and_stands_upright(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload(image_bytes(400, 300, exif=exif_rotated())))
    lead = LeadImage.objects.get(brief=brief)
    with Image.open(media / lead.file.name) as original:
        assert not original.getexif()
        assert original.size == (lead.width, lead.height) == (300, 400)


@pytest.mark.parametrize("format", ["PNG", "WEBP"])
def test_metadata_is_taken_out_of_png_and_webp_originals_too(format):
    exif = Image.Exif()
    exif[0x010F] = "Example Camera Co"
    content = image_bytes(60, 40, format, exif=exif)
    checked = images.check_upload(upload(content))
    with Image.open(io.BytesIO(checked.content)) as original:
        assert not original.getexif()
        assert original.size == (60, 40)


def test_an_original_without_metadata_is_stored_as_uploaded(media, commits):
    content = image_bytes(500, 300)
    brief = BriefFactory()
    save_image(brief, commits, image=upload(content))
    lead = LeadImage.objects.get(brief=brief)
    assert (media / lead.file.name).read_bytes() == content


@pytest.mark.tasks
def test_a_transparent_png_gets_a_jpeg_rendition(commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload(image_bytes(600, 400, "PNG", mode="RGBA")))
    formats = {r["format"] for r in LeadImage.objects.get(brief=brief).renditions}
    assert formats == {"jpeg", "webp"}


def test_a_change_that_rolls_back_leaves_no_file(media):
    brief = BriefFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.lead_image_save(brief=brief, image=upload(), alt="A hall.")
        raise RuntimeError("something after the image failed")
    assert not LeadImage.objects.exists()
    assert stored_files(media) == []


def test_editing_the_words_keeps_the_files(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload())
    before = stored_files(media)
    save_image(brief, commits, alt="The hall, empty after the vote.", credit="Wire")
    lead = LeadImage.objects.get(brief=brief)
    assert (lead.alt, lead.credit) == ("The hall, empty after the vote.", "Wire")
    assert stored_files(media) == before


def test_replacing_the_image_deletes_the_old_files_on_commit(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload(image_bytes(600, 400)))
    old = set(LeadImage.objects.get(brief=brief).stored_names())
    save_image(brief, commits, image=upload(image_bytes(500, 500)))
    new = set(LeadImage.objects.get(brief=brief).stored_names())
    assert set(stored_files(media)) == new
    assert not old & new


def test_removing_the_image_deletes_its_files_on_commit(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload())
    with commits():
        services.lead_image_remove(brief=brief)
    assert not LeadImage.objects.exists()
    assert stored_files(media) == []


def test_deleting_the_brief_deletes_its_image_files(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload())
    with commits():
        services.brief_delete(brief=brief)
    assert stored_files(media) == []


def test_renditions_of_a_replaced_image_are_not_kept(media, commits):
    brief = BriefFactory()
    save_image(brief, commits, image=upload(image_bytes(600, 400)))
    first = LeadImage.objects.get(brief=brief).file.name
    save_image(brief, commits, image=upload(image_bytes(500, 500)))
    files = stored_files(media)
    assert services.lead_image_renditions_make(brief_id=brief.pk, name=first) == 0
    assert stored_files(media) == files


@pytest.mark.tasks
def test_an_image_change_is_recorded_as_a_change_of_the_brief(commits):
    brief = BriefFactory(published=True)
    rendering.render_briefs([brief.pk])
    before = brief.rendering.revision
    save_image(brief, commits, image=upload())
    brief.rendering.refresh_from_db()
    # The upload, then the renditions being ready: each retires the page.
    assert brief.rendering.revision == before + 2


# The page -------------------------------------------------------------------------


def page(client, brief):
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def img_tag(html):
    return re.search(r"<img [^>]*>", html.split('class="lead-image"')[1])[0]


@pytest.mark.tasks
def test_the_page_shows_the_image_with_its_size_srcset_and_sizes(client, commits):
    brief = BriefFactory(published=True)
    save_image(
        brief,
        commits,
        image=upload(image_bytes(2000, 1000)),
        caption="The vote board after the count.",
        credit="Photo: Example Wire",
    )
    html = page(client, brief)
    img = img_tag(html)
    assert 'width="1600" height="800"' in img
    assert re.search(
        r'srcset="[^"]+/480\.jpg 480w, [^"]+/960\.jpg 960w, '
        r'[^"]+/1600\.jpg 1600w"',
        img,
    )
    assert 'sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)"' in img
    assert 'alt="Delegates raise their hands in the assembly hall."' in img
    assert re.search(r'<source type="image/webp" srcset="[^"]+/480\.webp 480w', html)
    assert "The vote board after the count." in html
    assert "Photo: Example Wire" in html


def test_before_renditions_exist_the_page_shows_the_original_with_its_size(
    client, commits, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    brief = BriefFactory(published=True)
    save_image(brief, commits, image=upload(image_bytes(640, 480)))
    img = img_tag(page(client, brief))
    lead = LeadImage.objects.get(brief=brief)
    assert lead.renditions == []
    assert f'src="/media/{lead.file.name}"' in img
    assert 'width="640" height="480"' in img
    assert "srcset" not in img


@pytest.mark.tasks
def test_the_stored_page_shows_the_renditions_once_they_are_made(client, commits):
    brief = BriefFactory(published=True)
    save_image(brief, commits, image=upload(image_bytes(1000, 500)))
    stored = Brief.objects.values_list("rendering__page", flat=True).get(pk=brief.pk)
    assert BriefRendering.objects.get(pk=brief.pk).rendered_with == (
        rendering.current_stamp()
    )
    assert "960.webp 960w" in stored
    assert page(client, brief) == stored


@pytest.mark.tasks
def test_the_page_head_names_the_image_for_link_previews(client, commits):
    brief = BriefFactory(published=True)
    save_image(brief, commits, image=upload(image_bytes(2000, 1000)))
    html = page(client, brief)
    assert re.search(
        r'<meta property="og:image" content="http://127\.0\.0\.1:8000/media/'
        r'[^"]+/1600\.jpg">',
        html,
    )
    assert '<meta property="og:image:width" content="1600">' in html
    assert '<meta property="og:image:height" content="800">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="twitter:image:alt"' in html


def test_a_brief_without_an_image_has_no_image_anywhere(client):
    brief = BriefFactory(published=True)
    html = page(client, brief)
    assert "og:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "lead-image" not in html
    assert '"image"' not in html


def json_ld(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html)
    return json.loads(block[1])


@pytest.mark.tasks
def test_json_ld_has_the_image_as_an_image_object(client, commits):
    brief = BriefFactory(published=True)
    save_image(
        brief,
        commits,
        image=upload(image_bytes(1200, 900)),
        caption="Counting the votes.",
        credit="Example Wire",
    )
    image = json_ld(page(client, brief))["image"]
    assert image["@type"] == "ImageObject"
    assert image["url"].endswith("/1200.jpg")
    assert (image["width"], image["height"]) == (1200, 900)
    assert image["caption"] == "Counting the votes."
    assert image["creditText"] == "Example Wire"


def test_the_images_words_are_escaped(client, commits):
    brief = BriefFactory(published=True)
    save_image(
        brief,
        commits,
        image=upload(),
        alt='A "hall" <script>alert(1)</script>',
        caption="<b>bold</b>",
        credit="<i>x</i>",
    )
    html = page(client, brief)
    assert "<script>alert(1)" not in html
    assert "<b>bold</b>" not in html
    assert "<i>x</i>" not in html
    assert 'alt="A &#34;hall&#34; &lt;script&gt;' in html


def test_the_page_reads_the_image_without_a_query_of_its_own(
    client, commits, django_assert_max_num_queries
):
    with_image = BriefFactory(published=True)
    save_image(with_image, commits, image=upload())
    without = BriefFactory(published=True)
    queryset = rendering.page_queryset(Brief.objects.filter(pk=with_image.pk))
    plain = rendering.page_queryset(Brief.objects.filter(pk=without.pk))
    with django_assert_max_num_queries(8) as with_queries:
        rendering.render_page(queryset.get())
    with django_assert_max_num_queries(8) as without_queries:
        rendering.render_page(plain.get())
    assert len(with_queries) == len(without_queries)

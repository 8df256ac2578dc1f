"""A brief's lead image in real headless Chromium: the browser picks a rendition
that fits, and the page does not move while the image loads."""

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw

from briefs import services
from tests.factories import BriefFactory
from tests.images import upload

from .test_site import LAYOUT_SHIFT


def picture(width=2000, height=1000):
    """Return a JPEG with something to see: a sky, a hall, rows of seats."""
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.merge("RGB", (sky.getchannel(0).point(lambda v: v // 3),
                                sky.getchannel(0).point(lambda v: 60 + v // 3),
                                Image.new("L", (width, height), 170)))  # fmt: skip
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(120, 40, 40))
    for row in range(6):
        for seat in range(40):
            x = 30 + seat * (width - 60) // 40
            y = height * 2 // 3 + 20 + row * 45
            draw.ellipse((x, y, x + 30, y + 30), fill=(230, 200, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture
def brief_with_image(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    settings.PAGE_CACHE_SECONDS = 0
    brief = BriefFactory(published=True, title="Assembly votes on the aid corridor")
    services.lead_image_save(
        brief=brief,
        image=upload(picture()),
        alt="Delegates' seats in the assembly hall under a blue sky.",
        credit="Illustration: Newsroom Briefs",
        caption="The hall before the vote.",
    )
    return brief


def serve_media(page, media):
    """Answer the page's requests for uploaded files from the test's storage."""

    def fulfil(route):
        path = urlsplit(route.request.url).path.removeprefix("/media/")
        route.fulfill(path=media / path)

    page.route("**/media/**", fulfil)


@pytest.mark.tasks
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "chosen"), [(375, 480), (1280, 960)])
def test_the_browser_picks_a_webp_rendition_that_fits_without_shifting(
    page, brief_with_image, settings, artifacts, width, chosen
):
    serve_media(page, settings.MEDIA_ROOT)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(brief_with_image.get_absolute_url())
    page.wait_for_load_state("load")
    image = page.locator(".lead-image img")
    # Loaded (naturalWidth is the width the srcset descriptor gives it a density for).
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.evaluate("img => img.currentSrc").endswith(f"/{chosen}.webp")
    box = image.bounding_box()
    assert box["height"] == pytest.approx(box["width"] / 2, abs=1)
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    page.screenshot(path=artifacts / f"lead-image-{width}.png", full_page=True)
    assert page.console_errors == []

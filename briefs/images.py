"""Lead images: checking an upload, and making its responsive renditions.

An upload is refused, before anything is stored, unless Pillow reads it as a
JPEG, PNG or WebP of at most IMAGE_MAX_BYTES bytes and IMAGE_MAX_PIXELS pixels
(a small file can claim huge dimensions: a decompression bomb). The original
is kept as it came, less its metadata (EXIF, XMP: where and with what it was
taken); renditions are made from it in the background, each width of
RENDITION_WIDTHS that is not wider than the original (never upscaled), as WebP
and JPEG.
"""

import dataclasses
import io
import logging
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Pillow's format name: (media type, file extension).
ACCEPTED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
RENDITION_WIDTHS = (480, 960, 1600)
# Rendition format: (Pillow's name, media type, extension, save options).
RENDITION_FORMATS = {
    "webp": ("WEBP", "image/webp", "webp", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", "image/jpeg", "jpg", {"quality": 82, "optimize": True}),
}
UPLOAD_DIRECTORY = "lead-images"
# EXIF orientations that turn the picture a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
EXIF_ORIENTATION = 0x0112


@dataclasses.dataclass(frozen=True)
class CheckedImage:
    """An upload that passed `check_upload`: its bytes and what they hold."""

    content: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self):
        return ACCEPTED_FORMATS[self.format][1]


def megabytes(size):
    """Return `size` (bytes) as people read it: MB, or bytes if under one."""
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:.1f} MB"


def check_upload(upload):
    """Return `upload` (a Django File) as a CheckedImage, or raise ValidationError.

    Reads the whole file into memory, at most IMAGE_MAX_BYTES of it.
    """
    limit = settings.IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"The file is {megabytes(upload.size)}; an image may be at most "
            f"{megabytes(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            f"The file is larger than {megabytes(limit)}, the most an image may be.",
            code="too_large",
        )
    width, height, kind = _inspect(content)
    content = without_metadata(content)
    return CheckedImage(content=content, format=kind, width=width, height=height)


# How an original is saved again when its metadata is taken out.
ORIGINAL_SAVE_OPTIONS = {"JPEG": {"quality": 95}, "PNG": {}, "WEBP": {"quality": 90}}
# Info keys of metadata that may say where and by what a picture was taken.
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment")


def without_metadata(content):
    """Return the image in `content` without EXIF, XMP or comments, upright.

    Readers can fetch the original (the page shows it until the renditions are
    made): a phone's photo must not tell them where it was taken. An image
    with none of these is returned untouched; a JPEG that need not be turned
    keeps its own quantisation, so saving it again costs next to no quality.
    """
    with Image.open(io.BytesIO(content)) as image:
        if not image.getexif() and not any(key in image.info for key in METADATA_KEYS):
            return content
        kind = image.format
        # The colour profile is not metadata: without it colours would shift.
        options = {"icc_profile": image.info.get("icc_profile")}
        buffer = io.BytesIO()
        if kind == "JPEG" and image.getexif().get(EXIF_ORIENTATION, 1) == 1:
            image.save(buffer, "JPEG", quality="keep", **options)
        else:
            upright = ImageOps.exif_transpose(image)
            upright.save(buffer, kind, **ORIGINAL_SAVE_OPTIONS[kind], **options)
    return buffer.getvalue()


def _not_an_image():
    return ValidationError(
        "The file is not an image this site can read: upload a JPEG, PNG or WebP file.",
        code="not_an_image",
    )


def _bomb(pixels=None):
    limit = settings.IMAGE_MAX_PIXELS
    found = f" ({pixels / 1_000_000:,.0f} megapixels)" if pixels else ""
    return ValidationError(
        f"The image is too large in pixels{found}: at most "
        f"{limit / 1_000_000:,.0f} megapixels are accepted. Export it smaller.",
        code="too_many_pixels",
    )


def _inspect(content):
    """Return (width, height, format) of the image in `content`, upright."""
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own limit: both are refusals.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind = image.format
                pixels = image.width * image.height
                if kind not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        f"{kind} images are not accepted: upload a JPEG, PNG or "
                        "WebP file.",
                        code="format",
                    )
                if pixels > settings.IMAGE_MAX_PIXELS:
                    raise _bomb(pixels)
                image.verify()
            # verify() leaves the image unusable; decoding it finds a cut-off file.
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if image.getexif().get(EXIF_ORIENTATION) in QUARTER_TURNS:
                    width, height = height, width
                image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb() from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _not_an_image() from error
    return width, height, kind


def new_name(extension):
    """Return a storage name no other upload has: a directory of its own."""
    return f"{UPLOAD_DIRECTORY}/{uuid.uuid4().hex}/original.{extension}"


def store(name, content):
    """Store `content` (bytes) as `name`; return the name the storage chose."""
    return default_storage.save(name, ContentFile(content))


def delete_files(names):
    """Delete the stored files `names`; a missing one is no error."""
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            # A file left behind costs space, not correctness.
            logger.exception("Could not delete the stored image file %s", name)


def media_url(name):
    """Return the absolute address of the stored file `name`."""
    url = default_storage.url(name)
    if url.startswith("/"):
        return settings.SITE_URL + url
    return url


def rendition_widths(width):
    """Return the widths to make of an image `width` pixels wide (no upscaling)."""
    return sorted({min(target, width) for target in RENDITION_WIDTHS})


def _flattened(image, kind):
    """Return `image` in a mode `kind` stores: JPEG has no transparency."""
    has_alpha = image.mode in ("RGBA", "LA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if kind == "JPEG":
        if has_alpha:
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            return background
        return image.convert("RGB")
    return image.convert("RGBA" if has_alpha else "RGB")


def make_renditions(content, directory):
    """Make and store the renditions of the image in `content` under `directory`.

    Return their descriptions, smallest first: dicts of name, width, height,
    format ("webp" or "jpeg") and content type.
    """
    made = []
    with Image.open(io.BytesIO(content)) as original:
        upright = ImageOps.exif_transpose(original)
        upright.load()
    for width in rendition_widths(upright.width):
        height = max(round(upright.height * width / upright.width), 1)
        resized = (
            upright
            if width == upright.width
            else upright.resize((width, height), Image.Resampling.LANCZOS)
        )
        for label, (
            kind,
            content_type,
            extension,
            options,
        ) in RENDITION_FORMATS.items():
            buffer = io.BytesIO()
            # Nothing of the original's metadata (EXIF, XMP, comments) is passed on.
            _flattened(resized, kind).save(buffer, kind, **options)
            name = store(f"{directory}/{width}.{extension}", buffer.getvalue())
            made.append(
                {
                    "name": name,
                    "width": width,
                    "height": height,
                    "format": label,
                    "content_type": content_type,
                }
            )
    return made


def read(name):
    with default_storage.open(name, "rb") as stored:
        return stored.read()

"""Image files for tests, made by Pillow in memory."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width=1200, height=800, format="JPEG", exif=None, mode="RGB"):
    """Return an image of the given size and format, as bytes."""
    buffer = io.BytesIO()
    image = Image.new(mode, (width, height), (40, 90, 160) if mode == "RGB" else None)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format, **options)
    return buffer.getvalue()


def upload(content=None, name="photo.jpg", **kwargs):
    """Return an uploaded file holding `content` (default: a JPEG)."""
    if content is None:
        content = image_bytes(**kwargs)
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def png_claiming(width, height):
    """Return a tiny PNG whose header claims `width` x `height` pixels."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def exif_rotated():
    """Return EXIF data saying the picture must be turned a quarter to stand up."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Example Camera Co"
    return exif

"""Reading the files the import commands are given."""

import os
from pathlib import Path

from django.conf import settings

from briefs.importer import BriefTooLargeError, read_limited


class UnreadableFileError(Exception):
    """The file cannot be read or is over IMPORT_MAX_BYTES; str() says which."""


def read_import_file(name):
    """Return the bytes of the file `name`, refusing one over IMPORT_MAX_BYTES."""
    try:
        with Path(name).open("rb") as stream:
            return read_limited(
                stream,
                settings.IMPORT_MAX_BYTES,
                name,
                size=os.fstat(stream.fileno()).st_size,
            )
    except OSError as error:
        raise UnreadableFileError(
            f"{name}: cannot read the file ({error.strerror})"
        ) from None
    except BriefTooLargeError as error:
        raise UnreadableFileError(str(error)) from None

"""Whole-site content: a file of `export_content` loaded into the database."""

from .. import changes
from ..backup import import_content
from ..models import Brief


@changes.collected
def content_import(*, lines, force=False, progress=None):
    """Load `lines` (see `briefs.backup.import_content`); every brief changed."""
    counts = import_content(lines, force=force, progress=progress)
    changes.record_briefs_of(Brief.objects.all())
    return counts

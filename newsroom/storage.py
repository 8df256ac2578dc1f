"""Static files: WhiteNoise's compressed storage with hashed names, once collected.

Pages (and the renderings stored from them) name the site's stylesheets by their
hashed names from the manifest that `collectstatic` writes. Until it has run
there is no manifest; pages then name the files as they are instead of failing,
so that commands and saves that render briefs work on a fresh deploy. The stamp
of stored renderings includes the manifest's hash (briefs/rendering.py), so those
made before `collectstatic` are never served after it. `check --deploy` warns
while nothing is collected, since the app serves static files from STATIC_ROOT
only.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import checks
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed names from the manifest; the plain names while there is none."""

    def url(self, name, force=False):
        if not self.manifest_hash:
            return FileSystemStorage.url(self, name)
        return super().url(name, force)


def manifest_hash():
    """Return the hash of the collected files' manifest ("" if there is none)."""
    return getattr(staticfiles_storage, "manifest_hash", "")


def static_files_are_collected(app_configs=None, **kwargs):
    """Warn while the production storage has no manifest to name files by."""
    if settings.DEBUG or manifest_hash():
        return []
    return [
        checks.Warning(
            "The static files are not collected: pages name their stylesheets "
            "unhashed, and the app serves nothing from STATIC_ROOT.",
            hint="Run `manage.py collectstatic --noinput`.",
            id="newsroom.W001",
        )
    ]

from django.apps import AppConfig
from django.core import checks


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom import storage

        from . import cache, rendering
        from .changes import briefs_changed

        # The consumers of the one change event (see briefs.changes).
        briefs_changed.connect(rendering.on_briefs_changed, dispatch_uid="renderings")
        briefs_changed.connect(cache.on_briefs_changed, dispatch_uid="page-cache")
        checks.register(
            storage.static_files_are_collected, checks.Tags.staticfiles, deploy=True
        )

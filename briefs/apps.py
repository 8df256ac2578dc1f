from django.apps import AppConfig
from django.core import checks


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom import storage

        from . import cache, rendering, webhooks
        from .changes import briefs_changed

        # The consumers of the one change event (see briefs.changes).
        briefs_changed.connect(rendering.on_briefs_changed, dispatch_uid="renderings")
        briefs_changed.connect(cache.on_briefs_changed, dispatch_uid="page-cache")
        briefs_changed.connect(webhooks.on_briefs_changed, dispatch_uid="webhooks")
        checks.register(
            storage.static_files_are_collected, checks.Tags.staticfiles, deploy=True
        )

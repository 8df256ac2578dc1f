from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_delete


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
        # A lead image's files go with its row, however the row goes.
        from .services import images

        post_delete.connect(
            images.delete_files_on_commit,
            sender=images.LeadImage,
            dispatch_uid="lead-image-files",
        )
        checks.register(
            storage.static_files_are_collected, checks.Tags.staticfiles, deploy=True
        )

from django.apps import AppConfig
from django.core import checks


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom import storage

        from . import cache, staleness

        cache.connect_signals()
        staleness.connect_signals()
        checks.register(
            storage.static_files_are_collected, checks.Tags.staticfiles, deploy=True
        )

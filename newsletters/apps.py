from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from briefs.changes import briefs_changed

        from . import alerts

        # A consumer of the one change event (see briefs.changes).
        briefs_changed.connect(alerts.on_briefs_changed, dispatch_uid="newsletters")

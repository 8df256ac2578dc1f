from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.core import checks
from django.db.models.signals import m2m_changed, post_migrate


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = "Briefs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom import storage

        from . import cache, rendering, roles, webhooks
        from .api.serializers import BriefDetailSerializer, BriefListSerializer
        from .changes import briefs_changed

        rendering.use_api_serializers(
            detail=BriefDetailSerializer, item=BriefListSerializer
        )

        # The consumers of the one change event (see briefs.changes).
        briefs_changed.connect(rendering.on_briefs_changed, dispatch_uid="renderings")
        briefs_changed.connect(cache.on_briefs_changed, dispatch_uid="page-cache")
        briefs_changed.connect(webhooks.on_briefs_changed, dispatch_uid="webhooks")
        # After the permissions exist (django.contrib.auth makes them on the
        # same signal, connected earlier).
        post_migrate.connect(roles.sync_roles, sender=self, dispatch_uid="roles")
        m2m_changed.connect(
            roles.staff_for_newsroom_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="staff-roles",
        )
        checks.register(
            storage.static_files_are_collected, checks.Tags.staticfiles, deploy=True
        )

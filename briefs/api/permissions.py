"""Who may do what through the API."""

from rest_framework.permissions import (
    SAFE_METHODS,
    DjangoModelPermissionsOrAnonReadOnly,
)


class ModelPermissionsOrReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """Anyone may read; writing needs the model's add, change or delete permission.

    The same rule as DRF's `DjangoModelPermissionsOrAnonReadOnly`, which asks for
    no permission to read, but a read is let through before the view's queryset
    is built only to learn its model: that costs more than serving a stored
    brief. What each reader may see is decided by the views' querysets.
    """

    # Read by the schema (`briefs.api.schema`): reads need no credentials.
    anonymous_reads = True

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)

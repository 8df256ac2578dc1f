"""Public bylines: editors set them; the account page shows them too."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from briefs.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("byline", "user", "full_name")
    search_fields = ("byline", "user__first_name", "user__last_name")
    fields = ("user", "byline")

    @admin.display(description="full name")
    def full_name(self, profile):
        return profile.user.get_full_name()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Bylines are for the newsroom's own accounts.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("byline",)


User = get_user_model()
# The account page holds the byline too, for those who manage accounts.
user_admin = type(admin.site.get_model_admin(User))
admin.site.unregister(User)


@admin.register(User)
class BylineUserAdmin(user_admin):
    inlines = (*user_admin.inlines, ProfileInline)

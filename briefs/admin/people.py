"""Public bylines: editors set them; the account page shows them too."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from briefs.models import Profile
from briefs.services import author_save, shared_delete

from .content import SharedAdmin


@admin.register(Profile)
class ProfileAdmin(SharedAdmin):
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
admin.site.unregister(User)


@admin.register(User)
class AuthorAdmin(UserAdmin):
    """Accounts with their bylines; a change of name or byline shows on every
    brief the user wrote."""

    inlines = (*UserAdmin.inlines, ProfileInline)

    def save_model(self, request, obj, form, change):
        """Leave the saving to `save_related`: one service call saves it all."""

    def save_related(self, request, form, formsets, change):
        def save_inlines():
            super(AuthorAdmin, self).save_related(request, form, formsets, change)

        author_save(user=form.instance, content=save_inlines)

    def delete_model(self, request, obj):
        shared_delete(obj=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            shared_delete(obj=user)

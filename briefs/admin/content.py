"""Admin pages for votes, sources, topics, bodies and corrections.

Sections and bullets are edited only on their brief's page, so that every
change to them is part of the brief's version and revision history.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from briefs.models import (
    Body,
    Correction,
    PermanentMember,
    Source,
    Topic,
    Vote,
    VotePosition,
)
from briefs.services import (
    author_save,
    correction_delete,
    correction_save,
    shared_delete,
    shared_save,
)


class SharedAdmin(admin.ModelAdmin):
    """Saves and deletes through the services, so that the briefs showing the
    object are rendered again and cached pages go."""

    def save_model(self, request, obj, form, change):
        """Leave the saving to `save_related`: one service call saves it all."""

    def save_related(self, request, form, formsets, change):
        def save_inlines():
            super(SharedAdmin, self).save_related(request, form, formsets, change)

        shared_save(obj=form.instance, content=save_inlines)

    def delete_model(self, request, obj):
        shared_delete(obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            shared_delete(obj=obj)


@admin.register(Topic)
class TopicAdmin(SharedAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Source)
class SourceAdmin(SharedAdmin):
    list_display = ("title", "publisher", "url", "published_on")
    list_filter = ("publisher",)
    search_fields = ("title", "publisher", "url")


class PermanentMemberInline(admin.TabularInline):
    model = PermanentMember
    extra = 0


@admin.register(Body)
class BodyAdmin(SharedAdmin):
    list_display = ("name", "seats", "min_yes")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PermanentMemberInline,)


class PositionFormSet(BaseInlineFormSet):
    """Check the counts against the positions being saved with them."""

    def clean(self):
        super().clean()
        vote = self.instance
        if any(form.errors for form in self.forms) or vote.body_id is None:
            return
        positions = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = vote.rule_errors(positions)
        if errors:
            raise ValidationError(
                [message for messages in errors.values() for message in messages]
            )


class VotePositionInline(admin.TabularInline):
    model = VotePosition
    formset = PositionFormSet
    fields = ("member_code", "member_name", "position")
    extra = 0


@admin.register(Vote)
class VoteAdmin(SharedAdmin):
    list_display = ("title", "symbol", "body", "date", "outcome", "counts_label")
    list_filter = ("body", "outcome", "vote_on", "date")
    search_fields = ("title", "symbol")
    list_select_related = ("body",)
    date_hierarchy = "date"
    inlines = (VotePositionInline,)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class DeferPositionRules(form):
            def clean(self):
                # The positions inline checks them with the counts it is saving.
                self.instance.defer_position_rules = True
                return super().clean()

        return DeferPositionRules

    @admin.display(description="counts")
    def counts_label(self, vote):
        return vote.counts_label


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("brief", "kind", "published_at")
    list_filter = ("kind",)
    search_fields = ("text", "brief__title")
    list_select_related = ("brief",)
    autocomplete_fields = ("brief",)

    def save_model(self, request, obj, form, change):
        correction_save(correction=obj)

    def delete_model(self, request, obj):
        correction_delete(correction=obj)

    def delete_queryset(self, request, queryset):
        for correction in queryset:
            correction_delete(correction=correction)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AuthorAdmin(UserAdmin):
    """Accounts; a change of name shows on every brief the user wrote."""

    def save_model(self, request, obj, form, change):
        author_save(user=obj)

    def delete_model(self, request, obj):
        shared_delete(obj=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            shared_delete(obj=user)

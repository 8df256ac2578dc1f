"""Admin pages for votes, sources, topics, bodies and corrections.

Sections and bullets are edited only on their brief's page, so that every
change to them is part of the brief's version and revision history.
"""

from django.contrib import admin
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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "url", "published_on")
    list_filter = ("publisher",)
    search_fields = ("title", "publisher", "url")


class PermanentMemberInline(admin.TabularInline):
    model = PermanentMember
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
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
class VoteAdmin(admin.ModelAdmin):
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

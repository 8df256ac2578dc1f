"""Admin pages for votes, sources, topics, bodies and corrections.

Sections and bullets are edited only on their brief's page, so that every
change to them is part of the brief's version and revision history.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from briefs.models import (
    Body,
    Correction,
    PermanentMember,
    Source,
    Topic,
    UnreadVote,
    Vote,
    VotePosition,
)
from briefs.rollcall import RollCallError
from briefs.services import (
    body_merge,
    correction_delete,
    correction_save,
    roll_call_import,
    shared_change_refusal,
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

        shared_save(obj=form.instance, content=save_inlines, user=request.user)

    def delete_model(self, request, obj):
        shared_delete(obj=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            shared_delete(obj=obj, user=request.user)

    # What a live brief shows changes only through its pending draft: a writer
    # sees such an object read-only, told why and where to go instead.
    def has_change_permission(self, request, obj=None):
        if obj is not None and shared_change_refusal(obj=obj, user=request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and shared_change_refusal(obj=obj, user=request.user):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        refusal = obj and shared_change_refusal(obj=obj, user=request.user)
        if refusal:
            brief = refusal.briefs[0]
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">Open “{}”</a>.',
                    str(refusal),
                    reverse("admin:briefs_brief_change", args=[brief.pk]),
                    brief.title,
                ),
                messages.WARNING,
            )
        return super().change_view(request, object_id, form_url, extra_context)


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


class BodyActionForm(helpers.ActionForm):
    target = forms.ModelChoiceField(
        queryset=Body.objects.filter(placeholder=False),
        required=False,
        label="Into",
        help_text="The body the selected duplicates are merged into.",
    )


@admin.register(Body)
class BodyAdmin(SharedAdmin):
    list_display = ("name", "kind", "jurisdiction", "seats", "rule", "vote_count")
    list_filter = ("kind", "share", "placeholder")
    search_fields = ("name", "short_name", "aliases", "jurisdiction")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "aliases")}),
        ("What it is", {"fields": ("kind", "jurisdiction", "seats")}),
        (
            "How it decides",
            {
                "fields": (
                    "threshold_base",
                    "share",
                    "abstentions_count",
                    "min_yes",
                ),
                "description": "Leave the share 'not known' until you have "
                "checked the body's rules; votes are then taken as briefs "
                "state them.",
            },
        ),
    )
    inlines = (PermanentMemberInline,)
    action_form = BodyActionForm
    actions = ("merge_into",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(vote_total=Count("votes"))

    @admin.display(description="rule")
    def rule(self, body):
        return body.rule_text()

    @admin.display(description="votes", ordering="vote_total")
    def vote_count(self, body):
        return body.vote_total

    @admin.action(
        description="Merge the selected bodies into the body chosen below",
        permissions=["change"],
    )
    def merge_into(self, request, queryset):
        # The action form's own fields are checked by the admin; only ours here.
        try:
            target = BodyActionForm.base_fields["target"].clean(
                request.POST.get("target")
            )
        except ValidationError:
            target = None
        if target is None:
            self.message_user(request, "Choose the body to merge into.", messages.ERROR)
            return
        merged = []
        for body in queryset.exclude(pk=target.pk):
            try:
                body_merge(source=body, target=target)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{body} was not merged: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                merged.append(body.name)
        if merged:
            self.message_user(
                request,
                f"Merged into {target}: {', '.join(merged)}. Their votes and "
                "names moved with them.",
                messages.SUCCESS,
            )


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
    list_filter = ("body", "outcome", "vote_on", "context", "date")
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

    def get_urls(self):
        return [
            path(
                "<path:object_id>/roll-call/",
                self.admin_site.admin_view(self.roll_call_view),
                name="briefs_vote_rollcall",
            ),
            *super().get_urls(),
        ]

    def roll_call_view(self, request, object_id):
        vote = get_object_or_404(
            Vote.objects.select_related("body"), pk=unquote(object_id)
        )
        if not self.has_change_permission(request, vote):
            raise PermissionDenied
        form = RollCallForm(request.POST or None, request.FILES or None)
        problem = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                positions = roll_call_import(
                    vote=vote,
                    data=upload.read(),
                    filename=upload.name,
                    user=request.user,
                )
            except RollCallError as error:
                problem = error
            else:
                self.message_user(
                    request,
                    f"{len(positions)} positions recorded from {upload.name}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:briefs_vote_change", args=[vote.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": vote,
            "title": f"Load the roll call of “{vote.title}”",
            "form": form,
            "problem": problem,
        }
        return TemplateResponse(request, "admin/briefs/vote/roll_call.html", context)


class RollCallForm(forms.Form):
    file = forms.FileField(
        help_text="A CSV file with a member column (ms_code, ms_name, member or "
        "name) and a position column (ms_vote, position or vote: Y, N, A or "
        "empty). It replaces the positions recorded so far, and only if it "
        "agrees with the vote's counts."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                f"The file is larger than the {settings.IMPORT_MAX_BYTES:,} bytes "
                "a roll call may be."
            )
        return upload


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


@admin.register(UnreadVote)
class UnreadVoteAdmin(admin.ModelAdmin):
    """Sentences the importer took for votes but could not read: an editor
    records the vote by hand (and chooses it) or marks the sentence no vote."""

    list_display = ("sentence", "reason", "brief", "resolution")
    list_filter = ("resolution",)
    list_select_related = ("bullet__section__brief", "vote")
    search_fields = ("sentence",)
    fields = ("brief", "sentence", "reason", "resolution", "vote")
    readonly_fields = ("brief", "sentence", "reason")
    autocomplete_fields = ("vote",)
    actions = ("mark_no_vote",)

    def has_add_permission(self, request):
        return False

    @admin.display(description="brief")
    def brief(self, unread):
        return unread.bullet.section.brief

    @admin.action(description="Mark the selected sentences as no vote")
    def mark_no_vote(self, request, queryset):
        for unread in queryset.filter(resolution=UnreadVote.Resolution.OPEN):
            unread.resolution = UnreadVote.Resolution.NO_VOTE
            unread.full_clean()
            unread.save()

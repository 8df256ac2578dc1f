"""The brief's admin: one page to write it, its workflow, history and previews."""

import hashlib
import json

import nested_admin
import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from briefs.importer import BriefFormatError
from briefs.models import Brief, Correction, LeadImage, Source, StaleBriefError
from briefs.preview import BriefPreviewView, share_link_expiry, share_url
from briefs.services import (
    DraftError,
    LiveBriefError,
    StaleDraftError,
    brief_delete,
    brief_import,
    brief_import_preview,
    brief_paste,
    brief_restore,
    brief_transition,
    brief_update,
    draft_discard,
    draft_problems,
    draft_publish,
    draft_save,
    edits_wait,
    pending_draft,
)
from briefs.services.drafts import (
    brief_data,
    data_as_text,
    draft_shown,
    paste_makes_draft,
    pasted_data,
)

from ..access import publishes
from . import history
from .collaboration import CollaborationMixin
from .forms import BriefAdminForm, BriefImportForm, BriefPasteForm
from .images import LeadImageInline
from .inlines import (
    CheckedVotesWidget,
    CorrectionInline,
    EditorAutocomplete,
    SectionInline,
    checklist_rows,
    source_labels,
)
from .merge import merge

TRANSITION_LABELS = {
    "submit_for_review": "Submit for review",
    "publish": "Publish",
    "archive": "Archive",
    "return_to_draft": "Return to draft",
}
# What the buttons of the change page's form do once the form is saved.
FORM_ACTIONS = {
    **TRANSITION_LABELS,
    "schedule": "Schedule",
    "revoke": "Revoke all shared links",
}


def error_messages(error):
    """Return the messages of a ValidationError or PermissionDenied as a list."""
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return [m for ms in error.message_dict.values() for m in ms]
        return list(error.messages)
    return [str(error)]


def run_transition(brief, action, user, at=None):
    """Call the model's transition `action` as `user`, recorded as a revision."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"{TRANSITION_LABELS[action]}.")
        brief_transition(brief=brief, action=action, user=user, at=at)


class PendingDraftFilter(admin.SimpleListFilter):
    title = "pending draft"
    parameter_name = "pending_draft"

    def lookups(self, request, model_admin):
        return (("yes", "Has a pending draft"), ("no", "No pending draft"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_pending_draft()
        if self.value() == "no":
            return queryset.exclude(pk__in=Brief.objects.with_pending_draft())
        return queryset


def schedule_time(value):
    """Return the future moment `value` names (local time if naive), or None."""
    at = parse_datetime(value or "")
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at is None or at <= timezone.now():
        return None
    return at


def transition_done(brief):
    """Say where a transition left `brief`."""
    done = brief.get_status_display().lower()
    if brief.is_scheduled:
        local = timezone.localtime(brief.published_at)
        done = f"scheduled for {local:%d %b %Y %H:%M}"
    return f"“{brief.title}” is now {done}."


class ScheduledFilter(admin.SimpleListFilter):
    title = "scheduled"
    parameter_name = "scheduled"

    def lookups(self, request, model_admin):
        return (("yes", "Scheduled"), ("no", "Not scheduled"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.scheduled()
        if self.value() == "no":
            return queryset.exclude(pk__in=Brief.objects.scheduled().values("pk"))
        return queryset


@admin.register(Brief)
class BriefAdmin(CollaborationMixin, nested_admin.NestedModelAdmin):
    form = BriefAdminForm
    change_form_template = "admin/briefs/brief/change_form.html"
    list_display = (
        "title",
        "status_label",
        "draft_label",
        "first_published_at",
        "last_updated_at",
        "author_names",
        "vote_count",
    )
    list_filter = (
        "status",
        PendingDraftFilter,
        ScheduledFilter,
        "topics",
        ("authors", admin.RelatedOnlyFieldListFilter),
        "published_at",
    )
    search_fields = ("title", "summary", "sections__bullets__text")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("topics", "sources", "votes")
    readonly_fields = (
        "status",
        "published_at",
        "first_published_at",
        "last_updated_at",
        "version",
        "uuid",
    )
    # Fields share lines so that the page stays short enough to work on.
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("title", "slug", "summary"),
                    ("authors", "topics", "votes", "sources"),
                    "expected_version",
                )
            },
        ),
        (
            "Publication",
            {
                "fields": (
                    ("status", "published_at", "embargo_until"),
                    ("first_published_at", "last_updated_at", "version", "uuid"),
                    "material_update",
                )
            },
        ),
    )
    inlines = (SectionInline, CorrectionInline, LeadImageInline)
    actions = (
        "submit_for_review",
        "publish_now",
        "archive",
        "return_to_draft",
    )

    class Media:
        js = (
            "admin-briefs/brief-counter.js",
            "admin-briefs/brief-editor.js",
            "admin-briefs/brief-save.js",
            "admin-briefs/notes.js",
        )
        css = {"all": ("admin-briefs/brief-admin.css",)}

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.first_published_at is not None:
            return self.fieldsets
        # Until readers have seen the brief, its dates are blank: fold them away.
        *fieldsets, (name, options) = self.fieldsets
        return (*fieldsets, (name, {**options, "classes": ("collapse",)}))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "votes" and "widget" not in kwargs:
            kwargs["widget"] = CheckedVotesWidget(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
                rows=checklist_rows(request),
            )
        elif db_field.name in self.autocomplete_fields and "widget" not in kwargs:
            kwargs["widget"] = EditorAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def view_on_site(self, brief):
        if brief.is_published:
            return brief.get_absolute_url()
        # Readers would get a 404; staff get the preview instead.
        return reverse("admin:briefs_brief_preview", args=[brief.pk])

    # List ------------------------------------------------------------------

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(vote_total=Count("votes", distinct=True))
            .select_related("pending_draft__author")
            .prefetch_related("authors")
        )

    @admin.display(description="status", ordering="status")
    def status_label(self, brief):
        if brief.is_scheduled:
            local = timezone.localtime(brief.published_at)
            return f"Scheduled for {local:%d %b %Y %H:%M}"
        return brief.get_status_display()

    @admin.display(description="pending draft")
    def draft_label(self, brief):
        draft = getattr(brief, "pending_draft", None)
        if draft is None:
            return "—"
        return f"Draft waiting, by {draft.author_name}"

    @admin.display(description="authors")
    def author_names(self, brief):
        return ", ".join(
            user.get_full_name() or user.get_username() for user in brief.authors.all()
        )

    @admin.display(description="votes", ordering="vote_total")
    def vote_count(self, brief):
        return brief.vote_total

    # Permissions and actions ------------------------------------------------

    def has_publish_permission(self, request):
        return publishes(request.user)

    def _bulk(self, request, queryset, action):
        done, refused = 0, []
        for brief in queryset:
            try:
                run_transition(brief, action, request.user)
            except (PermissionDenied, ValidationError) as error:
                reasons = " ".join(error_messages(error))
                refused.append(f"“{brief.title}”: {reasons}")
            else:
                done += 1
        label = TRANSITION_LABELS[action].lower()
        if done:
            self.message_user(
                request, f"{label.capitalize()}: {done} brief(s).", messages.SUCCESS
            )
        for message in refused:
            self.message_user(request, f"Not {label}: {message}", messages.ERROR)

    @admin.action(description="Submit selected briefs for review")
    def submit_for_review(self, request, queryset):
        self._bulk(request, queryset, "submit_for_review")

    @admin.action(description="Publish selected briefs now", permissions=("publish",))
    def publish_now(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Archive selected briefs", permissions=("publish",))
    def archive(self, request, queryset):
        self._bulk(request, queryset, "archive")

    @admin.action(description="Return selected briefs to draft")
    def return_to_draft(self, request, queryset):
        self._bulk(request, queryset, "return_to_draft")

    # Saving -------------------------------------------------------------------

    def edits_draft(self, request, brief):
        """Return True if the change form of `brief` shows its pending draft:
        for those who may not publish, and for editors who ask (?draft)."""
        return (
            brief is not None
            and brief.status == Brief.Status.PUBLISHED
            and (not publishes(request.user) or "draft" in request.GET)
            and pending_draft(brief) is not None
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        brief = None
        if object_id is not None:
            brief = Brief.objects.filter(pk=unquote(object_id)).first()
        if self.edits_draft(request, brief):
            return self._draft_changeform(request, brief, object_id, form_url)
        if request.method != "POST":
            if object_id is not None:
                self._start_history(request, object_id)
            return super().changeform_view(request, object_id, form_url, extra_context)
        action = request.POST.get("_action") if object_id is not None else None
        if action is not None and action not in FORM_ACTIONS:
            raise Http404("No such action on this page.")
        self._prepare_merge(request, object_id)
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                response = super().changeform_view(
                    request, object_id, form_url, extra_context
                )
        except StaleBriefError:
            # Someone saved between this form's check and its save. Showing the
            # form again lets its check name them, keeping this user's text.
            self._prepare_merge(request, object_id)
            response = super().changeform_view(
                request, object_id, form_url, extra_context
            )
        except LiveBriefError as error:
            # Nothing was saved; the form comes back with this user's text and
            # the checklist items the edit would break.
            request.refusal = error
            response = super().changeform_view(
                request, object_id, form_url, extra_context
            )
        saved = getattr(request, "saved_for_action", None)
        if action is None:
            return response
        if saved is None:
            self.message_user(
                request,
                f"Nothing was saved and “{FORM_ACTIONS[action]}” was not done: "
                "your changes are still in the form; correct what is marked, "
                "then try again.",
                messages.ERROR,
            )
            return response
        self._form_action(request, saved, action)
        return HttpResponseRedirect(self._change_url(saved))

    def _prepare_merge(self, request, object_id):
        """Merge a form based on an older version with the one stored now."""
        request.merge = None
        if object_id is None:
            return
        try:
            expected = int(request.POST.get("expected_version", ""))
        except ValueError:
            return
        brief = Brief.objects.filter(pk=unquote(object_id)).first()
        if brief is None or brief.version == expected:
            return
        fields = BriefAdminForm.base_fields.keys()
        request.merge = merge(brief, request.POST, expected, fields)

    def _form_action(self, request, brief, action):
        """Do `action` on `brief`, whose form was just saved."""
        brief.refresh_from_db()
        label = FORM_ACTIONS[action]
        if action == "revoke":
            if not publishes(request.user):
                self.message_user(
                    request,
                    "Your changes are saved; only an editor may revoke shared links.",
                    messages.ERROR,
                )
                return
            brief.revoke_share_links()
            self.message_user(
                request,
                "Your changes are saved, and every preview link shared so far has "
                "stopped working.",
                messages.SUCCESS,
            )
            return
        transition = "publish" if action == "schedule" else action
        at = request.schedule_at if action == "schedule" else None
        try:
            run_transition(brief, transition, request.user, at=at)
        except (PermissionDenied, ValidationError) as error:
            reasons = " ".join(error_messages(error))
            self.message_user(
                request,
                f"Your changes are saved, but “{label}” was refused: {reasons}",
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                f"Your changes are saved, and {transition_done(brief)}",
                messages.SUCCESS,
            )

    def _draft_changeform(self, request, brief, object_id, form_url):
        """The change form shown on, and saved to, the pending draft of `brief`.

        The form and its inlines are built, checked and saved on the draft's
        rows laid out in a rolled-back savepoint; what they hold then becomes
        the draft's new content, so that nothing already in it is lost.
        """
        request.editing_draft = True
        with draft_shown(brief):
            response = super().changeform_view(request, object_id, form_url)
            if hasattr(response, "render"):
                response.render()
        saved = getattr(request, "draft_change", None)
        if saved is None:
            return response
        try:
            draft_save(brief=brief, user=request.user, on_draft=True, **saved)
        except StaleBriefError:
            self.message_user(
                request,
                "Someone saved the live brief while you were editing: nothing "
                "was saved. Go back to keep your text, and save again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._change_url(brief))
        except ValidationError as error:
            for message in error_messages(error):
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(brief))
        request.editing_draft = False
        self.log_change(request, brief, "Saved the pending draft.")
        return response

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # An embargo decides when readers see a brief: editors' call.
        if not publishes(request.user):
            fields = (*fields, "embargo_until")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusals = []
        if getattr(request, "refusal", None) is not None:
            refusals.extend(request.refusal.messages)
        if request.method == "POST" and request.POST.get("_action") == "schedule":
            request.schedule_at = schedule_time(request.POST.get("_schedule_at"))
            if request.schedule_at is None:
                refusals.append("To schedule, choose a date and time in the future.")
        merged = getattr(request, "merge", None)
        if not refusals and merged is None:
            return form

        class CheckedForm(form):
            def __init__(self, data=None, *args, **kwargs):
                if data is not None and merged is not None:
                    # Shown again with what only the other person changed.
                    data = merged.data.copy()
                super().__init__(data, *args, **kwargs)

            def clean(self):
                super().clean()
                if refusals:
                    raise ValidationError(refusals)

        return CheckedForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        merged = getattr(request, "merge", None)
        if merged is not None and "data" in kwargs:
            kwargs["data"] = merged.data.copy()
        return kwargs

    def _start_history(self, request, object_id):
        # A brief made outside the admin (import, API, shell) gets its first
        # revision when someone opens it, so that the first edit has a "before".
        brief = Brief.objects.filter(pk=unquote(object_id)).first()
        if brief is not None and not history.brief_versions(brief).exists():
            history.save_revision(
                brief, None, "History starts: the brief as it was before editing."
            )

    def save_model(self, request, obj, form, change):
        """Leave the saving to `save_related`: one service call saves it all."""

    def delete_model(self, request, obj):
        brief_delete(brief=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for brief in queryset:
            brief_delete(brief=brief, user=request.user)

    def saves_draft(self, request, brief):
        """Return True if this edit of `brief` is kept as its pending draft."""
        if getattr(request, "editing_draft", False):
            return True
        if (
            brief.pk is None
            or not Brief.objects.filter(
                pk=brief.pk, status=Brief.Status.PUBLISHED
            ).exists()
        ):
            return False
        return "_save_draft" in request.POST or edits_wait(
            Brief(status=Brief.Status.PUBLISHED), request.user
        )

    def save_related(self, request, form, formsets, change):
        def save_inlines():
            super(BriefAdmin, self).save_related(request, form, formsets, change)

        if change and self.saves_draft(request, form.instance):
            # Correction notes are public at once: they are no part of a draft.
            kept = [f for f in formsets if f.model is not Correction]
            notes = [f for f in formsets if f.model is Correction]
            for formset in notes:
                # Nothing of them is saved, and the change message says so.
                formset.new_objects = formset.changed_objects = []
                formset.deleted_objects = []
            if any(f.has_changed() for f in notes):
                self.message_user(
                    request,
                    "The correction notes were not saved: they go live at once, "
                    "so they are saved with 'Publish changes', by an editor.",
                    messages.WARNING,
                )

            # The lead image goes into the draft as its own file (see draft_save).
            images = [f for f in kept if f.model is LeadImage]
            kept = [f for f in kept if f.model is not LeadImage]
            image_change = None
            for formset in images:
                image_change = formset.requested_change()
                formset.new_objects = formset.changed_objects = []
                formset.deleted_objects = []

            def save_content():
                form.save_m2m()
                for formset in kept:
                    self.save_formset(request, form, formset, change=change)

            arguments = {
                "expected_version": form.cleaned_data["expected_version"],
                "material_update": bool(form.cleaned_data.get("material_update")),
                "lead_image": image_change,
            }
            request.saved_draft = True
            if getattr(request, "editing_draft", False):
                # On the draft's rows already: what they hold now is the draft.
                form.instance.save()
                save_content()
                request.draft_change = {**arguments, "data": brief_data(form.instance)}
                return
            draft_save(
                brief=form.instance,
                user=request.user,
                content=save_content,
                **arguments,
            )
            return
        brief_update(
            brief=form.instance,
            expected_version=form.cleaned_data["expected_version"] if change else None,
            user=request.user,
            content=save_inlines,
            material_update=bool(form.cleaned_data.get("material_update")),
        )

    def response_change(self, request, obj):
        if getattr(request, "saved_draft", False):
            self.message_user(
                request,
                f"Saved your changes to “{obj.title}” as a draft. Readers still "
                "see the live version until an editor publishes the draft.",
                messages.SUCCESS,
            )
        if request.POST.get("_action") in FORM_ACTIONS:
            # The action itself runs once the save's revision is closed.
            request.saved_for_action = obj
            return HttpResponseRedirect(self._change_url(obj))
        if getattr(request, "saved_draft", False):
            url = self._change_url(obj)
            if publishes(request.user):
                # The editor chose the draft: the form goes on showing it.
                url += "?draft"
            return HttpResponseRedirect(url)
        return super().response_change(request, obj)

    def log_change(self, request, obj, message):
        if getattr(request, "saved_draft", False):
            message = "Saved a pending draft."
            if getattr(request, "editing_draft", False):
                # Inside the draft's rolled-back rows: logged once saved.
                return None
        self._comment(message)
        return super().log_change(request, obj, message)

    def log_addition(self, request, obj, message):
        self._comment(message)
        return super().log_addition(request, obj, message)

    @staticmethod
    def _comment(message):
        if reversion.is_active():
            reversion.set_comment(
                message if isinstance(message, str) else json.dumps(message)
            )

    # Change page -----------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        brief = context.get("original")
        if brief is not None:
            source_labels(request).update(
                (str(source.pk), str(source))
                for source in Source.objects.filter(
                    bullets__section__brief=brief
                ).distinct()
            )
            checklist = brief.publish_checklist()
            rows = checklist_rows(request)
            for item in checklist:
                if item.row is not None:
                    rows.setdefault(item.row, []).append(item)
            draft = pending_draft(brief)
            live = brief.status == Brief.Status.PUBLISHED
            context.update(
                draft=draft,
                editing_draft=getattr(request, "editing_draft", False),
                draft_stale=draft is not None and draft.is_stale(brief.version),
                draft_problems=draft_problems(draft) if draft is not None else [],
                may_publish=self.has_publish_permission(request),
                may_discard=draft is not None
                and (
                    self.has_publish_permission(request)
                    or draft.author_id == request.user.pk
                ),
                live_edit=live and self.has_change_permission(request, brief),
                checklist=[(item.where, item.message) for item in checklist],
                checklist_rows=rows,
                checklist_warnings=brief.publish_warnings(),
                transitions=[
                    (action, TRANSITION_LABELS[action])
                    for action in Brief.TRANSITIONS
                    if brief.can(action, request.user)
                ],
                may_share=request.user.has_perm("briefs.change_brief"),
                may_revoke=publishes(request.user),
                share_url=request.build_absolute_uri(share_url(brief)),
                share_expiry=share_link_expiry(),
                now=timezone.localtime(),
                conflict=getattr(request, "merge", None),
            )
        return super().render_change_form(
            request, context, add=add, change=change, **kwargs
        )

    # Extra pages --------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(self.import_view),
                name="briefs_brief_import",
            ),
            path(
                "recover/",
                wrap(self.recover_list_view),
                name="briefs_brief_recoverlist",
            ),
            path(
                "recover/<int:version_id>/",
                wrap(require_POST(self.recover_view)),
                name="briefs_brief_recover",
            ),
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name="briefs_brief_preview",
            ),
            path(
                "<path:object_id>/transition/<str:action>/",
                wrap(require_POST(self.transition_view)),
                name="briefs_brief_transition",
            ),
            path(
                "<path:object_id>/revoke-share-links/",
                wrap(require_POST(self.revoke_view)),
                name="briefs_brief_revoke",
            ),
            path(
                "<path:object_id>/draft/",
                wrap(self.draft_view),
                name="briefs_brief_draft",
            ),
            path(
                "<path:object_id>/draft/<str:action>/",
                wrap(require_POST(self.draft_action_view)),
                name="briefs_brief_draft_action",
            ),
            path(
                "<path:object_id>/paste/",
                wrap(self.paste_view),
                name="briefs_brief_paste",
            ),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="briefs_brief_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                wrap(require_POST(self.restore_view)),
                name="briefs_brief_restore",
            ),
            *super().get_urls(),
        ]

    def _brief_or_404(self, request, object_id, permission="view"):
        brief = get_object_or_404(Brief, pk=unquote(object_id))
        allowed = {
            "view": self.has_view_permission,
            "change": self.has_change_permission,
        }[permission](request, brief)
        if not allowed:
            raise PermissionDenied
        return brief

    def _change_url(self, brief):
        return reverse("admin:briefs_brief_change", args=[brief.pk])

    def preview_view(self, request, object_id):
        brief = self._brief_or_404(request, object_id)
        return BriefPreviewView.as_view()(request, slug=brief.slug)

    def transition_view(self, request, object_id, action):
        """Run one step of the workflow without the form (the list's actions)."""
        brief = self._brief_or_404(request, object_id)
        if action not in Brief.TRANSITIONS:
            raise Http404("No such step in the workflow.")
        at = None
        if action == "publish" and request.POST.get("at"):
            at = schedule_time(request.POST["at"])
            if at is None:
                self.message_user(
                    request,
                    "To schedule, choose a date and time in the future.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(self._change_url(brief))
        try:
            run_transition(brief, action, request.user, at=at)
        except (PermissionDenied, ValidationError) as error:
            for message in error_messages(error):
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, transition_done(brief), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(brief))

    def revoke_view(self, request, object_id):
        brief = self._brief_or_404(request, object_id, "change")
        if not publishes(request.user):
            raise PermissionDenied
        brief.revoke_share_links()
        self.message_user(
            request,
            "Every preview link shared so far has stopped working.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(brief))

    def history_view(self, request, object_id, extra_context=None):
        brief = self._brief_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": brief,
            "title": f"History of “{brief.title}”",
            "versions": history.brief_versions(brief),
            "may_restore": self.has_change_permission(request, brief),
        }
        return TemplateResponse(request, "admin/briefs/brief/revisions.html", context)

    def compare_view(self, request, object_id):
        brief = self._brief_or_404(request, object_id)
        versions = history.brief_versions(brief)
        try:
            old = versions.get(pk=int(request.GET.get("a", "")))
            new = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, versions.model.DoesNotExist):
            raise Http404("Choose two revisions of this brief to compare.") from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        changes = history.compare(
            history.snapshot(old.revision), history.snapshot(new.revision)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": brief,
            "title": f"Changes to “{brief.title}”",
            "old": old,
            "new": new,
            "changes": changes,
            "may_restore": self.has_change_permission(request, brief),
        }
        return TemplateResponse(request, "admin/briefs/brief/compare.html", context)

    # Pending draft and paste to replace ------------------------------------

    def draft_view(self, request, object_id):
        brief = self._brief_or_404(request, object_id)
        draft = pending_draft(brief)
        if draft is None:
            self.message_user(request, "This brief has no pending draft.")
            return HttpResponseRedirect(self._change_url(brief))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": brief,
            "title": f"Pending draft of “{brief.title}”",
            "draft": draft,
            "draft_stale": draft.is_stale(brief.version),
            "draft_problems": draft_problems(draft),
            "changes": history.compare_data(brief_data(brief), draft.data),
            "may_publish": self.has_publish_permission(request),
            "may_discard": self.has_publish_permission(request)
            or draft.author_id == request.user.pk,
        }
        return TemplateResponse(request, "admin/briefs/brief/draft.html", context)

    def draft_action_view(self, request, object_id, action):
        brief = self._brief_or_404(request, object_id, "change")
        if action not in ("publish", "discard"):
            raise Http404("A draft is published or discarded.")
        try:
            if action == "publish":
                draft_publish(
                    brief=brief, user=request.user, force="force" in request.POST
                )
            else:
                draft_discard(brief=brief, user=request.user)
        except StaleDraftError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:briefs_brief_draft", args=[brief.pk])
            )
        except (PermissionDenied, ValidationError) as error:
            for message in error_messages(error):
                self.message_user(request, message, messages.ERROR)
            if isinstance(error, LiveBriefError):
                self.message_user(
                    request,
                    "The draft was not published and is kept: fix it first.",
                    messages.ERROR,
                )
            return HttpResponseRedirect(self._change_url(brief))
        done = (
            "published: readers see it now"
            if action == "publish"
            else "discarded; the live version stays"
        )
        self.message_user(request, f"The draft was {done}.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(brief))

    def paste_view(self, request, object_id):
        brief = self._brief_or_404(request, object_id, "change")
        makes_draft = paste_makes_draft(brief, request.user)
        # What the text replaces: the pending draft, when it goes there.
        draft = pending_draft(brief) if makes_draft else None
        before = draft.data if draft is not None else brief_data(brief)
        if request.method == "POST":
            form = BriefPasteForm(request.POST)
        else:
            form = BriefPasteForm(initial={"text": data_as_text(before)})
        problem, preview, new_votes = None, None, []
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if "_apply" in request.POST:
                    brief, draft = brief_paste(
                        brief=brief, text=text, user=request.user
                    )
                else:
                    data, new_votes, _ = pasted_data(
                        brief=brief, text=text, on_draft=makes_draft
                    )
                    preview = history.compare_data(before, data)
            except BriefFormatError as error:
                problem = error
            except (LiveBriefError, DraftError) as error:
                problem = " ".join(error_messages(error))
            else:
                if "_apply" in request.POST:
                    if draft is not None:
                        done = (
                            "saved as the pending draft; readers see the live "
                            "version until an editor publishes it"
                        )
                    else:
                        done = "applied as a new revision"
                    self.message_user(
                        request, f"The pasted text was {done}.", messages.SUCCESS
                    )
                    return HttpResponseRedirect(self._change_url(brief))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": brief,
            "title": f"Replace “{brief.title}” with pasted text",
            "form": form,
            "problem": problem,
            "preview": preview,
            "new_votes": new_votes,
            "becomes_draft": makes_draft,
        }
        return TemplateResponse(request, "admin/briefs/brief/paste.html", context)

    def restore_view(self, request, object_id, version_id):
        brief = self._brief_or_404(request, object_id, "change")
        version = get_object_or_404(history.brief_versions(brief), pk=version_id)
        try:
            brief_restore(brief=brief, revision=version.revision, user=request.user)
        except LiveBriefError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            self.message_user(
                request,
                "Nothing was restored: return the brief to draft first, or fix "
                "the revision's content after restoring it to a draft.",
                messages.ERROR,
            )
            return HttpResponseRedirect(self._change_url(brief))
        when = timezone.localtime(version.revision.date_created)
        self.message_user(
            request,
            f"Restored the revision of {when:%d %b %Y %H:%M}; "
            "the restore is itself a new revision.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(brief))

    def recover_list_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        deleted = [
            (version, history.may_recover(request.user, version))
            for version in history.deleted_briefs()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Recover deleted briefs",
            "deleted": deleted,
        }
        return TemplateResponse(
            request, "admin/briefs/brief/recover_list.html", context
        )

    def recover_view(self, request, version_id):
        version = get_object_or_404(history.deleted_briefs(), pk=version_id)
        if not history.may_recover(request.user, version):
            raise PermissionDenied
        try:
            brief = history.recover(version, request.user)
        except history.RecoveryError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:briefs_brief_recoverlist"))
        self.message_user(
            request,
            f"Recovered “{brief.title}” with its sections, bullets, links and "
            "corrections, as it was when deleted.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(brief))

    def import_view(self, request):
        """Read a pasted or uploaded brief, show each vote read beside its
        sentence (and each sentence that could not be read), and save it once
        the editor confirms."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BriefImportForm(request.POST or None, request.FILES or None)
        problem = preview = None
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["source"]
            filename = form.cleaned_data["filename"]
            try:
                parsed = brief_import_preview(text=text, filename=filename)
                # Save only the very text whose votes the editor was shown.
                seen = hashlib.sha256(text.strip().encode()).hexdigest()
                confirmed = request.POST.get("previewed") == seen
                if ("confirm" in request.POST and confirmed) or not (
                    parsed.votes or parsed.unread_votes
                ):
                    with transaction.atomic(), reversion.create_revision():
                        reversion.set_user(request.user)
                        reversion.set_comment("Imported from plain text.")
                        brief = brief_import(
                            text=text,
                            filename=filename,
                            author=request.user,
                            allow_unread_votes=True,
                        )
                else:
                    preview = parsed
                    form = BriefImportForm(
                        initial={"text": text, "name": filename, "previewed": seen}
                    )
            except BriefFormatError as error:
                problem = error
            else:
                if preview is None:
                    self.message_user(
                        request,
                        f"Imported “{brief.title}” as a draft. Check it, then "
                        "submit it for review.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self._change_url(brief))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Check the votes read" if preview else "Import a brief",
            "form": form,
            "problem": problem,
            "preview": preview,
        }
        return TemplateResponse(request, "admin/briefs/brief/import.html", context)

"""The inlines that put a brief's sections and bullets on its own page."""

import nested_admin
from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.html import format_html, format_html_join

from briefs.models import (
    MAX_BULLETS_PER_BRIEF,
    MAX_SECTIONS_PER_BRIEF,
    Bullet,
    Correction,
    Section,
    Vote,
    checklist_row,
    content_size_errors,
    prefetch,
)
from briefs.models.prefetch import held_as

# The editor shows each help text once, above the sections, and every field it
# describes points to it (aria-describedby) instead of repeating it per row.
EDITOR_HELP = {
    "heading": "Each section needs a heading and at least one bullet point to be "
    "published.",
    "text": "One claim per bullet point, in one or two sentences; the box grows as "
    "you type.",
    "sources": "Reported and alleged claims need a source to be published (type in "
    "a sources box to search).",
    "order": "Reorder by dragging a handle, or with the arrow buttons.",
}


def help_id(field):
    """Return the id of the one element on the page that holds `field`'s help."""
    return f"brief-editor-help-{field}"


def described(field, attrs=None):
    """Return widget attributes pointing at the shared help of `field`."""
    ids = f"{help_id(field)} {help_id('order')}"
    return {**(attrs or {}), "aria-describedby": ids}


def source_labels(request):
    """Return the page's shared {pk: label} of sources (filled by the change page)."""
    if not hasattr(request, "brief_source_labels"):
        request.brief_source_labels = {}
    return request.brief_source_labels


class EditorAutocomplete(AutocompleteSelectMultiple):
    """A search-as-you-type picker without select2's "clear all" cross.

    Each chosen item keeps its own remove cross; the extra one sits inside
    select2's list of choices, where screen readers expect only list items.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


class KnownSourcesWidget(EditorAutocomplete):
    """The sources picker, labelled from one lookup shared by every bullet.

    The stock widget looks up the chosen sources of each bullet on its own:
    one query per bullet. `known` maps pk to label for the whole page.
    """

    def __init__(self, *args, known, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in EMPTY_VALUES]
        if not all(pk in self.known for pk in chosen):
            return super().optgroups(name, value, attr)
        options = [
            self.create_option(name, pk, self.known[pk], True, index)
            for index, pk in enumerate(chosen)
        ]
        return [(None, options, 0)]


def checklist_rows(request):
    """Return the page's shared {row key: checklist items} (see `checklist_row`)."""
    if not hasattr(request, "brief_checklist_rows"):
        request.brief_checklist_rows = {}
    return request.brief_checklist_rows


class CheckedVotesWidget(EditorAutocomplete):
    """The brief's votes picker, followed by what each vote must fix to publish.

    `rows` is the page's checklist by row (filled by the change page before
    the form is drawn); only the chosen votes' items are shown.
    """

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    def problems(self, value):
        """Return the checklist items of the chosen votes (pks in `value`)."""
        return [
            item
            for pk in value
            if pk not in EMPTY_VALUES
            for item in self.rows.get(checklist_row(Vote(pk=pk)), [])
        ]

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        problems = self.problems(self.format_value(value))
        if not problems:
            return html
        items = format_html_join(
            "",
            "<li><strong>{}</strong>: {}</li>",
            ((item.where, item.message) for item in problems),
        )
        return format_html(
            '{}<ul class="row-problems vote-problems">{}</ul>', html, items
        )


class BulletFormSet(nested_admin.formsets.NestedInlineFormSet):
    def save(self, commit=True):
        section = self.instance
        if section.pk is None or not Section.objects.filter(pk=section.pk).exists():
            # The section was removed on this page and its bullets went with
            # it; saving them (their positions get renumbered) would bring
            # back bullets that belong to no section.
            self.changed_objects, self.deleted_objects, self.new_objects = [], [], []
            return []
        return super().save(commit)

    def get_queryset(self):
        # The bullets the sections were fetched with (SectionInline), not a
        # query for each section.
        bullets = getattr(self.instance, held_as("bullets"), None)
        return super().get_queryset() if bullets is None else bullets


def kept_forms(formset):
    """Return the forms of `formset` that will be saved (not deleted, not blank)."""
    # Validate the forms (it happens once) so that their DELETE box can be read.
    formset.is_valid()
    return [
        form
        for index, form in enumerate(formset.forms)
        if not marked_for_deletion(formset, form)
        and (index < formset.initial_form_count() or form.has_changed())
    ]


def marked_for_deletion(formset, form):
    """Return True if `form` (cleaned) has its DELETE box ticked."""
    cleaned = getattr(form, "cleaned_data", {})
    return formset.can_delete and bool(cleaned.get(DELETION_FIELD_NAME))


class SectionFormSet(nested_admin.formsets.NestedInlineFormSet):
    def clean(self):
        super().clean()
        sections = kept_forms(self)
        bullets = sum(
            len(kept_forms(bullet_formset))
            for form in sections
            for bullet_formset in getattr(form, "nested_formsets", [])
        )
        errors = content_size_errors(len(sections), bullets)
        if errors:
            raise ValidationError(errors)


class BulletInline(nested_admin.SortableHiddenMixin, nested_admin.NestedStackedInline):
    """Each bullet on one row: its text, attribution and sources side by side."""

    model = Bullet
    formset = BulletFormSet
    fields = ("text", "attribution", "sources", "position")
    autocomplete_fields = ("sources",)
    sortable_field_name = "position"
    extra = 0
    # The brief as a whole is checked by SectionFormSet; this hides "Add".
    max_num = MAX_BULLETS_PER_BRIEF
    template = "admin/briefs/brief/editor_bullets.html"

    def get_formset(self, request, obj=None, **kwargs):
        # The help is shown once per page (SectionInline), not under each bullet.
        kwargs["widgets"] = {
            "text": forms.Textarea(attrs=described("text", {"rows": 1})),
            "attribution": forms.Select(attrs=described("sources")),
        }
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sources" and "widget" not in kwargs:
            kwargs["widget"] = KnownSourcesWidget(
                db_field,
                self.admin_site,
                attrs=described("sources"),
                using=kwargs.get("using"),
                known=source_labels(request),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")

    def has_delete_permission(self, request, obj=None):
        # Removing a bullet is part of editing the brief it belongs to.
        return request.user.has_perm("briefs.change_brief")


class SectionInline(nested_admin.SortableHiddenMixin, nested_admin.NestedStackedInline):
    """The brief editor: collapsible sections, each with its rows of bullets."""

    model = Section
    formset = SectionFormSet
    max_num = MAX_SECTIONS_PER_BRIEF
    fields = ("heading", "position")
    sortable_field_name = "position"
    inlines = (BulletInline,)
    extra = 0
    template = "admin/briefs/brief/editor_sections.html"
    editor_help = {field: (help_id(field), text) for field, text in EDITOR_HELP.items()}

    def get_queryset(self, request):
        bullets = Bullet.objects.order_by("position", "id").prefetch_related("sources")
        return (
            super().get_queryset(request).prefetch_related(prefetch("bullets", bullets))
        )

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["widgets"] = {"heading": forms.TextInput(attrs=described("heading"))}
        return super().get_formset(request, obj, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("briefs.change_brief")


class CorrectionInline(nested_admin.NestedStackedInline):
    model = Correction
    fields = ("kind", "text", "published_at")
    extra = 0
    verbose_name = "correction or update note"

    def has_add_permission(self, request, obj=None):
        # Only a brief that readers have seen can be corrected.
        return bool(
            obj and obj.first_published_at and super().has_add_permission(request, obj)
        )

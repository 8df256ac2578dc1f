"""The inlines that put a brief's sections and bullets on its own page."""

import nested_admin
from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES
from django.forms.formsets import DELETION_FIELD_NAME

from briefs.models import (
    MAX_BULLETS_PER_BRIEF,
    MAX_SECTIONS_PER_BRIEF,
    Bullet,
    Correction,
    Section,
    content_size_errors,
    prefetch,
)
from briefs.models.prefetch import held_as


def source_labels(request):
    """Return the page's shared {pk: label} of sources (filled by the change page)."""
    if not hasattr(request, "brief_source_labels"):
        request.brief_source_labels = {}
    return request.brief_source_labels


class KnownSourcesWidget(AutocompleteSelectMultiple):
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
    model = Bullet
    formset = BulletFormSet
    fields = ("text", "attribution", "sources", "position")
    autocomplete_fields = ("sources",)
    sortable_field_name = "position"
    extra = 0
    # The brief as a whole is checked by SectionFormSet; this hides "Add".
    max_num = MAX_BULLETS_PER_BRIEF
    classes = ("brief-bullets",)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["help_texts"] = {
            "text": "One claim, in one or two sentences. Drag to reorder.",
            "sources": "Type to search the sources. Reported and alleged claims "
            "need at least one before the brief can be published.",
        }
        kwargs["widgets"] = {"text": forms.Textarea(attrs={"rows": 2})}
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "sources" and "widget" not in kwargs:
            kwargs["widget"] = KnownSourcesWidget(
                db_field,
                self.admin_site,
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
    model = Section
    formset = SectionFormSet
    max_num = MAX_SECTIONS_PER_BRIEF
    fields = ("heading", "position")
    sortable_field_name = "position"
    inlines = (BulletInline,)
    extra = 0
    classes = ("brief-sections",)

    def get_queryset(self, request):
        bullets = Bullet.objects.order_by("position", "id").prefetch_related("sources")
        return (
            super().get_queryset(request).prefetch_related(prefetch("bullets", bullets))
        )

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["help_texts"] = {
            "heading": "A short heading; every section needs at least one bullet "
            "point before the brief can be published. Drag to reorder.",
        }
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

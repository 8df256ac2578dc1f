"""The brief's lead image on its admin page: upload, alt text, credit, caption."""

import nested_admin
from django import forms
from django.core.files.storage import default_storage
from django.utils.html import format_html

from briefs.images import check_upload
from briefs.models import LeadImage
from briefs.services import lead_image_remove, lead_image_save

ACCEPT = "image/jpeg,image/png,image/webp"


class LeadImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Image file",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text="JPEG, PNG or WebP. Choosing a file replaces the current image. "
        "Sizes for phones and wide screens are made from it in the background.",
    )

    class Meta:
        model = LeadImage
        fields = ("upload", "alt", "credit", "caption")
        widgets = {"caption": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The inline is a table: its column headings are no labels to a
        # screen reader, so each field names itself.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", f"Lead image: {field.label}")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        # Checked here, so that a refused file comes back as a field error
        # with the rest of the page as the editor left it.
        self.checked = check_upload(upload) if upload else None
        return upload

    def clean(self):
        cleaned = super().clean()
        has_image = self.instance.file.name or getattr(self, "checked", None)
        if self.has_changed() and not has_image and "upload" not in self.errors:
            self.add_error("upload", "Choose an image file to upload.")
        return cleaned


class LeadImageFormSet(nested_admin.formsets.NestedInlineFormSet):
    """Saves through the lead image services, inside the brief's own change."""

    def requested_change(self):
        """Return the change asked of the image, as `draft_save` takes it, or None."""
        for index, form in enumerate(self.forms):
            existing = index < self.initial_form_count()
            if existing and self.can_delete and form.cleaned_data.get("DELETE"):
                return {"remove": True}
            if form.has_changed():
                return {
                    "image": form.checked,
                    **{k: form.cleaned_data[k] for k in ("alt", "credit", "caption")},
                }
        return None

    def save(self, commit=True):
        brief = self.instance
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for index, form in enumerate(self.forms):
            existing = index < self.initial_form_count()
            if existing and self.can_delete and form.cleaned_data.get("DELETE"):
                lead_image_remove(brief=brief)
                self.deleted_objects.append(form.instance)
                continue
            if not form.has_changed():
                continue
            lead = lead_image_save(
                brief=brief,
                image=form.checked,
                alt=form.cleaned_data["alt"],
                credit=form.cleaned_data["credit"],
                caption=form.cleaned_data["caption"],
            )
            if existing:
                self.changed_objects.append((lead, form.changed_data))
            else:
                self.new_objects.append(lead)
        return self.new_objects + [lead for lead, _ in self.changed_objects]


class LeadImageInline(nested_admin.NestedTabularInline):
    model = LeadImage
    form = LeadImageForm
    formset = LeadImageFormSet
    fields = ("preview", "upload", "alt", "credit", "caption")
    readonly_fields = ("preview",)
    extra = 1
    max_num = 1
    verbose_name = "lead image"
    verbose_name_plural = "lead image"

    # The image is part of what the brief says: whoever may edit the brief may
    # set, change or remove it.
    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("briefs.change_brief")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("briefs.change_brief")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("briefs.change_brief")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("briefs.view_brief")

    def preview(self, lead):
        if not lead or not lead.file.name:
            return "No image yet."
        made = "sizes made" if lead.renditions else "sizes being made"
        return format_html(
            '<img class="lead-image-preview" src="{}" alt="" '
            'width="{}" height="{}"><br>{} × {} pixels, {}',
            default_storage.url(lead.file.name),
            lead.width,
            lead.height,
            lead.width,
            lead.height,
            made,
        )

    preview.short_description = "current image"

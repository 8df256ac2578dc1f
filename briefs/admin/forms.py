"""Forms of the brief's admin: the brief itself, with its version, and the import."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from briefs.importer import BriefFormatError, BriefTooLargeError, decode, read_limited
from briefs.models import Brief

from . import history


class BriefAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1
    )
    material_update = forms.BooleanField(
        required=False,
        label="This is a material update",
        help_text="Tick when this edit changes what a published brief tells "
        "readers: 'last updated' moves to now. 'First published' never moves. "
        "To explain a fix to readers, add a correction note below.",
    )

    class Meta:
        model = Brief
        fields = ("title", "slug", "summary", "authors", "topics", "votes", "sources")
        help_texts = {
            "authors": "The writers credited on the brief. Left empty, you are "
            "credited.",
            "topics": "Type to search; readers find the brief on each topic's page.",
            "votes": "Type to search the recorded votes. Every vote must agree "
            "with its body's rules before the brief can be published.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True
        self.fields["summary"].widget.attrs["rows"] = 4
        if "authors" in self.fields:
            self.fields["authors"].queryset = get_user_model().objects.filter(
                is_staff=True
            )
            self.fields["authors"].widget.attrs["size"] = 3

    def clean(self):
        cleaned = super().clean()
        brief = self.instance
        expected = cleaned.get("expected_version")
        if brief.pk and expected is not None:
            current = (
                Brief.objects.filter(pk=brief.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != expected:
                # The form shown again holds their changes merged with this
                # editor's (briefs/admin/merge.py): saving it is based on theirs.
                self.data = self.data.copy()
                self.data[self.add_prefix("expected_version")] = current
                raise ValidationError(conflict_message(brief, expected, current))
        return cleaned


def conflict_message(brief, expected, current):
    """Explain who saved `brief` since version `expected`, and what changed."""
    latest = history.brief_versions(brief).first()
    who, when, changes = "Someone", "", []
    if latest is not None:
        revision = latest.revision
        if revision.user is not None:
            who = revision.user.get_full_name() or revision.user.get_username()
        when = f" at {timezone.localtime(revision.date_created):%H:%M on %d %b %Y}"
        before = history.revision_at_version(brief, expected)
        if before is not None:
            changes = history.compare(
                history.snapshot(before), history.snapshot(revision)
            )
    return (
        f"{who} saved this brief{when} while you were editing it "
        f"(version {expected} became {current}). They changed: "
        f"{history.summarise(changes)}. Nothing is saved yet and your typing is "
        f"kept below. What only they changed is now in the form; where you both "
        f"changed the same field, the two versions are shown side by side at the "
        f"top: choose, then save."
    )


class BriefImportForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
        required=False,
        help_text="The first line is the title; the lines up to the first heading "
        "are the summary; a heading is a line followed by bullet points starting "
        "with '- ', '* ' or '• '.",
    )
    file = forms.FileField(
        required=False, help_text="Or upload a plain-text (.txt, UTF-8) brief."
    )
    # The name of the file read, carried from the preview to the save.
    name = forms.CharField(required=False, widget=forms.HiddenInput)
    # A digest of the text the editor saw the votes of; saved only if it matches.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        limit = settings.IMPORT_MAX_BYTES
        if upload:
            cleaned["filename"] = upload.name
            try:
                data = read_limited(upload, limit, upload.name, size=upload.size)
                cleaned["source"] = decode(data, upload.name)
            except BriefTooLargeError:
                raise ValidationError(
                    f"The file is {filesizeformat(upload.size)}; a brief may be at "
                    f"most {filesizeformat(limit)}. Split it, or paste the text."
                ) from None
            except BriefFormatError as error:
                raise ValidationError(f"Line {error.line}: {error.reason}") from None
        elif len((cleaned.get("text") or "").encode()) > limit:
            raise ValidationError(
                f"The pasted text is longer than the {filesizeformat(limit)} "
                "a brief may be."
            )
        elif (cleaned.get("text") or "").strip():
            cleaned["filename"] = cleaned.get("name") or "pasted text"
            cleaned["source"] = cleaned["text"]
        else:
            raise ValidationError("Paste a brief or choose a file.")
        return cleaned


class BriefPasteForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90}),
        strip=False,
        help_text="The first line is the title; the lines up to the first heading "
        "are the summary; a heading is a line followed by bullet points starting "
        "with '- ', '* ' or '• '.",
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        limit = settings.IMPORT_MAX_BYTES
        if len(text.encode()) > limit:
            raise ValidationError(
                f"The pasted text is longer than the {filesizeformat(limit)} "
                "a brief may be."
            )
        return text

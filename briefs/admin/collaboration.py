"""The brief's change page as a shared desk: editorial notes and who else is here.

`CollaborationMixin` adds both to the brief's admin: its own URLs, and the
context the includes in `templates/admin/briefs/brief/includes/` read.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from briefs.models import (
    NOTE_MAX_LENGTH,
    PRESENCE_SECONDS,
    Brief,
    Bullet,
    EditorialNote,
    EditorPresence,
    display_name,
    may_see_notes,
)
from briefs.services import note_add, note_resolve, presence_leave, presence_touch

# The text of a note that could not be saved, kept for the form to show again.
DRAFT_KEY = "brief-note-draft-{}"


def bullet_label(bullet):
    text = bullet.text if len(bullet.text) <= 70 else f"{bullet.text[:69]}…"
    return f"{bullet.section.heading}: {text}"


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text="Seen by staff only, never by readers.",
    )
    bullet = forms.ModelChoiceField(
        queryset=Bullet.objects.none(),
        required=False,
        label="About",
        empty_label="The whole brief",
    )

    prefix = "note"

    def __init__(self, *args, brief, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["bullet"]
        field.queryset = (
            Bullet.objects.filter(section__brief=brief)
            .select_related("section")
            .order_by("section__position", "section_id", "position", "id")
        )
        field.label_from_instance = bullet_label


def wants_json(request):
    """Return True for the change page's own requests, which read JSON back."""
    return request.headers.get("Accept", "").startswith("application/json")


def notes_context(brief, user):
    """Return the notes of `brief`, open first, as the notes' templates read them."""
    notes = list(
        EditorialNote.objects.filter(brief=brief)
        .open_first()
        .select_related("author", "resolved_by", "bullet__section")
    )
    return {
        "notes": [(note, note.may_resolve(user)) for note in notes],
        "notes_open": sum(not note.is_resolved for note in notes),
    }


def others_present(brief, user, at=None):
    """Return the presences of other people who have `brief` open, earliest first."""
    return list(
        EditorPresence.objects.current(at)
        .filter(brief=brief)
        .exclude(user=user)
        .select_related("user")
        .order_by("since", "pk")
    )


def presence_json(presences):
    return [
        {
            "name": display_name(presence.user),
            "since": f"{timezone.localtime(presence.since):%H:%M}",
        }
        for presence in presences
    ]


class CollaborationMixin:
    """Notes and presence on the brief's change page (see the module docstring)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/notes/add/",
                wrap(require_POST(self.note_add_view)),
                name="briefs_brief_note_add",
            ),
            path(
                "<path:object_id>/notes/",
                wrap(self.notes_view),
                name="briefs_brief_notes",
            ),
            path(
                "<path:object_id>/notes/<int:note_id>/resolve/",
                wrap(require_POST(self.note_resolve_view)),
                name="briefs_brief_note_resolve",
            ),
            path(
                "<path:object_id>/presence/",
                wrap(require_POST(self.presence_view)),
                name="briefs_brief_presence",
            ),
            path(
                "<path:object_id>/presence/leave/",
                wrap(require_POST(self.presence_leave_view)),
                name="briefs_brief_presence_leave",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        brief = context.get("original")
        if brief is not None and brief.pk is not None:
            context.update(self.collaboration_context(request, brief))
        return super().render_change_form(
            request, context, add=add, change=change, **kwargs
        )

    def collaboration_context(self, request, brief):
        user = request.user
        others = others_present(brief, user)
        if self.has_change_permission(request, brief):
            presence_touch(brief=brief, user=user)
        context = {
            "presence_others": others,
            "presence_seconds": PRESENCE_SECONDS,
        }
        if may_see_notes(user):
            draft = request.session.pop(DRAFT_KEY.format(brief.pk), None)
            context.update(
                notes_context(brief, user),
                note_form=NoteForm(
                    brief=brief, initial={"text": draft} if draft else None
                ),
            )
        return context

    def notes_view(self, request, object_id):
        """Answer the brief's notes as JSON, for the change page to stay current."""
        brief = self._collaboration_brief(request, object_id)
        if not may_see_notes(request.user):
            raise PermissionDenied
        return self._notes_json(request, brief)

    def _notes_json(self, request, brief, status=200, errors=()):
        context = {
            **notes_context(brief, request.user),
            "opts": self.opts,
            "original": brief,
        }
        html = render_to_string(
            "admin/briefs/brief/includes/notes_list.html", context, request
        )
        return JsonResponse(
            {
                "open": context["notes_open"],
                "html": html,
                "notes": [
                    {
                        "id": note.pk,
                        "bullet": note.bullet_id,
                        "author": note.author_name,
                        "text": note.text,
                        "resolved": note.is_resolved,
                    }
                    for note, _ in context["notes"]
                ],
                "errors": list(errors),
            },
            status=status,
        )

    def _collaboration_brief(self, request, object_id):
        brief = get_object_or_404(Brief, pk=unquote(object_id))
        if not self.has_view_permission(request, brief):
            raise PermissionDenied
        return brief

    def _notes_url(self, brief):
        return reverse("admin:briefs_brief_change", args=[brief.pk]) + "#notes"

    def note_add_view(self, request, object_id):
        brief = self._collaboration_brief(request, object_id)
        form = NoteForm(request.POST, brief=brief)
        if form.is_valid():
            try:
                note_add(
                    brief=brief,
                    author=request.user,
                    text=form.cleaned_data["text"],
                    bullet=form.cleaned_data["bullet"],
                )
            except ValidationError as error:
                form.add_error(None, error)
        if wants_json(request):
            # The page stays as it is: the editor's typing is never touched.
            errors = [
                f"Note not added: {error}"
                for errors in form.errors.values()
                for error in errors
            ]
            return self._notes_json(
                request, brief, status=400 if errors else 200, errors=errors
            )
        if form.errors:
            request.session[DRAFT_KEY.format(brief.pk)] = request.POST.get(
                "note-text", ""
            )
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else "Note"
                for error in errors:
                    self.message_user(
                        request, f"Note not added: {label}: {error}", messages.ERROR
                    )
        else:
            self.message_user(request, "Note added.", messages.SUCCESS)
        return HttpResponseRedirect(self._notes_url(brief))

    def note_resolve_view(self, request, object_id, note_id):
        brief = self._collaboration_brief(request, object_id)
        note = get_object_or_404(EditorialNote, pk=note_id, brief=brief)
        resolved = request.POST.get("resolved", "1") != "0"
        note_resolve(note=note, user=request.user, resolved=resolved)
        if wants_json(request):
            return self._notes_json(request, brief)
        self.message_user(
            request,
            "Note resolved." if resolved else "Note reopened.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._notes_url(brief))

    def presence_view(self, request, object_id):
        """Keep the user's presence fresh; answer who else has the brief open."""
        brief = self._collaboration_brief(request, object_id)
        if self.has_change_permission(request, brief):
            presence_touch(brief=brief, user=request.user)
        others = others_present(brief, request.user)
        return JsonResponse({"others": presence_json(others)})

    def presence_leave_view(self, request, object_id):
        brief = self._collaboration_brief(request, object_id)
        presence_leave(brief=brief, user=request.user)
        return JsonResponse({"others": []})

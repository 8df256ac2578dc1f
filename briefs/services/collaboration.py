"""Editorial notes and who has a brief open: staff-only, never seen by readers.

These writes change nothing a reader sees, so they send no change event:
the brief's version, its 'last updated', its stored renderings and the
cached public pages all stay as they are.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import EditorialNote, EditorPresence, may_see_notes


@transaction.atomic
def note_add(*, brief, author, text, bullet=None, at=None):
    """Leave a note on `brief` (pinned to `bullet`, one of its bullets, if given).

    Raises PermissionDenied unless `author` is staff who may read briefs, and
    ValidationError for an empty note or a bullet of another brief.
    """
    if not may_see_notes(author):
        raise PermissionDenied("Only staff who may read briefs leave notes.")
    note = EditorialNote(
        brief=brief,
        bullet=bullet,
        author=author,
        text=text,
        created_at=at or timezone.now(),
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def note_resolve(*, note, user, resolved=True, at=None):
    """Mark `note` resolved by `user` (or open again, with `resolved=False`).

    Raises PermissionDenied unless `user` wrote the note or is an editor.
    """
    if not note.may_resolve(user):
        raise PermissionDenied("Only the note's author or an editor resolves it.")
    if resolved and not note.is_resolved:
        note.resolved_at = at or timezone.now()
        note.resolved_by = user
    elif not resolved:
        note.resolved_at = None
        note.resolved_by = None
    note.save(update_fields=["resolved_at", "resolved_by"])
    return note


def presence_touch(*, brief, user, at=None):
    """Record that `user` has `brief` open now.

    A presence that had expired starts again: 'since' is when they came back.
    """
    at = at or timezone.now()
    # The usual case, a heartbeat of an open page: one UPDATE.
    if (
        EditorPresence.objects.current(at)
        .filter(brief=brief, user=user)
        .update(last_seen=at)
    ):
        return
    try:
        with transaction.atomic():
            EditorPresence.objects.expired(at).delete()
            EditorPresence.objects.update_or_create(
                brief=brief, user=user, defaults={"since": at, "last_seen": at}
            )
    except IntegrityError:
        # The same editor's other tab made the row in between: it stands.
        pass


def presence_leave(*, brief, user):
    """Forget that `user` has `brief` open (they left the page)."""
    EditorPresence.objects.filter(brief=brief, user=user).delete()

"""Changes to what briefs share: topics, sources, votes, bodies, authors' names.

Each shows on every brief that links it, so each change is a change of those
briefs: their version and `updated_at` move (a partner syncing by either sees
it), the change event names them (`briefs.changes`), their renderings are made
again and, when one of them is published, the cached pages go.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone

from .. import changes
from ..access import publishes
from ..models import Body, Brief, Profile, Source, Topic, Vote, VotePosition

# A user's fields that show on the briefs they wrote.
AUTHOR_FIELDS = ("first_name", "last_name", "username")


def briefs_showing(obj):
    """Return the briefs that show `obj` (a topic, source, vote, body, user or
    profile)."""
    if isinstance(obj, Topic):
        condition = Q(topics=obj.pk)
    elif isinstance(obj, Source):
        condition = Q(sources=obj.pk) | Q(sections__bullets__sources=obj.pk)
    elif isinstance(obj, Vote):
        condition = Q(votes=obj.pk)
    elif isinstance(obj, Body):
        condition = Q(votes__body=obj.pk)
    elif isinstance(obj, get_user_model()):
        condition = Q(authors=obj.pk)
    elif isinstance(obj, Profile):
        condition = Q(authors=obj.user_id)
    else:
        raise TypeError(f"Briefs do not show {type(obj).__name__} objects.")
    return Brief.objects.filter(condition).distinct()


class LiveSharedError(PermissionDenied):
    """A writer's change to something live briefs show; `briefs` names them."""

    def __init__(self, obj, briefs):
        self.briefs = briefs
        name = obj._meta.verbose_name
        title = briefs[0].title
        others = f" and {len(briefs) - 1} more" if len(briefs) > 1 else ""
        super().__init__(
            f"This {name} shows on the live brief “{title}”{others}: a change "
            f"here would reach readers at once, before an editor has seen it. Ask "
            f"an editor to make it, or open “{title}” and make the change in its "
            f"pending draft (for instance, link a corrected copy of this {name} "
            f"instead); readers see the draft once an editor publishes it."
        )


def live_briefs_showing(obj):
    """Return the published briefs that show `obj` (see briefs_showing)."""
    if obj.pk is None:
        return Brief.objects.none()
    return briefs_showing(obj).filter(status=Brief.Status.PUBLISHED)


def shared_change_refusal(*, obj, user):
    """Return the LiveSharedError `user`'s change of `obj` would meet, or None.

    What a live brief shows changes only through its pending draft, which an
    editor publishes: so those who may not publish do not change or delete a
    topic, source or vote that a published brief shows. `user` None is the
    system (commands, imports), which may.
    """
    if user is None or publishes(user) or isinstance(obj, get_user_model()):
        return None
    briefs = list(live_briefs_showing(obj).only("pk", "title").order_by("title"))
    return LiveSharedError(obj, briefs) if briefs else None


def check_shared_change(*, obj, user):
    """Raise LiveSharedError if `user` may not change `obj` (see above)."""
    refusal = shared_change_refusal(obj=obj, user=user)
    if refusal is not None:
        raise refusal


def briefs_touched(queryset):
    """Record the briefs of `queryset` as changed by what they show of others:
    their version and `updated_at` move once, as if each had been saved."""
    ids = set(queryset.values_list("pk", flat=True))
    if ids:
        Brief.objects.filter(pk__in=ids).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
    changes.record(brief_ids=ids)


@changes.collected
def shared_save(*, obj, content=None, user=None):
    """Save `obj` (and, with `content`, the rows it holds); record its briefs.

    Raises LiveSharedError, saving nothing, if `user` may not change it."""
    check_shared_change(obj=obj, user=user)
    obj.save()
    if content is not None:
        content()
    if obj.pk is not None:
        briefs_touched(briefs_showing(obj))
    return obj


@changes.collected
def shared_delete(*, obj, user=None):
    """Delete `obj`; the briefs that showed it are recorded first."""
    check_shared_change(obj=obj, user=user)
    briefs_touched(briefs_showing(obj))
    obj.delete()


@changes.collected
def vote_save(*, vote, positions=None, user=None):
    """Save `vote`; `positions` (dicts), when given, replace its positions.

    Raises LiveSharedError, saving nothing, if `user` may not change it."""
    check_shared_change(obj=vote, user=user)
    vote.save()
    if positions is not None:
        vote.positions.all().delete()
        VotePosition.objects.bulk_create(
            VotePosition(vote=vote, **data) for data in positions
        )
    briefs_touched(briefs_showing(vote))
    return vote


@changes.collected
def author_save(*, user, update_fields=None, content=None):
    """Save `user` (and, with `content`, the rows it holds, such as its
    profile); the briefs they wrote change only if their name could have."""
    user.save(update_fields=update_fields)
    if content is not None:
        content()
    if (
        content is not None
        or update_fields is None
        or set(update_fields) & set(AUTHOR_FIELDS)
    ):
        briefs_touched(briefs_showing(user))
    return user

"""Keep stored renderings true: retire them with every change readers could see.

Each change marks the renderings of the briefs it shows on stale with one
UPDATE in the same transaction (so a rolled-back change retires nothing and a
committed one is never served old), and asks for those briefs to be rendered
again once the transaction commits: the briefs edited directly, and a bounded
number of the briefs that show a shared object (a topic, a vote, a source, an
author). Briefs beyond that bound are served live, correctly, until
`manage.py render_briefs --stale` or their next change renders them.

Outside a transaction nothing is rendered at once: a change made of several
statements would otherwise be rendered half-done (and marked stale again by its
next statement); such briefs are served live until rendered.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .models import (
    Body,
    Brief,
    BriefRendering,
    Bullet,
    Correction,
    PermanentMember,
    Profile,
    Section,
    Source,
    Topic,
    Vote,
    VotePosition,
)

logger = logging.getLogger(__name__)

# How many briefs one transaction renders when it commits; the rest wait.
RENDER_ON_COMMIT = 20
# A user's fields that show on the briefs they wrote.
AUTHOR_FIELDS = {"first_name", "last_name", "username"}


class PendingRenders:
    """What one transaction retired: rendered again once it commits."""

    def __init__(self, connection):
        self.connection = connection
        self.ids = set()
        self.conditions = {}
        # The last mark, and the savepoints it was made in: deleting a vote's
        # 193 positions marks its briefs once, not 193 times. Only the last:
        # a mark repeated after others still counts (the same connection may
        # read the revision in between, and expects it to move).
        self.last = None

    def marked(self, key):
        """Return True if `key` was the last mark, made in savepoints still open."""
        if self.last is None or self.last[0] != key:
            return False
        return self.last[1] <= set(self.connection.savepoint_ids)

    def remember(self, key):
        self.last = (key, frozenset(self.connection.savepoint_ids))

    def __call__(self):
        from .rendering import render_briefs

        ids = sorted(self.ids, reverse=True)[:RENDER_ON_COMMIT]
        for condition in self.conditions.values():
            room = RENDER_ON_COMMIT - len(ids)
            if room <= 0:
                break
            found = (
                Brief.objects.filter(condition)
                .exclude(pk__in=ids)
                .order_by("-pk")
                .values_list("pk", flat=True)
                .distinct()[:room]
            )
            ids += found
        render_briefs(ids)


def _pending():
    """Return what the current transaction retired, or None outside one."""
    using = router.db_for_write(BriefRendering)
    connection = connections[using]
    if not connection.in_atomic_block:
        return None
    pending = getattr(connection, "_pending_brief_renders", None)
    registered = pending is not None and any(
        func is pending for _, func, _ in connection.run_on_commit
    )
    if not registered:
        # A new transaction, or the last one ended (committed or rolled back).
        pending = PendingRenders(connection)
        connection._pending_brief_renders = pending
        transaction.on_commit(pending, using=using, robust=True)
    return pending


def forget_marks():
    """Forget what this transaction marked stale: renderings were stored since,
    so the next change must mark them again."""
    pending = _pending()
    if pending is not None:
        pending.last = None


def stale(*, ids=None, condition=None, new=False):
    """Mark stale the renderings of briefs `ids`, or of the briefs matching
    `condition` (a Q over Brief); render them once the transaction commits.

    `new`: the renderings were just made, stale; nothing to update.
    """
    pending = _pending()
    if ids is not None:
        ids = {pk for pk in ids if pk is not None}
        key = ("briefs", frozenset(ids))
        if not ids or (pending is not None and pending.marked(key)):
            return
        if not new:
            BriefRendering.objects.filter(brief_id__in=ids).mark_stale()
        if pending is not None:
            if not new:
                pending.remember(key)
            pending.ids.update(ids)
        return
    key = str(condition)
    if pending is None or not pending.marked(key):
        matching = Brief.objects.filter(condition).values("pk")
        BriefRendering.objects.filter(brief_id__in=matching).mark_stale()
        if pending is not None:
            pending.remember(key)
    if pending is not None:
        pending.conditions.setdefault(key, condition)


# Receivers -----------------------------------------------------------------


def brief_saved(sender, instance, created, raw=False, **kwargs):
    if created:
        BriefRendering.objects.create(brief_id=instance.pk)
    stale(ids=[instance.pk], new=created)


def content_changed(sender, instance, **kwargs):
    """A section or correction: its brief changes."""
    stale(ids=[instance.brief_id])


def bullet_changed(sender, instance, **kwargs):
    stale(condition=Q(sections=instance.section_id))


def brief_relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Topics, authors, sources or votes added to or removed from briefs."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        stale(ids=[instance.pk])
    elif action == "pre_clear":
        stale(condition=Q(**{_brief_lookup(sender): instance.pk}))
    else:
        stale(ids=pk_set)


def _brief_lookup(through):
    """Return the lookup from Brief to the other side of an m2m `through` table."""
    for field in Brief._meta.many_to_many:
        if field.remote_field.through is through:
            return field.name
    raise LookupError(through)


def bullet_sources_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        stale(condition=Q(sections__bullets=instance.pk))
    elif action == "pre_clear":
        stale(condition=Q(sections__bullets__sources=instance.pk))
    else:
        stale(condition=Q(sections__bullets__in=pk_set))


def topic_changed(sender, instance, **kwargs):
    stale(condition=Q(topics=instance.pk))


def vote_changed(sender, instance, **kwargs):
    stale(condition=Q(votes=instance.pk))


def position_changed(sender, instance, **kwargs):
    stale(condition=Q(votes=instance.vote_id))


def body_changed(sender, instance, **kwargs):
    stale(condition=Q(votes__body=instance.pk))


def permanent_member_changed(sender, instance, **kwargs):
    stale(condition=Q(votes__body=instance.body_id))


def source_changed(sender, instance, **kwargs):
    stale(condition=Q(sources=instance.pk) | Q(sections__bullets__sources=instance.pk))


def user_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if created:
        return
    if update_fields is not None and not AUTHOR_FIELDS & set(update_fields):
        return  # e.g. `last_login` on each sign-in
    stale(condition=Q(authors=instance.pk))


def profile_changed(sender, instance, **kwargs):
    """A byline: the briefs its account wrote."""
    stale(condition=Q(authors=instance.user_id))


def connect_signals():
    def on_change(receiver, model, *, delete=post_delete):
        uid = f"rendering-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save")
        delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete")

    post_save.connect(brief_saved, sender=Brief, dispatch_uid="rendering-brief-save")
    on_change(content_changed, Section)
    on_change(content_changed, Correction)
    on_change(bullet_changed, Bullet)
    # The m2m rows go with a deleted topic, vote, source or user, unannounced:
    # their briefs are found before the delete.
    on_change(topic_changed, Topic, delete=pre_delete)
    on_change(vote_changed, Vote, delete=pre_delete)
    on_change(position_changed, VotePosition)
    on_change(body_changed, Body, delete=pre_delete)
    on_change(permanent_member_changed, PermanentMember)
    on_change(source_changed, Source, delete=pre_delete)
    on_change(user_changed, get_user_model(), delete=pre_delete)
    on_change(profile_changed, Profile)
    for field in Brief._meta.many_to_many:
        m2m_changed.connect(
            brief_relation_changed,
            sender=field.remote_field.through,
            dispatch_uid=f"rendering-brief-{field.name}",
        )
    m2m_changed.connect(
        bullet_sources_changed,
        sender=Bullet.sources.through,
        dispatch_uid="rendering-bullet-sources",
    )

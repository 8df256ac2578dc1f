"""Changes to a brief: its fields, content, links, workflow, corrections, history.

Each function is keyword-only and runs in one transaction that sends one
change event on commit (`briefs.changes`). Each keeps the brief's invariants
in one place, `_finish`: the search text is built after the related rows are
saved, a live brief still passes the publish checklist, and the version moves
once per change.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from .. import changes
from ..models import Brief, BriefSlug, Bullet, Correction, Section, Withdrawal
from .images import delete_lead_image_of

# Workflow state is decided by the transitions, never by a restore.
WORKFLOW_FIELDS = (
    "status",
    "published_at",
    "first_published_at",
    "last_updated_at",
    "share_key",
    "embargo_until",
)
LINKS = ("authors", "topics", "sources", "votes")


class LiveBriefError(ValidationError):
    """A change would leave a published brief failing the publish checklist."""


def _checklist_errors(brief):
    problems = brief.publish_problems()
    return [f"{where}: {message}" for where, message in problems]


def _finish(brief, *, was_public, kind=changes.UPDATED):
    """Keep the invariants after `brief` and its rows were saved; record it."""
    brief.refresh_search_document()
    # 'Last updated' is never older than the newest correction note.
    latest = brief.corrections.aggregate(latest=Max("published_at"))["latest"]
    if latest is not None:
        brief.mark_updated(latest)
    if brief.status == Brief.Status.PUBLISHED:
        errors = _checklist_errors(brief)
        if errors:
            raise LiveBriefError(
                ["A published brief must keep passing the publish checklist."] + errors
            )
    changes.record(
        brief_ids=[brief.pk],
        public=was_public or brief.status == Brief.Status.PUBLISHED,
        kind=kind,
    )
    return brief


def _was_public(brief):
    if brief.pk is None:
        return False
    return Brief.objects.filter(pk=brief.pk, status=Brief.Status.PUBLISHED).exists()


def _syndicated(brief):
    """Return True if partners can see `brief` as saved (embargo or not)."""
    if brief.pk is None:
        return False
    return Brief.objects.published(embargoed=True).filter(pk=brief.pk).exists()


def _saved_identity(brief):
    """Return the saved slug of `brief` and whether it was ever published."""
    if brief.pk is None:
        return None, False
    row = Brief.objects.filter(pk=brief.pk).values("slug", "first_published_at")
    row = row.first() or {"slug": None, "first_published_at": None}
    return row["slug"], row["first_published_at"] is not None


def _keep_old_slug(brief, old_slug, ever_published):
    """Keep the slug a published brief leaves, so that its old links redirect;
    the slug it takes is nobody's old slug any more."""
    if old_slug == brief.slug:
        return
    BriefSlug.objects.filter(slug=brief.slug).delete()
    if old_slug and ever_published:
        BriefSlug.objects.update_or_create(
            slug=old_slug, defaults={"brief": brief, "created_at": timezone.now()}
        )


def _record_withdrawal(brief, reason):
    """Leave a tombstone of `brief` for partners (the first one stays)."""
    Withdrawal.objects.get_or_create(
        uuid=brief.uuid,
        defaults={
            "slug": brief.slug,
            "brief": brief if reason != Withdrawal.Reason.DELETED else None,
            "reason": reason,
            "withdrawn_at": timezone.now(),
        },
    )


def _clear_withdrawal(brief):
    """Take back the tombstone of a brief partners can see again."""
    if _syndicated(brief):
        Withdrawal.objects.filter(uuid=brief.uuid).delete()


def _save_links(brief, links):
    for name, objects in links.items():
        if objects is not None:
            getattr(brief, name).set(objects)


def _replace_sections(brief, sections):
    """Replace the brief's sections and bullets with `sections` (dicts).

    Each section is {"heading", "bullets": [{"text", "attribution", "sources"}]};
    sources are Source objects.
    """
    brief.sections.all().delete()
    new_sections = Section.objects.bulk_create(
        Section(brief=brief, heading=data["heading"], position=number)
        for number, data in enumerate(sections, start=1)
    )
    bullets, cited = [], []
    for section, data in zip(new_sections, sections, strict=True):
        for index, bullet_data in enumerate(data["bullets"], start=1):
            fields = {k: v for k, v in bullet_data.items() if k != "sources"}
            bullets.append(Bullet(section=section, position=index, **fields))
            cited.append(bullet_data.get("sources", []))
    bullets = Bullet.objects.bulk_create(bullets)
    through = Bullet.sources.through
    through.objects.bulk_create(
        through(bullet_id=bullet.pk, source_id=source.pk)
        for bullet, sources in zip(bullets, cited, strict=True)
        for source in sources
    )


@changes.collected
def brief_create(*, title, summary, slug="", **arguments):
    """Create a draft brief; the arguments are those of `brief_update`."""
    brief = Brief(title=title, summary=summary, slug=slug)
    return brief_update(brief=brief, **arguments)


@changes.collected
def brief_update(
    *,
    brief,
    fields=None,
    expected_version=None,
    user=None,
    sections=None,
    content=None,
    material_update=False,
    **links,
):
    """Save `brief` (new or changed) with its links and content as one version.

    `fields`: a dict of the brief's own fields to set first. `sections`: the
    content as data (see `_replace_sections`); `content`: a callable that saves
    the content rows itself (the admin's inline forms). Links (`authors`,
    `topics`, `sources`, `votes`) are lists of objects. A new brief with no
    author credits `user`.

    Raises StaleBriefError if `expected_version` is outdated, and
    LiveBriefError if a published brief would fail the publish checklist.
    """
    unknown = set(links) - set(LINKS)
    if unknown:
        raise TypeError(f"Unknown links: {', '.join(sorted(unknown))}")
    new = brief.pk is None
    was_public = _was_public(brief)
    old_slug, ever_published = _saved_identity(brief)
    for name, value in (fields or {}).items():
        setattr(brief, name, value)
    brief.save(expected_version=expected_version)
    _keep_old_slug(brief, old_slug, ever_published)
    _save_links(brief, links)
    if sections is not None:
        _replace_sections(brief, sections)
    if content is not None:
        content()
    if new and user is not None and not brief.authors.exists():
        brief.authors.add(user)
    if material_update and brief.first_published_at:
        brief.mark_updated()
    return _finish(brief, was_public=was_public)


@changes.collected
def brief_transition(*, brief, action, user=None, at=None):
    """Move `brief` through the workflow (`Brief.TRANSITIONS`) as `user`."""
    if action not in Brief.TRANSITIONS:
        raise ValueError(f"No such step in the workflow: {action}")
    was_public = _was_public(brief)
    was_syndicated = _syndicated(brief)
    if action == "publish":
        brief.publish(at=at, user=user)
        _clear_withdrawal(brief)
    else:
        getattr(brief, action)(user=user)
        if was_syndicated:
            reason = (
                Withdrawal.Reason.ARCHIVED
                if action == "archive"
                else Withdrawal.Reason.UNPUBLISHED
            )
            _record_withdrawal(brief, reason)
    is_public = brief.status == Brief.Status.PUBLISHED
    if is_public and not was_public:
        kind = changes.PUBLISHED
    elif was_public and not is_public:
        kind = changes.WITHDRAWN
    else:
        kind = changes.UPDATED
    changes.record(brief_ids=[brief.pk], public=was_public or is_public, kind=kind)
    return brief


@changes.collected
def brief_delete(*, brief, user=None):
    """Delete `brief`, recording it first with all it holds as its last revision.

    The revision keeps the brief with its links (authors, topics, sources,
    votes), its sections, their bullets (with the sources each cites) and its
    corrections, so that the brief can be recovered from the admin's list of
    deleted briefs exactly as it was.
    """
    was_public = _was_public(brief)
    changes.record(
        brief_ids=[brief.pk],
        public=was_public,
        kind=changes.WITHDRAWN if was_public else changes.UPDATED,
    )
    if _syndicated(brief):
        _record_withdrawal(brief, Withdrawal.Reason.DELETED)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Deleted.")
        reversion.add_to_revision(brief)
        for correction in brief.corrections.all():
            reversion.add_to_revision(correction)
    # Its image is not kept with the revision: the files go with the row.
    delete_lead_image_of(brief)
    brief.delete()


@changes.collected
def brief_restore(*, brief, revision, user=None):
    """Bring back the content of `revision` as a new revision by `user`.

    The workflow state (status, publication times, share links) stays as it
    is now: a restore changes what the brief says, not whether readers see it.
    A published brief must still pass the checklist after the restore.
    """
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    was_public = brief.status == Brief.Status.PUBLISHED
    state = {name: getattr(brief, name) for name in WORKFLOW_FIELDS}
    current = brief.version
    old_slug, ever_published = brief.slug, brief.first_published_at is not None
    # Corrections are public notes: readers must see them as they stand now.
    corrections = list(Correction.objects.filter(brief=brief))
    with reversion.create_revision():
        revision.revert(delete=True)
        Correction.objects.filter(brief=brief).exclude(
            pk__in=[c.pk for c in corrections]
        ).delete()
        Correction.objects.bulk_update(corrections, ["kind", "text", "published_at"])
        Brief.objects.filter(pk=brief.pk).update(version=current, **state)
        brief = Brief.objects.get(pk=brief.pk)
        brief.save()
        _keep_old_slug(brief, old_slug, ever_published)
        _finish(brief, was_public=was_public)
        reversion.set_user(user)
        when = revision.date_created.strftime("%d %b %Y %H:%M")
        reversion.set_comment(f"Restored the revision of {when}.")
    return brief


@changes.collected
def brief_recover(*, version, user=None):
    """Bring back the deleted brief of reversion `version` exactly as it was.

    The caller checks that the brief can come back whole (see
    `briefs.admin.history.recover`).
    """
    version.revision.revert()
    brief = Brief.objects.get(pk=version.object_id)
    _clear_withdrawal(brief)
    back_live = brief.status == Brief.Status.PUBLISHED
    _finish(
        brief,
        was_public=False,
        kind=changes.PUBLISHED if back_live else changes.UPDATED,
    )
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Recovered after it was deleted.")
        reversion.add_to_revision(brief)
    return brief


@changes.collected
def correction_save(*, correction):
    """Save a public correction or update note; 'last updated' moves with it."""
    correction.full_clean()
    correction.save()
    brief = Brief.objects.get(pk=correction.brief_id)
    _finish(brief, was_public=False, kind=changes.CORRECTED)
    return correction


@changes.collected
def correction_delete(*, correction):
    changes.record(brief_ids=[correction.brief_id], kind=changes.CORRECTED)
    correction.delete()

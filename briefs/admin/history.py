"""Revisions of a brief with its sections, bullets and links, and their diffs.

django-reversion stores one revision per save: the brief (with its topics,
authors, sources and votes), every section it holds and every bullet in them
(with the sources each cites). This module reads those revisions back as
plain snapshots, compares two of them, and restores one.
"""

import difflib
from dataclasses import dataclass, field
from operator import attrgetter

import reversion
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe
from reversion.errors import RevertError
from reversion.models import Version

from briefs import services
from briefs.access import publishes
from briefs.models import Brief, Bullet, Correction, Section, Source, Topic, Vote

reversion.register(Brief, follow=["sections"])
reversion.register(Section, follow=["bullets"])
reversion.register(Bullet)
# Recorded only when a brief is deleted (see `briefs.services.brief_delete`),
# and when the brief's page saves them; a restore leaves them alone.
reversion.register(Correction)


class RecoveryError(Exception):
    """A deleted brief that cannot be brought back as it was; says why."""


@dataclass
class BulletSnapshot:
    id: int
    text: str
    attribution: str
    sources: tuple

    @property
    def content(self):
        return (self.text, self.attribution, self.sources)


@dataclass
class SectionSnapshot:
    id: int
    heading: str
    position: int
    bullets: list = field(default_factory=list)


@dataclass
class BriefSnapshot:
    """What one revision holds, in the order readers see it."""

    version: int
    fields: dict
    sections: list

    def content(self):
        """Return everything a restore brings back, for comparison."""
        return (
            {k: v for k, v in self.fields.items() if k != "version"},
            [(s.heading, [b.content for b in s.bullets]) for s in self.sections],
        )


CONTENT_FIELDS = ("title", "slug", "summary", "topics", "authors", "sources", "votes")


def _names(model, ids):
    """Return {pk: readable name} for `ids`, naming deleted ones too."""
    if model is Topic:
        label = attrgetter("name")
    elif model is Source:
        label = attrgetter("title")
    elif model is Vote:
        label = str
    else:
        label = _user_name
    objects = {obj.pk: label(obj) for obj in model.objects.filter(pk__in=ids)}
    return {pk: objects.get(pk, f"#{pk} (deleted)") for pk in ids}


def _user_name(user):
    return user.get_full_name() or user.get_username()


def snapshot(revision):
    """Return the BriefSnapshot stored in `revision`."""
    types = ContentType.objects.get_for_models(Brief, Section, Bullet)
    brief_fields, sections, bullets = None, {}, []
    for version in revision.version_set.all():
        data = version.field_dict
        if version.content_type_id == types[Brief].pk:
            brief_fields = data
        elif version.content_type_id == types[Section].pk:
            sections[data["id"]] = SectionSnapshot(
                data["id"], data["heading"], data["position"]
            )
        elif version.content_type_id == types[Bullet].pk:
            bullets.append(data)
    for data in sorted(bullets, key=lambda b: (b["position"], b["id"])):
        section = sections.get(data["section_id"])
        if section is not None:
            section.bullets.append(
                BulletSnapshot(
                    data["id"],
                    data["text"],
                    data["attribution"],
                    tuple(sorted(data.get("sources", ()))),
                )
            )
    fields = {name: brief_fields.get(name) for name in CONTENT_FIELDS}
    for name in ("topics", "authors", "sources", "votes"):
        fields[name] = tuple(sorted(fields[name] or ()))
    return BriefSnapshot(
        version=brief_fields.get("version"),
        fields=fields,
        sections=sorted(sections.values(), key=lambda s: (s.position, s.id)),
    )


def brief_versions(brief):
    """Return the stored versions of `brief`, newest first, with their revisions."""
    return (
        Version.objects.get_for_object(brief)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def revision_at_version(brief, number):
    """Return the revision that saved `brief` at version `number`, if any."""
    for version in brief_versions(brief):
        if version.field_dict.get("version") == number:
            return version.revision
    return None


def _words_diff(old, new):
    """Return HTML marking the words removed from `old` and added in `new`."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))


@dataclass
class Change:
    """One line of a diff: what kind of change, where, and how it reads."""

    kind: str  # "added", "removed" or "changed"
    where: str
    html: str

    def __str__(self):
        return f"{self.where} {self.kind}"


LINK_MODELS = {
    "topics": Topic,
    "sources": Source,
    "votes": Vote,
}


def compare(old, new):
    """Return the Changes that lead from snapshot `old` to snapshot `new`."""
    changes = []
    for name in ("title", "slug", "summary"):
        if old.fields[name] != new.fields[name]:
            changes.append(
                Change(
                    "changed",
                    name.capitalize(),
                    _words_diff(old.fields[name] or "", new.fields[name] or ""),
                )
            )
    for name in ("topics", "authors", "sources", "votes"):
        before, after = set(old.fields[name]), set(new.fields[name])
        if before == after:
            continue
        model = LINK_MODELS.get(name) or get_user_model()
        names = _names(model, before | after)
        for pk in sorted(after - before):
            changes.append(Change("added", name.capitalize(), escape(names[pk])))
        for pk in sorted(before - after):
            changes.append(Change("removed", name.capitalize(), escape(names[pk])))
    old_sections = {s.id: s for s in old.sections}
    new_sections = {s.id: s for s in new.sections}
    for number, section in enumerate(new.sections, start=1):
        where = f"Section {number}"
        before = old_sections.get(section.id)
        if before is None:
            bullets = "".join(f"<li>{escape(b.text)}</li>" for b in section.bullets)
            changes.append(
                Change(
                    "added",
                    where,
                    mark_safe(
                        f"<ins>{escape(section.heading)}</ins><ul>{bullets}</ul>"
                    ),
                )
            )
            continue
        if before.heading != section.heading:
            changes.append(
                Change(
                    "changed",
                    f"{where} heading",
                    _words_diff(before.heading, section.heading),
                )
            )
        changes.extend(_bullet_changes(before, section, where))
    old_order = [s.id for s in old.sections if s.id in new_sections]
    new_order = [s.id for s in new.sections if s.id in old_sections]
    if old_order != new_order:
        changes.append(Change("changed", "Sections", "reordered"))
    for section in old.sections:
        if section.id not in new_sections:
            changes.append(
                Change(
                    "removed",
                    f"Section “{section.heading}”",
                    mark_safe(
                        f"<del>{escape(section.heading)}</del> "
                        f"with {len(section.bullets)} bullet(s)"
                    ),
                )
            )
    return changes


def _bullet_changes(old_section, new_section, where):
    old_bullets = {b.id: b for b in old_section.bullets}
    new_ids = {b.id for b in new_section.bullets}
    for index, bullet in enumerate(new_section.bullets, start=1):
        place = f"{where}, bullet {index}"
        before = old_bullets.get(bullet.id)
        if before is None:
            yield Change("added", place, mark_safe(f"<ins>{escape(bullet.text)}</ins>"))
            continue
        if before.text != bullet.text:
            yield Change("changed", place, _words_diff(before.text, bullet.text))
        if before.attribution != bullet.attribution:
            yield Change(
                "changed",
                f"{place} attribution",
                escape(f"{before.attribution} → {bullet.attribution}"),
            )
        if before.sources != bullet.sources:
            names = _names(Source, {*before.sources, *bullet.sources})
            added = [names[pk] for pk in bullet.sources if pk not in before.sources]
            removed = [names[pk] for pk in before.sources if pk not in bullet.sources]
            text = "; ".join(
                [f"cites {n}" for n in added]
                + [f"no longer cites {n}" for n in removed]
            )
            yield Change("changed", f"{place} sources", escape(text))
    old_order = [b.id for b in old_section.bullets if b.id in new_ids]
    new_order = [b.id for b in new_section.bullets if b.id in old_bullets]
    if old_order != new_order:
        yield Change("changed", f"{where} bullets", "reordered")
    for bullet in old_section.bullets:
        if bullet.id not in new_ids:
            yield Change(
                "removed",
                f"{where}, bullet",
                mark_safe(f"<del>{escape(bullet.text)}</del>"),
            )


def summarise(changes, limit=6):
    """Return a short plain-text account of `changes` for a message."""
    if not changes:
        return "nothing in the content (only its version number)"
    parts = [str(change) for change in changes[:limit]]
    if len(changes) > limit:
        parts.append(f"and {len(changes) - limit} more")
    return "; ".join(parts)


def save_revision(brief, user, comment):
    """Record the current state of `brief` as a revision by `user`."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(brief)


def restore(brief, revision, user):
    """Bring back the content of `revision` as a new revision by `user`."""
    return services.brief_restore(brief=brief, revision=revision, user=user)


def deleted_briefs():
    """Return the last version of each deleted brief, most recently deleted first."""
    return (
        Version.objects.get_deleted(Brief)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


# Statuses in which a brief is, was or will be in front of readers: bringing
# one back is publishing it again.
PUBLIC_STATUSES = (Brief.Status.PUBLISHED, Brief.Status.ARCHIVED)


def may_recover(user, version):
    """Return True if `user` may bring back the brief `version` holds."""
    if not user.has_perm("briefs.add_brief"):
        return False
    status = version.field_dict.get("status")
    return status not in PUBLIC_STATUSES or publishes(user)


@transaction.atomic
def recover(version, user):
    """Bring back the deleted brief of `version` with all its revision held.

    The brief returns exactly as it was (status and publication times too,
    so a published brief is public again), under its old address; the
    recovery is recorded as a revision by `user`.
    """
    data = version.field_dict
    if Brief.objects.filter(pk=version.object_id).exists():
        raise RecoveryError(f"“{version.object_repr}” is not deleted.")
    taken = Brief.objects.filter(slug=data["slug"]).first()
    if taken is not None:
        raise RecoveryError(
            f"Another brief, “{taken.title}”, now has the address "
            f"/briefs/{data['slug']}/; change its slug, then recover this one."
        )
    gone = _missing_links(version.revision)
    if gone:
        raise RecoveryError(
            f"“{version.object_repr}” links to what was deleted since "
            f"({', '.join(gone)}), so it cannot come back whole."
        )
    try:
        return services.brief_recover(version=version, user=user)
    except RevertError as error:
        raise RecoveryError(str(error)) from None


def _missing_links(revision):
    """Return labels of the objects `revision` links to that no longer exist."""
    wanted = {}
    for version in revision.version_set.all():
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        data = version.field_dict
        if model is Brief:
            wanted.setdefault(Topic, set()).update(data.get("topics") or ())
            wanted.setdefault(Source, set()).update(data.get("sources") or ())
            wanted.setdefault(Vote, set()).update(data.get("votes") or ())
            wanted.setdefault(get_user_model(), set()).update(data.get("authors") or ())
        elif model is Bullet:
            wanted.setdefault(Source, set()).update(data.get("sources") or ())
    gone = []
    for model, ids in wanted.items():
        found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        gone += [f"{model._meta.verbose_name} #{pk}" for pk in sorted(ids - found)]
    return gone


def _pair(old_keys, new_keys):
    """Return, for each of `new_keys`, the index of the old key it continues
    (an equal one first, else the one in the same place), or None."""
    free = set(range(len(old_keys)))
    pairs = [None] * len(new_keys)
    for index, key in enumerate(new_keys):
        match = next((i for i in sorted(free) if old_keys[i] == key), None)
        if match is not None:
            pairs[index] = match
            free.discard(match)
    for index in range(len(new_keys)):
        if pairs[index] is None and index in free:
            pairs[index] = index
            free.discard(index)
    return pairs


def _data_snapshot(data, section_ids, bullet_ids):
    sections = []
    for number, section in enumerate(data["sections"], start=1):
        snap = SectionSnapshot(section_ids[number - 1], section["heading"], number)
        for index, bullet in enumerate(section["bullets"]):
            snap.bullets.append(
                BulletSnapshot(
                    bullet_ids[number - 1][index],
                    bullet["text"],
                    bullet["attribution"],
                    tuple(sorted(bullet["sources"])),
                )
            )
        sections.append(snap)
    fields = {name: data.get(name) for name in CONTENT_FIELDS}
    for name in ("topics", "authors", "sources", "votes"):
        fields[name] = tuple(sorted(fields[name] or ()))
    return BriefSnapshot(version=None, fields=fields, sections=sections)


def compare_data(old, new):
    """Return the Changes that lead from brief data `old` to `new` (as a
    pending draft holds it: see `briefs.models.PendingDraft`).

    Data has no row ids: a section continues the old one of the same heading,
    else the one in its place; a bullet likewise, by its text.
    """
    old_sections, new_sections = old["sections"], new["sections"]
    old_ids = list(range(1, len(old_sections) + 1))
    old_bullets = [
        [number * 1000 + i for i in range(1, len(s["bullets"]) + 1)]
        for number, s in zip(old_ids, old_sections, strict=True)
    ]
    pairs = _pair(
        [s["heading"] for s in old_sections], [s["heading"] for s in new_sections]
    )
    new_ids, new_bullets, fresh = [], [], 10**9
    for section, match in zip(new_sections, pairs, strict=True):
        if match is None:
            fresh += 1000
            new_ids.append(fresh)
            new_bullets.append(
                [fresh + i for i in range(1, len(section["bullets"]) + 1)]
            )
            continue
        new_ids.append(old_ids[match])
        bullet_pairs = _pair(
            [b["text"] for b in old_sections[match]["bullets"]],
            [b["text"] for b in section["bullets"]],
        )
        ids = []
        for index, bullet_match in enumerate(bullet_pairs):
            if bullet_match is None:
                fresh += 1
                ids.append(-fresh - index)
            else:
                ids.append(old_bullets[match][bullet_match])
        new_bullets.append(ids)
    return compare(
        _data_snapshot(old, old_ids, old_bullets),
        _data_snapshot(new, new_ids, new_bullets),
    )

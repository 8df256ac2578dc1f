"""Pending drafts of live briefs, and briefs replaced by pasted plain text.

An edit of a published brief by someone who may not publish waits as a
`PendingDraft` until an editor publishes it: the live rows stay as they are,
so every public surface keeps showing the live version. Editors may choose to
save a draft too. Publishing the draft applies it through `brief_update`, as a
new revision that must pass the publish checklist.
"""

import contextlib

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .. import changes, images
from ..access import publishes
from ..importer import parse_brief
from ..models import (
    Brief,
    Bullet,
    LeadImage,
    PendingDraft,
    Section,
    Source,
    StaleBriefError,
    Vote,
)
from .briefs import LINKS, _replace_sections, brief_update
from .images import delete_lead_image_of, lead_image_adopt
from .imports import UnreadVotesError
from .votes import known_body_names, vote_from_parsed

FIELDS = ("title", "slug", "summary")


class DraftError(ValidationError):
    """A draft that cannot be published or discarded as asked; says why."""


class StaleDraftError(DraftError):
    """The live brief changed since the draft was made from it."""

    def __init__(self, draft, current_version):
        self.draft = draft
        self.current_version = current_version
        super().__init__(
            f"The live brief changed since this draft was made (version "
            f"{draft.base_version} became {current_version}): publishing it "
            "would undo those changes. Compare the draft with the live brief, "
            "then discard it or publish it anyway."
        )


def may_publish(user):
    return user is None or publishes(user)


def edits_wait(brief, user):
    """Return True if `user`'s edit of `brief` must wait as a pending draft."""
    return brief.status == Brief.Status.PUBLISHED and not may_publish(user)


def pending_draft(brief):
    """Return the pending draft of `brief`, or None."""
    return PendingDraft.objects.select_related("author").filter(brief=brief).first()


IMAGE_FIELDS = ("file", "width", "height", "alt", "credit", "caption")


def image_data(brief):
    """Return the lead image of `brief` as a draft holds it, or None."""
    lead = LeadImage.objects.filter(brief=brief).first()
    if lead is None:
        return None
    return {name: getattr(lead, name) for name in IMAGE_FIELDS} | {
        "file": lead.file.name
    }


def brief_data(brief):
    """Return what `brief` holds now, as a draft holds it (see PendingDraft).

    Sections and bullets keep their row ids, so that a form shown on the
    draft and the save that follows it name the same rows.
    """
    data = {name: getattr(brief, name) for name in FIELDS}
    for name in LINKS:
        data[name] = sorted(getattr(brief, name).values_list("pk", flat=True))
    sections = brief.sections.order_by("position", "id").prefetch_related(
        "bullets__sources"
    )
    data["sections"] = [
        {
            "id": section.pk,
            "heading": section.heading,
            "bullets": [
                {
                    "id": bullet.pk,
                    "text": bullet.text,
                    "attribution": bullet.attribution,
                    "sources": sorted(source.pk for source in bullet.sources.all()),
                }
                for bullet in section.bullets.all()
            ],
        }
        for section in sections
    ]
    data["lead_image"] = image_data(brief)
    return data


def _objects(model, ids, where):
    found = model.objects.in_bulk(ids)
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        name = model._meta.verbose_name
        raise DraftError(
            f"{where} links to a {name} deleted since (#{', #'.join(missing)}); "
            "edit the draft, or discard it."
        )
    return [found[pk] for pk in ids]


def data_arguments(data):
    """Return `brief_update`'s arguments (fields, links, sections) for `data`."""
    sources = _objects(
        Source,
        sorted(
            {pk for s in data["sections"] for b in s["bullets"] for pk in b["sources"]}
        ),
        "A bullet",
    )
    by_pk = {source.pk: source for source in sources}
    sections = [
        {
            "heading": section["heading"],
            "bullets": [
                {
                    **{k: v for k, v in bullet.items() if k != "id"},
                    "sources": [by_pk[pk] for pk in bullet["sources"]],
                }
                for bullet in section["bullets"]
            ],
        }
        for section in data["sections"]
    ]
    model = {name: Brief._meta.get_field(name).related_model for name in LINKS}
    links = {name: _objects(model[name], data[name], "The brief") for name in LINKS}
    return {
        "fields": {name: data[name] for name in FIELDS},
        "sections": sections,
        **links,
    }


def _apply(
    brief, *, fields=None, sections=None, content=None, expected_version=None, **links
):
    """Write a change to `brief`'s rows without the checks of a finished change."""
    for name, value in (fields or {}).items():
        setattr(brief, name, value)
    brief.save(expected_version=expected_version)
    for name, objects in links.items():
        if objects is not None:
            getattr(brief, name).set(objects)
    if sections is not None:
        _replace_sections(brief, sections)
    if content is not None:
        content()


def _worked_out(brief, *steps, data=True):
    """Return what `brief` would hold after `steps` (callables taking the brief),
    with nothing written: the steps run in a savepoint that is rolled back."""
    result = {}
    # Nothing of the rolled-back writes may reach the history either.
    with changes.discarded(), reversion.create_revision(manage_manually=True):
        for step in steps:
            step(brief)
        if data:
            result["data"] = brief_data(brief)
        result["problems"] = brief.publish_problems()
    brief.refresh_from_db()
    return result


def _free_ids(model, ids):
    return set(ids) - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))


def _lay_out(brief, data, *, image=True):
    """Replace the rows of `brief` with those `data` describes, keeping the row
    ids `data` names where no other row took them since."""
    brief.sections.all().delete()
    free = _free_ids(Section, [s["id"] for s in data["sections"] if s.get("id")])
    sections = Section.objects.bulk_create(
        Section(
            pk=section.get("id") if section.get("id") in free else None,
            brief=brief,
            heading=section["heading"],
            position=number,
        )
        for number, section in enumerate(data["sections"], start=1)
    )
    wanted = [b.get("id") for s in data["sections"] for b in s["bullets"]]
    free = _free_ids(Bullet, [pk for pk in wanted if pk])
    bullets, cited = [], []
    for section, section_data in zip(sections, data["sections"], strict=True):
        for number, bullet in enumerate(section_data["bullets"], start=1):
            bullets.append(
                Bullet(
                    pk=bullet.get("id") if bullet.get("id") in free else None,
                    section=section,
                    position=number,
                    text=bullet["text"],
                    attribution=bullet["attribution"],
                )
            )
            cited.append(bullet["sources"])
    bullets = Bullet.objects.bulk_create(bullets)
    through = Bullet.sources.through
    through.objects.bulk_create(
        through(bullet_id=bullet.pk, source_id=pk)
        for bullet, pks in zip(bullets, cited, strict=True)
        for pk in pks
    )
    if image and "lead_image" in data:
        LeadImage.objects.filter(brief=brief).delete()
        if data["lead_image"] is not None:
            LeadImage.objects.create(brief=brief, **data["lead_image"])


@contextlib.contextmanager
def draft_shown(brief):
    """Run a block that sees live `brief`'s rows as its pending draft has them.

    For a form opened on the draft: inside the block the brief, its links,
    sections, bullets and lead image are the draft's (the version stays the
    live one, so that a save's check is against the live brief); every write
    of the block is rolled back and recorded nowhere.
    """
    draft = PendingDraft.objects.get(brief=brief)
    with changes.discarded(), reversion.create_revision(manage_manually=True):
        arguments = data_arguments(draft.data)
        version = Brief.objects.filter(pk=brief.pk).values_list("version", flat=True)
        version = version.get()
        _apply(brief, fields=arguments["fields"], **_links(arguments))
        _lay_out(brief, draft.data)
        Brief.objects.filter(pk=brief.pk).update(version=version)
        brief.version = version
        yield draft
    brief.refresh_from_db()


def _links(arguments):
    return {name: arguments[name] for name in LINKS}


def _image_after(current, change):
    """Return the lead image data `current` becomes with `change` (see draft_save)."""
    if change is None:
        return current
    if change.get("remove"):
        return None
    words = {
        name: change.get(name, "").strip() for name in ("alt", "credit", "caption")
    }
    image = change.get("image")
    if image is None:
        if current is None:
            raise ValidationError({"file": "Choose an image file to upload."})
        result = {**current, **words}
    else:
        if not isinstance(image, images.CheckedImage):
            image = images.check_upload(image)
        # The draft's own file: the live image stays until the draft goes live.
        name = images.store(images.new_name(image.extension), image.content)
        result = {"file": name, "width": image.width, "height": image.height}
        result |= words
    LeadImage(brief_id=0, **result).full_clean(exclude=["brief", "file"])
    return result


@transaction.atomic
def draft_save(
    *,
    brief,
    user=None,
    data=None,
    on_draft=False,
    material_update=False,
    expected_version=None,
    lead_image=None,
    **change,
):
    """Save an edit of live `brief` as its pending draft; the live rows stay.

    The edit is `data` (the whole brief as data), or `brief_update`'s
    arguments (`fields`, `sections`, `content`, links) applied to the live
    brief, or, with `on_draft`, to the pending draft. `lead_image` changes the
    draft's image: {"remove": True}, or {"image", "alt", "credit", "caption"}
    (`image` None keeps the picture and changes its words). Raises
    StaleBriefError if `expected_version` is not the live version.
    """
    current = Brief.objects.select_for_update().get(pk=brief.pk)
    if expected_version is not None and expected_version != current.version:
        raise StaleBriefError(brief.pk, expected_version, current.version)
    draft = PendingDraft.objects.filter(brief=current).first()
    base = current.version
    if data is None:
        steps = []
        if on_draft and draft is not None:
            arguments = data_arguments(draft.data)
            steps.append(lambda b: _apply(b, **arguments))
            base = draft.base_version
        steps.append(lambda b: _apply(b, **change))
        data = _worked_out(brief, *steps)["data"]
        if on_draft and draft is not None and "lead_image" in draft.data:
            # The steps above never touch the image: the draft's stays.
            data["lead_image"] = draft.data["lead_image"]
    elif on_draft and draft is not None:
        base = draft.base_version
    if lead_image is not None:
        before = data["lead_image"] if "lead_image" in data else image_data(current)
        data = {**data, "lead_image": _image_after(before, lead_image)}
    draft, _ = PendingDraft.objects.update_or_create(
        brief=current,
        defaults={
            "data": data,
            "author": user,
            "base_version": base,
            "material_update": bool(material_update)
            or bool(draft and on_draft and draft.material_update),
        },
    )
    return draft


def draft_problems(draft):
    """Return the publish checklist's (where, message) pairs for `draft`."""
    try:
        arguments = data_arguments(draft.data)
    except DraftError as error:
        # It links to what was deleted since: that is its problem.
        return [("Draft", message) for message in error.messages]
    brief = Brief.objects.get(pk=draft.brief_id)
    steps = [lambda b: _apply(b, **arguments)]
    return _worked_out(brief, *steps, data=False)["problems"]


@changes.collected
def draft_publish(*, brief, user=None, force=False):
    """Make the pending draft of `brief` live as a new revision by `user`.

    Refused with PermissionDenied without `publish_brief`, with
    StaleDraftError if the live brief changed since (unless `force`), and with
    LiveBriefError if the draft fails the publish checklist; then nothing
    changes and the draft stays.
    """
    if not may_publish(user):
        raise PermissionDenied("Only editors publish drafts; ask an editor.")
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    draft = PendingDraft.objects.select_related("author").filter(brief=brief).first()
    if draft is None:
        raise DraftError("This brief has no pending draft.")
    if draft.is_stale(brief.version) and not force:
        raise StaleDraftError(draft, brief.version)
    # Checks that what the draft links to still exists.
    arguments = data_arguments(draft.data)
    del arguments["sections"]
    live = brief
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Published the draft by {draft.author_name}.")
        brief = brief_update(
            brief=brief,
            user=user,
            material_update=draft.material_update,
            # The rows keep their ids: notes and links to bullets stay put.
            content=lambda: _lay_out(live, draft.data, image=False),
            **arguments,
        )
        if "lead_image" in draft.data:
            _publish_image(brief, draft.data["lead_image"])
        reversion.add_to_revision(brief)
    draft.delete()
    return brief


def _publish_image(brief, wanted):
    """Give live `brief` the lead image of its draft (`wanted`, or None)."""
    if wanted is None:
        delete_lead_image_of(brief)
        return
    if wanted != image_data(brief):
        lead_image_adopt(brief=brief, **wanted)


def _draft_only_file(draft):
    """Return the name of the image file only `draft` uses, or None."""
    wanted = draft.data.get("lead_image")
    live = image_data(draft.brief)
    if wanted is None or (live is not None and live["file"] == wanted["file"]):
        return None
    return wanted["file"]


@transaction.atomic
def draft_discard(*, brief, user=None):
    """Delete the pending draft of `brief`: editors, or the draft's author."""
    draft = PendingDraft.objects.filter(brief=brief).first()
    if draft is None:
        raise DraftError("This brief has no pending draft.")
    if not (may_publish(user) or draft.author_id == user.pk):
        raise PermissionDenied("Only editors and the draft's author discard it.")
    unused = _draft_only_file(draft)
    if unused:
        transaction.on_commit(lambda: images.delete_files([unused]))
    draft.delete()


# Paste to replace ---------------------------------------------------------


def paste_makes_draft(brief, user):
    """Return True if text `user` pastes into `brief` becomes its pending draft."""
    return edits_wait(brief, user) or (
        not may_publish(user) and PendingDraft.objects.filter(brief=brief).exists()
    )


def pasted_data(*, brief, text, on_draft=False, filename="pasted text"):
    """Return (data, new_votes, parsed) for `brief` replaced by the plain text `text`.

    The text is in the importer's format (see `briefs.importer`); a malformed
    one raises BriefFormatError naming the line, and so does a sentence that
    looks like a vote but cannot be read (UnreadVotesError). Title, summary and sections
    come from the text; links stay as the brief (or its pending draft) has
    them (as its pending draft has them, with `on_draft`). A bullet whose text
    is unchanged keeps its attribution and sources.
    `new_votes` are the parsed votes whose counts no linked vote has.
    """
    parsed = parse_brief(text, filename, known_bodies=known_body_names())
    if parsed.unread_votes:
        # A pasted brief has no preview to list them on: never drop one silently.
        raise UnreadVotesError(parsed.filename, parsed.unread_votes)
    draft = pending_draft(brief) if on_draft else None
    base = draft.data if draft is not None else brief_data(brief)
    kept = {
        bullet["text"]: bullet
        for section in base["sections"]
        for bullet in section["bullets"]
    }
    # Rows the text keeps keep their ids (see brief_data).
    headings = {s["heading"]: s.get("id") for s in base["sections"]}
    sections, used = [], set()
    for section in parsed.sections:
        bullets = []
        for bullet in section.bullets:
            old = kept.get(bullet.text)
            pk = old.get("id") if old else None
            bullets.append(
                {
                    **({"id": pk} if pk and pk not in used else {}),
                    "text": bullet.text,
                    "attribution": old["attribution"] if old else bullet.attribution,
                    "sources": list(old["sources"]) if old else [],
                }
            )
            used.add(pk)
        pk = headings.pop(section.heading, None)
        sections.append(
            {
                **({"id": pk} if pk else {}),
                "heading": section.heading,
                "bullets": bullets,
            }
        )
    data = {
        **base,
        "title": parsed.title,
        "summary": parsed.summary,
        "sections": sections,
    }
    counts = set(
        Vote.objects.filter(pk__in=base["votes"]).values_list("yes", "no", "abstain")
    )
    new_votes = [v for v in parsed.votes if (v.yes, v.no, v.abstain) not in counts]
    new_votes = [
        v for v in new_votes if (v.no, v.yes, v.abstain) not in counts
    ]  # a tally read the other way round is the same vote
    return data, new_votes, parsed


@changes.collected
def brief_paste(*, brief, text, user=None, filename="pasted text"):
    """Replace `brief`'s title, summary and sections with pasted plain text.

    Returns (brief, draft): a live brief edited by someone who may not publish
    gets the text as its pending draft (draft set); otherwise the text is
    applied as a new revision by `user` (a live brief must still pass the
    checklist). Nothing changes if the text is malformed.
    """
    makes_draft = paste_makes_draft(brief, user)
    data, new_votes, parsed = pasted_data(
        brief=brief, text=text, on_draft=makes_draft, filename=filename
    )
    votes = [vote_from_parsed(vote, parsed.filename) for vote in new_votes]
    data = {**data, "votes": sorted({*data["votes"], *(v.pk for v in votes)})}
    if makes_draft:
        return brief, draft_save(brief=brief, user=user, data=data, on_draft=True)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Replaced by pasted plain text.")
        # A fresh copy: a refusal leaves the caller's object as it was.
        brief = brief_update(
            brief=Brief.objects.get(pk=brief.pk), user=user, **data_arguments(data)
        )
        reversion.add_to_revision(brief)
    return brief, None


def data_as_text(data):
    """Return brief `data` as plain text in the importer's format."""
    lines = [data["title"], "", data["summary"], ""]
    for section in data["sections"]:
        lines.append(section["heading"])
        lines += [f"- {bullet['text']}" for bullet in section["bullets"]]
        lines.append("")
    return "\n".join(lines)

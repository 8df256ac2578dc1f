"""Merging a refused save with the version someone else saved in the meantime.

A save based on an older version is refused (the version counter). Before the
form comes back, each field of the refused form is compared with two versions
of the brief: the one the form was opened on (its base, from the history) and
the one stored now. A field only the other person changed takes their value;
a field only this editor changed keeps the typing; a field both changed is a
clash, shown side by side for the editor to choose.
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from briefs.models import Brief, Bullet, Source, Topic, Vote

from . import history

TEXT_FIELDS = (("title", "Title"), ("slug", "Slug"), ("summary", "Summary"))
LINK_FIELDS = (
    ("authors", "Authors"),
    ("topics", "Topics"),
    ("votes", "Votes"),
    ("sources", "Sources"),
)
SECTION_ID = re.compile(r"^sections-(\d+)-id$")
BULLET_ID = re.compile(r"^sections-(\d+)-bullets-(\d+)-id$")


@dataclass
class Clash:
    """One field both people changed: what this editor typed, what is stored."""

    name: str
    label: str
    mine: str
    theirs: str
    # Links (topics, votes...) are shown by name; their value is a list of ids.
    is_list: bool = False


@dataclass
class Merge:
    """The refused form's data with the other person's changes merged in."""

    data: object
    clashes: list
    merged: list
    expected: int
    current: int


def _text(value):
    # Browsers send "\r\n" in text areas; the stored text has "\n".
    return (value or "").replace("\r\n", "\n").strip()


def _ids(values):
    return tuple(sorted(str(value) for value in values if str(value)))


def _models():
    return {
        "authors": get_user_model(),
        "topics": Topic,
        "votes": Vote,
        "sources": Source,
    }


def _names(name, ids):
    model = _models()[name]
    found = {str(obj.pk): str(obj) for obj in model.objects.filter(pk__in=ids)}
    return ", ".join(found.get(pk, f"#{pk}") for pk in ids) or "(none)"


def stored(brief):
    """Return the brief as stored now, keyed as `base` keys it."""
    values = {name: _text(getattr(brief, name)) for name, _ in TEXT_FIELDS}
    for name, _ in LINK_FIELDS:
        values[name] = _ids(getattr(brief, name).values_list("pk", flat=True))
    values["sections"] = {
        str(pk): _text(heading)
        for pk, heading in brief.sections.values_list("pk", "heading")
    }
    values["bullets"] = {
        str(pk): _text(text)
        for pk, text in Bullet.objects.filter(section__brief=brief).values_list(
            "pk", "text"
        )
    }
    return values


def base(brief, version):
    """Return the brief as it was at `version`, or None where no revision has it."""
    revision = history.revision_at_version(brief, version)
    if revision is None:
        return None
    snap = history.snapshot(revision)
    values = {name: _text(snap.fields.get(name)) for name, _ in TEXT_FIELDS}
    for name, _ in LINK_FIELDS:
        values[name] = _ids(snap.fields.get(name) or ())
    values["sections"] = {str(s.id): _text(s.heading) for s in snap.sections}
    values["bullets"] = {
        str(b.id): _text(b.text) for s in snap.sections for b in s.bullets
    }
    return values


def _form_fields(data, fields):
    """Yield (kind, key, input name, label) for each mergeable field in `data`."""
    for name, label in TEXT_FIELDS:
        if name in fields:
            yield "text", name, name, label
    for name, label in LINK_FIELDS:
        # An empty choice sends nothing: the form's fields say what it holds.
        if name in fields:
            yield "links", name, name, label
    for key in data:
        match = SECTION_ID.match(key)
        if match and data.get(key):
            number = int(match[1]) + 1
            yield (
                "sections",
                data[key],
                f"sections-{match[1]}-heading",
                f"Section {number}: heading",
            )
        match = BULLET_ID.match(key)
        if match and data.get(key):
            yield (
                "bullets",
                data[key],
                f"sections-{match[1]}-bullets-{match[2]}-text",
                f"Section {int(match[1]) + 1}, bullet {int(match[2]) + 1}",
            )


def _lookup(values, kind, key):
    if values is None:
        return None
    if kind in ("sections", "bullets"):
        return values[kind].get(key)
    return values[key]


def merge(brief, data, expected, fields):
    """Return a Merge of the refused form `data` (based on `expected`) with `brief`.

    `fields`: the names of the brief's own fields the form holds.
    """
    brief = Brief.objects.get(pk=brief.pk)
    merged_data = data.copy()
    now, then = stored(brief), base(brief, expected)
    clashes, merged = [], []
    for kind, key, name, label in _form_fields(data, fields):
        if kind == "links":
            mine = _ids(data.getlist(name))
        else:
            mine = _text(data.get(name))
        theirs = _lookup(now, kind, key)
        was = _lookup(then, kind, key)
        if theirs is None or mine == theirs or theirs == was:
            # A row they deleted, no difference, or only this editor's change.
            continue
        if was is not None and mine == was:
            if kind == "links":
                merged_data.setlist(name, list(theirs))
            else:
                merged_data[name] = theirs
            merged.append(label)
            continue
        if kind == "links":
            clashes.append(
                Clash(name, label, _names(key, mine), _names(key, theirs), True)
            )
        else:
            clashes.append(Clash(name, label, mine, theirs))
    return Merge(merged_data, clashes, merged, expected, brief.version)

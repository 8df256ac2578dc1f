"""Helpers for driving the admin's forms as a browser would submit them."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import (
    BriefFactory,
    BulletFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    VoteFactory,
)


class _FormReader(HTMLParser):
    """Collect the values a browser would send for the form with `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._textarea = None
        self._select = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            if self._textarea:
                value = self.data[self._textarea][-1]
                # Browsers drop the one newline that follows <textarea>.
                self.data[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(html, form_id="brief_form"):
    """Return the submitted data of `form_id` in `html`, without __prefix__ rows."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {
        name: values if len(values) != 1 else values[0]
        for name, values in reader.data.items()
        if "__prefix__" not in name
    }


def change_url(brief):
    return reverse("admin:briefs_brief_change", args=[brief.pk])


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_superuser=True)


@pytest.fixture
def full_brief(db):
    """A brief with two sections, three bullets, sources and a vote."""
    brief = BriefFactory(title="Assembly weighs a ceasefire call")
    first = SectionFactory(brief=brief, heading="What happened", position=1)
    second = SectionFactory(brief=brief, heading="What comes next", position=2)
    source = SourceFactory()
    BulletFactory(section=first, text="Members met in an emergency session.")
    BulletFactory(
        section=first,
        text="Delegates reportedly traded drafts overnight.",
        attribution="reported",
        sources=[source],
    )
    BulletFactory(section=second, text="A second vote is expected next week.")
    brief.votes.add(VoteFactory())
    return brief

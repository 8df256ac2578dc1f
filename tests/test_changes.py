"""Each change through the services sends one event on commit, saying what changed."""

import pytest
from django.db import transaction

from briefs import changes, services
from briefs.changes import BriefsChanged, briefs_changed
from briefs.models import Brief
from tests.factories import BriefFactory, BulletFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    received = []

    def receiver(sender, change, **kwargs):
        received.append(change)

    briefs_changed.connect(receiver, dispatch_uid="test-events")
    yield received
    briefs_changed.disconnect(dispatch_uid="test-events")


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def publishable_brief(**kwargs):
    brief = BriefFactory(**kwargs)
    BulletFactory(section=SectionFactory(brief=brief))
    return brief


def test_an_edit_of_a_published_brief_sends_one_public_event(events, commits):
    brief = publishable_brief(published=True)

    with commits():
        services.brief_update(brief=brief, fields={"title": "A new headline"})

    assert events == [BriefsChanged(frozenset({brief.pk}), public=True)]


@pytest.mark.parametrize("status", ["draft", "review"])
def test_saving_a_draft_or_a_brief_in_review_is_not_public(events, commits, status):
    brief = BriefFactory(status=status)

    with commits():
        services.brief_update(brief=brief, fields={"title": "A new headline"})

    assert events == [BriefsChanged(frozenset({brief.pk}), public=False)]


def test_unpublishing_is_public(events, commits, editor):
    brief = publishable_brief()
    services.brief_transition(brief=brief, action="publish")

    with commits():
        services.brief_transition(brief=brief, action="return_to_draft", user=editor)

    assert [event.public for event in events] == [True]


def test_an_import_that_publishes_sends_one_event(events, commits):
    text = (
        "Council backs a truce\n\n"
        "Members of the council agreed on a short truce after a long night.\n\n"
        "What happened\n- Envoys met at dawn.\n"
    )

    with commits():
        brief = services.brief_import(text=text, publish=True)

    assert events == [BriefsChanged(frozenset({brief.pk}), public=True)]


def test_a_rolled_back_change_sends_nothing(events, commits):
    brief = publishable_brief(published=True)

    with commits(), pytest.raises(RuntimeError), transaction.atomic():
        services.brief_update(brief=brief, fields={"title": "Never saved"})
        raise RuntimeError

    assert events == []


def test_a_refused_change_sends_nothing(events, commits):
    brief = publishable_brief()
    services.brief_transition(brief=brief, action="publish")
    sections = [
        {
            "heading": "Claims",
            "bullets": [{"text": "Said so.", "attribution": "alleged"}],
        }
    ]

    with commits(), pytest.raises(services.LiveBriefError):
        services.brief_update(brief=brief, sections=sections)

    assert events == []
    assert brief.sections.get().bullets.get().attribution == "fact"


def test_a_topic_rename_names_every_brief_filed_under_it(events, commits):
    topic = TopicFactory()
    shown = [BriefFactory(published=True, topics=[topic]), BriefFactory(topics=[topic])]
    BriefFactory(published=True)

    with commits():
        topic.name = "Truce negotiations"
        services.shared_save(obj=topic)

    assert events == [BriefsChanged(frozenset(b.pk for b in shown), public=True)]


def test_a_topic_of_drafts_only_changes_nothing_public(events, commits):
    topic = TopicFactory()
    draft = BriefFactory(topics=[topic])

    with commits():
        topic.name = "Embargoed"
        services.shared_save(obj=topic)

    assert events == [BriefsChanged(frozenset({draft.pk}), public=False)]


def test_the_version_moves_once_per_change(commits):
    brief = publishable_brief()
    services.brief_transition(brief=brief, action="publish")
    version = Brief.objects.get(pk=brief.pk).version
    sections = [{"heading": "What happened", "bullets": [{"text": "Envoys met."}]}]

    services.brief_update(
        brief=brief,
        fields={"title": "Envoys meet"},
        sections=sections,
        topics=[TopicFactory()],
        material_update=True,
    )

    assert Brief.objects.get(pk=brief.pk).version == version + 1


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (lambda b: services.brief_transition(brief=b, action="archive"), "withdrawn"),
        (lambda b: services.brief_delete(brief=b), "withdrawn"),
        (lambda b: services.brief_update(brief=b, fields={"title": "New"}), "updated"),
        (
            lambda b: services.correction_save(
                correction=b.corrections.model(brief=b, kind="correction", text="Fix.")
            ),
            "corrected",
        ),
    ],
    ids=["archive", "delete", "update", "correction"],
)
def test_the_event_says_what_happened_to_each_brief(events, commits, change, kind):
    brief = publishable_brief(published=True)
    pk = brief.pk

    with commits():
        change(brief)

    [event] = events
    assert event.kind_of(pk) == kind


def test_publishing_is_named_so(events, commits):
    brief = publishable_brief()

    with commits():
        services.brief_transition(brief=brief, action="publish")

    assert events[0].kind_of(brief.pk) == "published"


def test_within_one_change_withdrawn_outweighs_what_came_before(events, commits):
    brief = publishable_brief()

    with commits(), changes.collect():
        services.brief_transition(brief=brief, action="publish")
        services.brief_update(brief=brief, fields={"title": "Changed at once"})
        services.brief_transition(brief=brief, action="archive")

    assert [event.kind_of(brief.pk) for event in events] == ["withdrawn"]


def test_an_unknown_kind_of_change_is_refused():
    with pytest.raises(ValueError, match="No such kind"):
        changes.record(brief_ids=[1], public=False, kind="eaten")

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from briefs.models import Brief, StaleBriefError
from briefs.rendering import PublishedRows
from tests.factories import (
    BriefFactory,
    BulletFactory,
    CorrectionFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    VoteFactory,
)

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def publishable(**kwargs):
    brief = BriefFactory(**kwargs)
    BulletFactory(section=SectionFactory(brief=brief))
    return brief


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("status", "published_at", "embargo_until", "visible"),
    [
        ("draft", None, None, False),
        ("draft", NOW - HOUR, None, False),
        ("review", NOW - HOUR, None, False),
        ("archived", NOW - HOUR, None, False),
        ("published", NOW + HOUR, None, False),
        ("published", NOW, None, True),
        ("published", NOW - HOUR, None, True),
        ("published", NOW - HOUR, NOW + HOUR, False),
        ("published", NOW - HOUR, NOW, True),
    ],
)
def test_published_queryset_agrees_with_is_published(
    status, published_at, embargo_until, visible
):
    brief = BriefFactory(
        status=status, published_at=published_at, embargo_until=embargo_until
    )
    assert brief.is_published is visible
    assert Brief.objects.published().filter(pk=brief.pk).exists() is visible
    # The same rule in the plain SQL of the brief page and API detail.
    assert (PublishedRows("b.id").get(slug=brief.slug) is not None) is visible
    assert (PublishedRows("b.id").get(uuid=brief.uuid) is not None) is visible


@pytest.mark.django_db
def test_slug_is_made_from_the_title_and_kept_unique():
    first = BriefFactory(title="Council votes on aid")
    second = BriefFactory(title="Council votes on aid")
    assert first.slug == "council-votes-on-aid"
    assert second.slug == "council-votes-on-aid-2"


@pytest.mark.django_db
def test_a_slug_taken_between_choosing_it_and_saving_is_chosen_again(monkeypatch):
    # As when two editors save briefs with the same title at the same moment.
    choose = Brief.unique_slug
    calls = []

    def taken_meanwhile(title, exclude_pk=None):
        slug = choose(title, exclude_pk=exclude_pk)
        if not calls:
            BriefFactory(title="Another desk's brief", slug=slug)
        calls.append(slug)
        return slug

    monkeypatch.setattr(Brief, "unique_slug", staticmethod(taken_meanwhile))
    with transaction.atomic():  # the clash must not spoil the caller's transaction
        brief = BriefFactory(title="Council votes on aid")
        assert Brief.objects.filter(pk=brief.pk).exists()
    assert calls == ["council-votes-on-aid", "council-votes-on-aid-2"]
    assert Brief.objects.get(pk=brief.pk).slug == "council-votes-on-aid-2"


@pytest.mark.django_db
def test_every_save_moves_the_version_on():
    brief = BriefFactory()
    assert brief.version == 1
    brief.title = "A new headline"
    brief.save()
    assert Brief.objects.get(pk=brief.pk).version == 2


@pytest.mark.django_db
def test_saving_with_a_stale_version_is_refused_and_changes_nothing():
    brief = BriefFactory(title="Original")
    other_copy = Brief.objects.get(pk=brief.pk)
    brief.title = "First editor"
    brief.save(expected_version=1)
    other_copy.title = "Second editor"
    with pytest.raises(StaleBriefError) as caught:
        other_copy.save(expected_version=1)
    assert caught.value.current_version == 2
    assert Brief.objects.get(pk=brief.pk).title == "First editor"


@pytest.mark.django_db
def test_database_refuses_a_published_brief_without_a_time():
    with transaction.atomic(), pytest.raises(IntegrityError):
        BriefFactory(status="published", published_at=None)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_publish_sets_first_published_and_last_updated():
    brief = publishable()
    brief.publish()
    assert brief.status == "published"
    assert brief.published_at == NOW
    assert brief.first_published_at == NOW
    assert brief.last_updated_at == NOW
    assert brief.is_published


@pytest.mark.django_db
def test_scheduled_brief_becomes_visible_at_its_time_without_a_job():
    brief = publishable()
    with time_machine.travel(NOW, tick=False):
        brief.publish(at=NOW + HOUR)
        assert brief.is_scheduled
        assert not Brief.objects.published().exists()
    with time_machine.travel(NOW + HOUR, tick=False):
        assert list(Brief.objects.published()) == [brief]


@pytest.mark.django_db
def test_republishing_never_moves_first_published():
    brief = publishable()
    with time_machine.travel(NOW, tick=False):
        brief.publish()
    with time_machine.travel(NOW + 5 * HOUR, tick=False):
        brief.return_to_draft()
        brief.publish()
    assert brief.first_published_at == NOW
    assert brief.published_at == NOW + 5 * HOUR


@pytest.mark.django_db
def test_a_material_update_moves_last_updated_only():
    brief = publishable()
    with time_machine.travel(NOW, tick=False):
        brief.publish()
    with time_machine.travel(NOW + HOUR, tick=False):
        brief.mark_updated()
    brief.refresh_from_db()
    assert brief.first_published_at == NOW
    assert brief.last_updated_at == NOW + HOUR
    assert brief.was_updated


@pytest.mark.django_db
def test_a_correction_moves_last_updated():
    correction = CorrectionFactory(published_at=timezone.now() + HOUR)
    correction.brief.refresh_from_db()
    assert correction.brief.last_updated_at == correction.published_at


@pytest.mark.django_db
def test_only_a_published_brief_can_be_corrected():
    correction = CorrectionFactory.build(brief=BriefFactory())
    with pytest.raises(ValidationError) as caught:
        correction.full_clean()
    assert "brief" in caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("submit_for_review", "draft", "review"),
        ("publish", "draft", "published"),
        ("publish", "review", "published"),
        ("archive", "published", "archived"),
        ("return_to_draft", "review", "draft"),
        ("return_to_draft", "published", "draft"),
        ("return_to_draft", "archived", "draft"),
    ],
)
def test_editor_can_make_every_transition(editor, action, start, end):
    brief = publishable(status=start, published_at=timezone.now())
    getattr(brief, action)(user=editor)
    assert Brief.objects.get(pk=brief.pk).status == end


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "start", "allowed"),
    [
        ("submit_for_review", "draft", True),
        ("return_to_draft", "review", True),
        ("publish", "review", False),
        ("archive", "published", False),
        ("return_to_draft", "published", False),
    ],
)
def test_writer_drafts_and_submits_but_never_publishes(writer, action, start, allowed):
    brief = publishable(status=start, published_at=timezone.now())
    assert brief.can(action, writer) is allowed
    if allowed:
        getattr(brief, action)(user=writer)
    else:
        with pytest.raises(PermissionDenied):
            getattr(brief, action)(user=writer)
        assert Brief.objects.get(pk=brief.pk).status == start


@pytest.mark.django_db
def test_a_transition_from_the_wrong_status_is_refused(editor):
    brief = publishable()
    with pytest.raises(ValidationError) as caught:
        brief.archive(user=editor)
    assert "draft cannot be moved to archived" in caught.value.message_dict["status"][0]


@pytest.mark.django_db
def test_publish_checklist_blocks_a_section_without_bullets():
    brief = BriefFactory()
    SectionFactory(brief=brief, heading="Empty")
    with pytest.raises(ValidationError) as caught:
        brief.publish()
    assert "Section 1 (Empty): has no bullet points." in caught.value.messages
    assert Brief.objects.get(pk=brief.pk).status == "draft"


@pytest.mark.django_db
def test_publish_checklist_blocks_an_unsourced_alleged_claim():
    brief = BriefFactory()
    bullet = BulletFactory(section=SectionFactory(brief=brief), attribution="alleged")
    assert brief.publish_problems() == [
        (
            f"Section 1 ({bullet.section.heading}), bullet 1",
            "Alleged claims must cite a source; this one cites none.",
        )
    ]
    bullet.sources.add(SourceFactory())
    assert brief.publish_problems() == []


@pytest.mark.django_db
def test_publish_checklist_blocks_a_short_summary():
    brief = publishable(summary="Too short.")
    assert brief.publish_problems()[0][0] == "Summary"


@pytest.mark.django_db
def test_publish_checklist_blocks_a_vote_that_breaks_its_rules():
    brief = publishable()
    vote = VoteFactory(council=True)
    vote.yes = 20  # beyond the 15 seats, saved without validation
    vote.save()
    brief.votes.add(vote)
    problems = brief.publish_problems()
    assert "15 seats" in problems[0][1]


@pytest.mark.django_db
def test_publish_checklist_names_the_bullet_section_and_vote_each_item_concerns():
    brief = BriefFactory()
    bullet = BulletFactory(
        section=SectionFactory(brief=brief, position=1), attribution="alleged"
    )
    empty = SectionFactory(brief=brief, heading="Empty", position=2)
    vote = VoteFactory(council=True)
    vote.yes = 20  # beyond the 15 seats, saved without validation
    vote.save()
    brief.votes.add(vote)
    concerns = {item.row for item in brief.publish_checklist()}
    assert concerns == {
        f"section-{empty.pk}",
        f"bullet-{bullet.pk}",
        f"vote-{vote.pk}",
    }


@pytest.mark.django_db
def test_publish_problems_are_the_checklist_items_without_what_they_concern():
    brief = BriefFactory(summary="Too short.")
    BulletFactory(section=SectionFactory(brief=brief), attribution="reported")
    assert brief.publish_problems() == [
        (item.where, item.message) for item in brief.publish_checklist()
    ]
    assert [item.row for item in brief.publish_checklist()][0] is None


@pytest.mark.django_db
def test_visible_to_shows_drafts_to_staff_only(writer):
    draft = BriefFactory()
    anonymous = UserFactory(username="reader", is_staff=False)
    assert draft in Brief.objects.visible_to(writer)
    assert draft not in Brief.objects.visible_to(anonymous)
    assert draft not in Brief.objects.visible_to(None)


@pytest.mark.django_db
def test_topics_with_published_briefs_leave_out_topics_of_drafts_only():
    from briefs.models import Topic
    from tests.factories import TopicFactory

    shown, hidden = TopicFactory(), TopicFactory()
    BriefFactory(published=True, topics=[shown])
    BriefFactory(topics=[hidden])
    BriefFactory(
        status="published",
        published_at=timezone.now() + HOUR,
        topics=[hidden],
    )
    assert list(Topic.objects.with_published_briefs()) == [shown]

"""The one page where a brief is written: sections, bullets, votes, sources."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefs.models import Brief, Bullet
from tests.factories import (
    BriefFactory,
    BulletFactory,
    CorrectionFactory,
    SectionFactory,
    SourceFactory,
    VoteFactory,
)

from .conftest import change_url, form_data


def big_brief(sections, bullets):
    brief = BriefFactory(title="A long brief")
    sources = [SourceFactory() for _ in range(3)]
    for s in range(sections):
        section = SectionFactory(brief=brief, position=s)
        for b in range(bullets):
            BulletFactory(section=section, position=b, sources=sources[: b % 3])
    brief.votes.add(VoteFactory(), VoteFactory())
    return brief


def queries_for_change_page(client, brief):
    client.get(change_url(brief))  # the first visit starts the history
    with CaptureQueriesContext(connection) as queries:
        response = client.get(change_url(brief))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_change_page_of_a_10_by_8_brief_renders_in_a_bounded_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    brief = big_brief(10, 8)
    client.force_login(editor)
    client.get(change_url(brief))
    # 26, 3 for the notes panel and who else is here, 1 for the lead image,
    # 1 for a pending draft (all constant).
    with django_assert_max_num_queries(33):
        response = client.get(change_url(brief))
    assert response.text.count('name="sections-9-bullets-7-text"') == 1


@pytest.mark.django_db
def test_change_page_queries_do_not_grow_with_the_number_of_bullets(client, editor):
    client.force_login(editor)
    few = queries_for_change_page(client, big_brief(10, 2))
    many = queries_for_change_page(client, big_brief(10, 8))
    assert many == few


@pytest.mark.django_db
def test_writer_writes_a_brief_with_sections_and_bullets_on_one_page(client, writer):
    source = SourceFactory()
    client.force_login(writer)
    data = form_data(client.get(reverse("admin:briefs_brief_add")).text)
    data.update(
        {
            "title": "Council delays a vote",
            "slug": "",
            "summary": "The Security Council put off a vote on the draft after "
            "members asked for more time to consult their capitals.",
            "sections-TOTAL_FORMS": "2",
            "sections-0-heading": "What happened",
            "sections-0-position": "0",
            "sections-0-bullets-TOTAL_FORMS": "2",
            "sections-0-bullets-INITIAL_FORMS": "0",
            "sections-0-bullets-0-text": "The vote was moved to Friday.",
            "sections-0-bullets-0-attribution": "fact",
            "sections-0-bullets-0-position": "0",
            "sections-0-bullets-1-text": "Two members reportedly sought changes.",
            "sections-0-bullets-1-attribution": "reported",
            "sections-0-bullets-1-sources": [str(source.pk)],
            "sections-0-bullets-1-position": "1",
            "sections-1-heading": "What comes next",
            "sections-1-position": "1",
            "sections-1-bullets-TOTAL_FORMS": "1",
            "sections-1-bullets-INITIAL_FORMS": "0",
            "sections-1-bullets-0-text": "Diplomats expect a new draft.",
            "sections-1-bullets-0-attribution": "fact",
            "sections-1-bullets-0-position": "0",
        }
    )
    for n in (0, 1):
        data.setdefault(f"sections-{n}-bullets-MIN_NUM_FORMS", "0")
        data.setdefault(f"sections-{n}-bullets-MAX_NUM_FORMS", "1000")
    response = client.post(reverse("admin:briefs_brief_add"), data)
    assert response.status_code == 302, response.context["errors"]
    brief = Brief.objects.get()
    assert brief.slug == "council-delays-a-vote"
    assert [s.heading for s in brief.sections.all()] == [
        "What happened",
        "What comes next",
    ]
    assert Bullet.objects.get(attribution="reported").sources.get() == source
    assert list(brief.authors.all()) == [writer]
    assert brief.publish_problems() == []


@pytest.mark.django_db
def test_writer_removes_and_reorders_bullets_on_the_brief_page(
    client, writer, full_brief
):
    client.force_login(writer)
    data = form_data(client.get(change_url(full_brief)).text)
    data["sections-0-bullets-0-DELETE"] = "on"
    data["sections-0-position"], data["sections-1-position"] = "2", "1"
    assert client.post(change_url(full_brief), data).status_code == 302
    headings = [s.heading for s in full_brief.sections.all()]
    assert headings == ["What comes next", "What happened"]
    assert full_brief.sections.get(heading="What happened").bullets.count() == 1


@pytest.mark.django_db
def test_change_page_has_the_live_counter_and_help_for_every_rule(
    client, writer, full_brief
):
    client.force_login(writer)
    response = client.get(change_url(full_brief))
    assert "data-brief-counter" in response.text
    assert "admin-briefs/brief-counter" in response.text
    # Once for the whole page, however many sections and bullets it has.
    assert response.text.count("Reported and alleged claims need a source") == 1
    assert response.text.count("at least one bullet point to be published") == 1
    assert "must agree with its body's rules" in response.text


@pytest.mark.django_db
def test_material_update_moves_last_updated_but_never_first_published(
    client, editor, full_brief
):
    full_brief.publish()
    first = full_brief.first_published_at
    client.force_login(editor)
    data = form_data(client.get(change_url(full_brief)).text)
    data["summary"] += " The vote was later confirmed."
    data["material_update"] = "on"
    assert client.post(change_url(full_brief), data).status_code == 302
    full_brief.refresh_from_db()
    assert full_brief.first_published_at == first
    assert full_brief.last_updated_at > first


@pytest.mark.django_db
def test_correction_note_is_added_to_a_published_brief_on_its_page(
    client, editor, full_brief
):
    full_brief.publish()
    first = full_brief.first_published_at
    client.force_login(editor)
    data = form_data(client.get(change_url(full_brief)).text)
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version misstated the date.",
            "corrections-0-published_at_0": "2099-01-01",
            "corrections-0-published_at_1": "10:00:00",
        }
    )
    data.pop("corrections-MAX_NUM_FORMS", None)
    data["corrections-MAX_NUM_FORMS"] = "1000"
    response = client.post(change_url(full_brief), data)
    assert response.status_code == 302, response.context["errors"]
    full_brief.refresh_from_db()
    assert full_brief.corrections.count() == 1
    assert full_brief.first_published_at == first
    assert full_brief.last_updated_at.year == 2099


@pytest.mark.django_db
def test_a_draft_cannot_get_a_correction_note(client, editor, full_brief):
    client.force_login(editor)
    response = client.get(change_url(full_brief))
    assert response.context["inline_admin_formsets"][1].has_add_permission is False
    CorrectionFactory  # noqa: B018  (the factory makes published briefs only)


@pytest.mark.django_db(transaction=True)
def test_removing_a_section_on_the_page_removes_its_bullets(client, writer, full_brief):
    # Transactional, so that foreign keys are checked when the save commits.
    client.force_login(writer)
    data = form_data(client.get(change_url(full_brief)).text)
    data["sections-0-DELETE"] = "on"
    assert client.post(change_url(full_brief), data).status_code == 302
    assert [s.heading for s in full_brief.sections.all()] == ["What comes next"]
    assert list(Bullet.objects.values_list("text", flat=True)) == [
        "A second vote is expected next week."
    ]


@pytest.mark.django_db
def test_an_admin_save_cannot_break_the_checklist_of_a_live_brief(
    client, editor, full_brief
):
    full_brief.publish()
    client.force_login(editor)
    data = form_data(client.get(change_url(full_brief)).text)
    # An unsourced allegation may not go live.
    data["sections-0-bullets-0-attribution"] = "alleged"

    response = client.post(change_url(full_brief), data)

    assert response.status_code == 200
    assert "must cite a source" in response.text
    form = response.context["adminform"].form
    assert form.data["sections-0-bullets-0-attribution"] == "alleged"
    assert not Bullet.objects.filter(attribution="alleged").exists()
    full_brief.refresh_from_db()
    assert full_brief.status == "published"
    assert full_brief.publish_problems() == []


def row_html(html, start_marker, end_marker):
    """Return the part of `html` from `start_marker` up to the next `end_marker`."""
    start = html.index(start_marker)
    return html[start : html.index(end_marker, start + len(start_marker))]


@pytest.mark.django_db
def test_each_checklist_item_is_shown_beside_the_bullet_section_or_vote_it_concerns(
    client, editor
):
    brief = BriefFactory(title="Half checked")
    first = SectionFactory(brief=brief, heading="What happened", position=1)
    BulletFactory(section=first, text="Members met.", position=1)
    BulletFactory(
        section=first, text="A deal was alleged.", attribution="alleged", position=2
    )
    SectionFactory(brief=brief, heading="Still empty", position=2)
    vote = VoteFactory(council=True)
    vote.yes = 20  # beyond the 15 seats, saved without validation
    vote.save()
    brief.votes.add(vote)
    client.force_login(editor)
    html = client.get(change_url(brief)).text

    sourced, unsourced = (
        row_html(html, f'id="sections-0-bullets-{n}"', "data-inline-model=")
        for n in (0, 1)
    )
    assert "Alleged claims must cite a source" in unsourced
    assert "To publish" not in sourced
    empty_section = row_html(html, 'id="sections-1"', 'id="sections-1-bullets-group"')
    assert "Has no bullet points." in empty_section
    votes = row_html(html, 'name="votes"', 'name="sources"')
    assert "15 seats" in votes
    assert str(vote) in votes


@pytest.mark.django_db
def test_an_editor_sets_an_embargo_on_the_brief_page(client, editor, full_brief):
    client.force_login(editor)
    data = form_data(client.get(change_url(full_brief)).text)
    data["embargo_until_0"] = "2030-01-02"
    data["embargo_until_1"] = "09:30:00"

    assert client.post(change_url(full_brief), data).status_code == 302
    full_brief.refresh_from_db()
    assert full_brief.embargo_until.year == 2030


@pytest.mark.django_db
def test_a_writer_cannot_set_an_embargo(client, writer, full_brief):
    client.force_login(writer)

    page = client.get(change_url(full_brief)).text

    assert 'name="embargo_until_0"' not in page

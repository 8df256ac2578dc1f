"""Importing in the admin, the dashboard and the list of briefs."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from briefs.models import Brief
from tests.factories import (
    BriefFactory,
    BulletFactory,
    CorrectionFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    VoteFactory,
)

from .conftest import change_url

GOOD = """Assembly asks for a pause in the fighting

Members of the General Assembly met to ask both sides for a pause, and a large
majority backed the call after a long debate.

What happened
- The General Assembly passed the text with 93 votes for, 18 against,
  and 65 abstentions.
- Several delegations reportedly changed their vote at the last minute.
"""

BROKEN = """Assembly asks for a pause in the fighting

Members of the General Assembly met to ask both sides for a pause.

What happened
-
"""


def confirm(client, response):
    """Post the preview's form back with its "Save as a draft" button."""
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in ("text", "name", "previewed")}
    return client.post(
        reverse("admin:briefs_brief_import"), {**data, "confirm": "Save"}
    )


@pytest.mark.django_db
def test_pasted_brief_becomes_a_draft_and_opens_it(client, writer):
    client.force_login(writer)
    preview = client.post(reverse("admin:briefs_brief_import"), {"text": GOOD})
    response = confirm(client, preview)
    brief = Brief.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(brief)
    assert brief.status == "draft"
    assert list(brief.authors.all()) == [writer]
    bullets = [b for s in brief.sections.all() for b in s.bullets.all()]
    assert bullets[1].attribution == "reported"
    assert brief.votes.get().yes == 93


@pytest.mark.django_db
def test_uploaded_brief_is_imported(client, writer):
    client.force_login(writer)
    upload = SimpleUploadedFile("story.txt", GOOD.encode(), "text/plain")
    preview = client.post(reverse("admin:briefs_brief_import"), {"file": upload})
    response = confirm(client, preview)
    assert response.status_code == 302
    assert Brief.objects.get().title == "Assembly asks for a pause in the fighting"


@pytest.mark.django_db
def test_import_problem_is_shown_with_its_line_number_and_nothing_is_saved(
    client, writer
):
    client.force_login(writer)
    response = client.post(reverse("admin:briefs_brief_import"), {"text": BROKEN})
    assert response.status_code == 200
    assert response.context["problem"].line == 6
    assert "Line 6:" in response.text
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_import_shows_each_vote_read_beside_its_sentence_before_saving(client, writer):
    client.force_login(writer)

    response = client.post(reverse("admin:briefs_brief_import"), {"text": GOOD})

    assert response.status_code == 200
    assert not Brief.objects.exists()
    [vote] = response.context["preview"].votes
    assert (vote.yes, vote.no) == (93, 18)
    page = response.text
    assert "The General Assembly passed the text with 93 votes for" in page
    assert '<td class="counts vote-yes">93</td>' in page
    assert "General Assembly</td>" in page


@pytest.mark.django_db
def test_an_edited_text_is_read_again_not_saved_unseen(client, writer):
    client.force_login(writer)
    preview = client.post(reverse("admin:briefs_brief_import"), {"text": GOOD})
    form = preview.context["form"]

    response = client.post(
        reverse("admin:briefs_brief_import"),
        {
            "text": GOOD.replace("18 against", "81 against"),
            "previewed": form["previewed"].value(),
            "confirm": "Save",
        },
    )

    assert response.status_code == 200
    assert not Brief.objects.exists()
    assert response.context["preview"].votes[0].no == 81


@pytest.mark.django_db
def test_the_import_page_lists_unread_votes_and_saves_them_on_confirm(client, writer):
    client.force_login(writer)
    text = GOOD.replace(
        "- Several", "- The committee voted 6-3 on it, with 2 delegates.\n- Several"
    )
    preview = client.post(reverse("admin:briefs_brief_import"), {"text": text})
    assert "The committee voted 6-3 on it, with 2 delegates." in preview.text
    assert "is not bound to a label" in preview.text

    confirm(client, preview)

    brief = Brief.objects.get()
    assert any("could not read" in item.message for item in brief.publish_checklist())


@pytest.mark.django_db
def test_import_needs_the_add_permission(client):
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)
    response = client.post(reverse("admin:briefs_brief_import"), {"text": GOOD})
    assert response.status_code == 403
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_dashboard_lists_the_five_kinds_of_work(client, editor):
    mine = BriefFactory(title="My own draft")
    mine.authors.add(editor)
    BriefFactory(title="Someone else's draft")
    BriefFactory(title="Waiting for a reviewer", status="review")
    BriefFactory(
        title="Out tomorrow",
        status="published",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    BriefFactory(title="Out already", published=True)
    CorrectionFactory(
        brief=BriefFactory(title="Fixed after publication", published=True)
    )
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    panels = {
        panel["title"]: [item["brief"].title for item in panel["items"]]
        for panel in response.context["panels"]
    }
    assert panels["My drafts"] == ["My own draft"]
    assert panels["Waiting for review"] == ["Waiting for a reviewer"]
    assert panels["Scheduled next"] == ["Out tomorrow"]
    assert "Out already" in panels["Recently published"]
    assert "Out tomorrow" not in panels["Recently published"]
    assert panels["Recently corrected"] == ["Fixed after publication"]


@pytest.mark.django_db
def test_dashboard_is_built_in_a_few_queries_whatever_the_number_of_briefs(
    client, editor, django_assert_max_num_queries
):
    for n in range(30):
        brief = BriefFactory(title=f"Draft {n}", status="review")
        CorrectionFactory(brief=BriefFactory(published=True))
        brief.authors.add(editor)
    client.force_login(editor)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:index"))
    assert all(len(p["items"]) <= 6 for p in response.context["panels"])


@pytest.mark.django_db
def test_search_finds_briefs_by_bullet_text_once(client, editor):
    brief = BriefFactory(title="Council meets")
    section = SectionFactory(brief=brief)
    BulletFactory(section=section, text="A drone strike on the harbour.")
    BulletFactory(section=section, text="Another drone strike nearby.")
    BriefFactory(title="Unrelated story")
    client.force_login(editor)
    response = client.get(reverse("admin:briefs_brief_changelist"), {"q": "drone"})
    assert list(response.context["cl"].result_list) == [brief]


@pytest.mark.django_db
def test_list_filters_by_status_topic_and_author(client, editor):
    topic = TopicFactory(name="Ceasefires", slug="ceasefires")
    wanted = BriefFactory(title="In review on ceasefires", status="review")
    wanted.topics.add(topic)
    wanted.authors.add(editor)
    BriefFactory(title="A draft", status="draft").topics.add(topic)
    client.force_login(editor)
    url = reverse("admin:briefs_brief_changelist")
    by_status = client.get(url, {"status__exact": "review"})
    by_topic = client.get(
        url, {"topics__id__exact": topic.pk, "status__exact": "review"}
    )
    by_author = client.get(url, {"authors__id__exact": editor.pk})
    for response in (by_status, by_topic, by_author):
        assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.django_db
def test_list_shows_authors_and_vote_counts_without_a_query_per_brief(
    client, editor, django_assert_max_num_queries
):
    for n in range(25):
        brief = BriefFactory(title=f"Brief {n}")
        brief.authors.add(editor)
        brief.votes.add(VoteFactory(), VoteFactory())
    client.force_login(editor)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("admin:briefs_brief_changelist"))
    assert response.context["cl"].result_list[0].vote_total == 2
    assert '<td class="field-author_names">editor</td>' in response.text

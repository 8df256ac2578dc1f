import pytest
from django.urls import reverse

from briefs.models import Vote
from tests.factories import (
    BriefFactory,
    BulletFactory,
    CorrectionFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    VoteFactory,
    security_council,
)

MODELS = ["brief", "source", "topic", "vote", "body", "correction"]


@pytest.fixture
def admin_client_with_content(client):
    client.force_login(UserFactory(username="boss", is_superuser=True))
    brief = BriefFactory(published=True, topics=[TopicFactory()])
    BulletFactory(section=SectionFactory(brief=brief), sources=[SourceFactory()])
    brief.votes.add(VoteFactory())
    CorrectionFactory(brief=brief)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_search_work_for_every_model(admin_client_with_content, model):
    url = reverse(f"admin:briefs_{model}_changelist")
    assert admin_client_with_content.get(url).status_code == 200
    assert admin_client_with_content.get(url, {"q": "council"}).status_code == 200


@pytest.mark.django_db
def test_scheduled_briefs_say_so_in_the_list(client):
    client.force_login(UserFactory(username="boss", is_superuser=True))
    from datetime import timedelta

    from django.utils import timezone

    BriefFactory(status="published", published_at=timezone.now() + timedelta(days=1))
    response = client.get(reverse("admin:briefs_brief_changelist"))
    assert "Scheduled for" in response.text


def vote_form(**counts):
    data = {
        "body": security_council().pk,
        "title": "Draft on a ceasefire",
        "symbol": "S/2026/1",
        "vote_on": "text",
        "required_share": "",
        "required_yes": "",
        "yes": 9,
        "no": 0,
        "abstain": 6,
        "not_voting": "",
        "outcome": "adopted",
        "positions-TOTAL_FORMS": 0,
        "positions-INITIAL_FORMS": 0,
        "positions-MIN_NUM_FORMS": 0,
        "positions-MAX_NUM_FORMS": 1000,
    }
    data.update(counts)
    return data


@pytest.mark.django_db
def test_vote_admin_explains_counts_beyond_the_seats(client):
    client.force_login(UserFactory(username="boss", is_superuser=True))
    response = client.post(
        reverse("admin:briefs_vote_add"), vote_form(yes=10, no=1, abstain=5)
    )
    assert response.status_code == 200
    assert "The Security Council has 15 seats" in response.text
    assert "add up to 16" in response.text
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_vote_admin_checks_positions_with_the_counts(client):
    client.force_login(UserFactory(username="boss", is_superuser=True))
    data = vote_form(**{"positions-TOTAL_FORMS": 1})
    data.update(
        {
            "positions-0-member_code": "USA",
            "positions-0-member_name": "United States",
            "positions-0-position": "no",
        }
    )
    response = client.post(reverse("admin:briefs_vote_add"), data)
    assert response.status_code == 200
    assert "more than this count of 0" in response.text
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_vote_admin_saves_a_valid_vote_with_positions(client):
    client.force_login(UserFactory(username="boss", is_superuser=True))
    data = vote_form(**{"positions-TOTAL_FORMS": 1})
    data.update(
        {
            "positions-0-member_code": "FRA",
            "positions-0-member_name": "France",
            "positions-0-position": "abstain",
        }
    )
    response = client.post(reverse("admin:briefs_vote_add"), data)
    assert response.status_code == 302
    assert Vote.objects.get().positions.get().member_code == "FRA"

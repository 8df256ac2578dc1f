"""Two editors updating the same brief at the same moment, on PostgreSQL.

Each request runs in its own thread with its own database connection, as two
app servers would; both start from the same ETag.
"""

import threading

import pytest
from django.db import connection, connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from briefs.api.viewsets import BriefViewSet
from briefs.models import Brief, Bullet
from tests import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite locks the whole database, so two writers "
    "never overlap; CI runs this file on PostgreSQL",
)


def sections_with(brief, extra_bullet):
    """Return the brief's sections as the API takes them, plus one bullet."""
    sections = [
        {
            "heading": section.heading,
            "bullets": [{"text": bullet.text} for bullet in section.bullets.all()],
        }
        for section in brief.sections.prefetch_related("bullets")
    ]
    sections[0]["bullets"].append({"text": extra_bullet})
    return sections


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_updates_with_if_match_give_one_success_and_one_412(
    monkeypatch,
):
    editor = factories.UserFactory(username="editor", editor=True)
    token = Token.objects.create(user=editor).key
    brief = factories.BriefFactory(title="Council renews the mission")
    section = factories.SectionFactory(brief=brief, heading="The decision")
    factories.BulletFactory(section=section, text="The mission runs a year.")
    etag = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get(
        f"/api/v1/briefs/{brief.slug}/"
    )["ETag"]
    payloads = [
        {"sections": sections_with(brief, "Added by the first editor.")},
        {"sections": sections_with(brief, "Added by the second editor.")},
    ]

    # Both requests pass the If-Match check before either saves, so that the
    # save itself must notice the other one.
    both_checked = threading.Barrier(2, timeout=10)
    check_if_match = BriefViewSet.check_if_match

    def check_then_wait(self, request, instance):
        check_if_match(self, request, instance)
        both_checked.wait()

    monkeypatch.setattr(BriefViewSet, "check_if_match", check_then_wait)
    start = threading.Barrier(2, timeout=10)
    answers = [None, None]

    def update(index):
        client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait()
            answers[index] = client.patch(
                f"/api/v1/briefs/{brief.slug}/",
                payloads[index],
                format="json",
                HTTP_IF_MATCH=etag,
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=update, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 412]
    winner = next(i for i, answer in enumerate(answers) if answer.status_code == 200)
    brief = Brief.objects.get(pk=brief.pk)
    texts = list(
        Bullet.objects.filter(section__brief=brief)
        .order_by("section__position", "position")
        .values_list("text", flat=True)
    )
    assert texts == [
        "The mission runs a year.",
        payloads[winner]["sections"][0]["bullets"][-1]["text"],
    ]
    assert brief.version == 2
    assert answers[winner]["ETag"].startswith('"2-')

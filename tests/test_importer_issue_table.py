"""The sentences of issue 22's table, each imported as the one bullet of a brief."""

import pytest

from briefs.services import brief_import

TABLE = [
    # sentence, (yes, no, abstain, not voting), outcome
    (
        "The city council approved the budget 7-2 with one abstention.",
        (7, 2, 1, None),
        "adopted",
    ),
    ("The bill passed 68-32 with two abstentions.", (68, 32, 2, None), "adopted"),
    ("The motion passed 5-4, with three abstentions.", (5, 4, 3, None), "adopted"),
    ("MPs rejected the deal by 432 votes to 202.", (202, 432, 0, None), "rejected"),
    (
        "The Security Council adopted resolution 2728 by 14 votes in favour to none "
        "against, with 1 abstention.",
        (14, 0, 1, None),
        "adopted",
    ),
    ("The Senate confirmed the nominee 52–47.", (52, 47, 0, None), "adopted"),
    (
        "The measure passed the House by a vote of 310 to 118.",
        (310, 118, 0, None),
        "adopted",
    ),
    (
        "The council voted eight to one to approve the plan.",
        (8, 1, 0, None),
        "adopted",
    ),
    (
        "In a 5-4 decision, the court struck down the rule.",
        (5, 4, 0, None),
        "adopted",
    ),
    (
        "The House passed the bill 220-207, with four members not voting.",
        (220, 207, 0, 4),
        "adopted",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("sentence", "counts", "outcome"), TABLE)
def test_each_sentence_of_the_issue_is_recorded_with_its_own_counts(
    client, sentence, counts, outcome
):
    text = (
        "A vote to check\nA summary long enough for the brief's checklist to pass.\n"
        f"The vote\n- {sentence}\n"
    )
    brief = brief_import(text=text, filename="table.txt", publish=True)

    data = client.get(f"/api/v1/briefs/{brief.slug}/").json()

    [vote] = data["votes"]
    assert (vote["yes"], vote["no"], vote["abstain"], vote["not_voting"]) == counts
    assert vote["outcome"] == outcome
    assert vote["title"] != "The decision"

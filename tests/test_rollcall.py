"""Roll calls: per-member positions from CSV, checked against the vote's counts."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from briefs.models import Body, VotePosition
from briefs.rollcall import RollCallError, parse_roll_call
from briefs.services import roll_call_import
from tests.factories import VoteFactory

UN_LIBRARY = (
    "ms_code,ms_name,ms_vote\n"
    "CHN,China,Y\nFRA,France,Y\nRUS,Russian Federation,N\nGBR,United Kingdom,A\n"
    "USA,United States,Y\n"
)


def council_vote():
    council = Body.objects.create(
        name="Riverton City Council", slug="riverton", seats=7
    )
    return VoteFactory(body=council, yes=4, no=2, abstain=1, not_voting=0)


def test_un_library_letters_are_read():
    rows = parse_roll_call(UN_LIBRARY, "un.csv")
    assert [(r.member_code, r.position) for r in rows][:4] == [
        ("CHN", "yes"),
        ("FRA", "yes"),
        ("RUS", "no"),
        ("GBR", "abstain"),
    ]


def test_an_unknown_position_names_the_line():
    with pytest.raises(RollCallError) as caught:
        parse_roll_call("member,position\nAna Ruiz,maybe\n", "c.csv")
    assert caught.value.line == 2 and "'maybe'" in caught.value.reason


def test_a_file_without_the_columns_is_refused_on_line_one():
    with pytest.raises(RollCallError) as caught:
        parse_roll_call("who,what\nA,Y\n", "c.csv")
    assert caught.value.line == 1


@pytest.mark.django_db
def test_member_names_without_codes_are_loaded():
    vote = council_vote()
    roll_call_import(
        vote=vote,
        data=(
            "member,position\nAna Ruiz,yes\nBo Chen,yes\nCara Diaz,aye\nDev Rao,for\n"
            "Eli Moss,no\nFay Lund,against\nGus Park,abstain\n"
        ),
    )
    codes = dict(vote.positions.values_list("member_name", "member_code"))
    assert codes["Ana Ruiz"] == "ANA-RUIZ"
    assert vote.positions.filter(position="yes").count() == 4


@pytest.mark.django_db
def test_a_roll_call_beyond_a_count_names_the_line_and_saves_nothing():
    vote = council_vote()
    VotePosition.objects.create(
        vote=vote, member_code="OLD", member_name="Old", position="yes"
    )
    with pytest.raises(RollCallError) as caught:
        roll_call_import(
            vote=vote,
            data="member,position\nA One,no\nB Two,no\nC Three,no\n",
            filename="c.csv",
        )
    assert caught.value.line == 4
    assert "vote counts 2" in caught.value.reason
    assert list(vote.positions.values_list("member_code", flat=True)) == ["OLD"]


@pytest.mark.django_db
def test_a_complete_roll_call_that_disagrees_is_refused():
    vote = council_vote()
    data = "member,position\n" + "".join(
        f"M{n} X,{p}\n" for n, p in enumerate("yyyynaa")
    )
    with pytest.raises(RollCallError) as caught:
        roll_call_import(vote=vote, data=data, filename="c.csv")
    assert "abstain" in caught.value.reason or "no" in caught.value.reason
    assert not vote.positions.exists()


@pytest.mark.django_db
def test_a_veto_holders_no_in_the_roll_call_must_agree_with_the_outcome():
    vote = VoteFactory(council=True, yes=13, no=1, abstain=1, outcome="adopted")
    data = "ms_code,ms_name,ms_vote\nUSA,United States,N\n"
    with pytest.raises(RollCallError) as caught:
        roll_call_import(vote=vote, data=data, filename="sc.csv")
    assert "vetoed, not adopted" in caught.value.reason


@pytest.mark.django_db
def test_the_command_loads_un_library_columns(tmp_path):
    vote = VoteFactory(council=True, yes=3, no=1, abstain=1, outcome="rejected")
    path = tmp_path / "sc.csv"
    path.write_text(
        UN_LIBRARY.replace("RUS,Russian Federation,N", "RUS,Russian Federation,N")
    )
    out = StringIO()
    call_command("import_roll_call", vote.pk, str(path), stdout=out)
    assert "5 positions recorded" in out.getvalue()
    assert vote.positions.get(member_code="RUS").position == "no"


@pytest.mark.django_db
def test_the_command_refuses_a_mismatch_with_file_and_line(tmp_path):
    vote = VoteFactory(council=True, yes=1, no=1, abstain=1, outcome="rejected")
    path = tmp_path / "sc.csv"
    path.write_text(UN_LIBRARY)
    with pytest.raises(CommandError) as caught:
        call_command("import_roll_call", vote.pk, str(path))
    assert f"{path}:3:" in str(caught.value)
    assert not vote.positions.exists()


@pytest.mark.django_db
def test_the_admin_upload_loads_a_roll_call(admin_client):
    vote = council_vote()
    url = reverse("admin:briefs_vote_rollcall", args=[vote.pk])
    assert (
        "Load a roll call"
        in admin_client.get(
            reverse("admin:briefs_vote_change", args=[vote.pk])
        ).content.decode()
    )
    upload = StringIO("member,position\nA One,no\nB Two,no\nC Three,no\n")
    upload.name = "council.csv"
    response = admin_client.post(url, {"file": upload})
    assert "Nothing was saved. Line 4" in response.content.decode()
    assert not vote.positions.exists()

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from briefs.models import Brief, Source, Vote

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"
EXAMPLE = FIXTURES / "assembly-split.txt"


def import_brief(*args):
    out, err = StringIO(), StringIO()
    call_command("import_brief", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def with_stray_bullet(tmp_path):
    lines = EXAMPLE.read_text().splitlines()
    bad = tmp_path / "stray.txt"
    bad.write_text("\n".join([lines[0], "- stray", *lines[1:]]))
    return bad


@pytest.mark.django_db
def test_import_brief_prints_one_slug_per_new_brief():
    out, _ = import_brief(EXAMPLE, FIXTURES / "crlf-bom.txt")
    slugs = out.split()
    assert slugs == list(Brief.objects.order_by("id").values_list("slug", flat=True))
    assert len(slugs) == 2
    assert Brief.objects.filter(status="draft").count() == 2


@pytest.mark.django_db
def test_import_brief_names_file_and_line_and_saves_nothing(tmp_path):
    bad = with_stray_bullet(tmp_path)
    with pytest.raises(CommandError) as caught:
        import_brief(EXAMPLE, bad)
    assert f"{bad}:2: a bullet point before any heading" in str(caught.value)
    assert caught.value.returncode == 1
    assert not Brief.objects.exists()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_import_brief_reports_every_malformed_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    bad = with_stray_bullet(tmp_path)
    with pytest.raises(CommandError) as caught:
        import_brief(empty, bad)
    assert f"{empty}:1:" in str(caught.value)
    assert f"{bad}:2:" in str(caught.value)


@pytest.mark.django_db
def test_import_brief_rolls_back_every_file_when_a_later_one_fails_to_save(tmp_path):
    council = tmp_path / "council.txt"
    council.write_text(
        "Title\nSummary.\nSecurity Council\n- It passed 12-3-1 in a vote.\n"
    )
    with pytest.raises(CommandError) as caught:
        import_brief(EXAMPLE, council)
    assert f"{council}:4:" in str(caught.value)
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_reimporting_the_same_title_gets_a_new_slug():
    first, _ = import_brief(EXAMPLE)
    second, _ = import_brief(EXAMPLE)
    assert second.strip() == first.strip() + "-2"
    assert Brief.objects.count() == 2


@pytest.mark.django_db
def test_skip_existing_refuses_a_known_title_clearly():
    import_brief(EXAMPLE)
    out, err = import_brief("--skip-existing", EXAMPLE)
    assert out == ""
    assert "already exists" in err
    assert Brief.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_saves_nothing():
    out, err = import_brief("--dry-run", EXAMPLE)
    assert out == ""
    assert "1 brief(s) would be imported" in err
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_publish_refuses_a_brief_that_fails_the_checklist(tmp_path):
    with pytest.raises(CommandError) as caught:
        import_brief("--publish", EXAMPLE)
    assert "cannot publish" in str(caught.value)
    assert "Alleged claims must cite a source" in str(caught.value)
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_publish_publishes_a_brief_that_passes_the_checklist(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(
        "Assembly adopts budget\n"
        "The General Assembly agreed its budget for the coming year after a "
        "long night of talks.\n"
        "The vote\n"
        "- The budget passed 150-2-10 in the General Assembly.\n"
    )
    out, _ = import_brief("--publish", good)
    brief = Brief.objects.get(slug=out.strip())
    assert brief.is_published


@pytest.mark.django_db
def test_an_unreadable_file_is_named(tmp_path):
    with pytest.raises(CommandError) as caught:
        import_brief(tmp_path / "missing.txt")
    assert "missing.txt: cannot read the file" in str(caught.value)


@pytest.mark.django_db
def test_a_brief_of_the_issue_s_shape_imports_with_both_votes():
    out, _ = import_brief(FIXTURES / "grain-corridor.txt")
    brief = Brief.objects.get(slug=out.strip())
    assert brief.status == "draft"
    assert [s.bullets.count() for s in brief.sections.all()] == [3, 2, 2, 2, 2, 2]
    attributions = {
        b.attribution for s in brief.sections.all() for b in s.bullets.all()
    }
    assert {"reported", "alleged"} <= attributions
    votes = brief.votes.order_by("body__slug")
    assert [(v.body.slug, v.yes, v.no, v.abstain, v.outcome) for v in votes] == [
        ("un-general-assembly", 93, 18, 65, "adopted"),
        ("un-security-council", 10, 0, 5, "adopted"),
    ]


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=StringIO())
    counts = (Brief.objects.count(), Vote.objects.count(), Source.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (
        Brief.objects.count(),
        Vote.objects.count(),
        Source.objects.count(),
    ) == counts
    assert Brief.objects.published().count() >= 3


@pytest.mark.django_db
def test_demo_votes_and_positions_pass_their_rules():
    call_command("load_demo", stdout=StringIO())
    for vote in Vote.objects.all():
        vote.full_clean()
    vetoed = Vote.objects.get(outcome="vetoed")
    assert vetoed.positions.count() == 15
    for brief in Brief.objects.all():
        assert brief.publish_problems() == []

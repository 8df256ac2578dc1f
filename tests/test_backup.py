"""export_content and import_content: a backup restores to equal content."""

import datetime
import gzip
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.utils import timezone

from briefs import services
from briefs.models import (
    Body,
    Brief,
    BriefRendering,
    BriefSlug,
    Profile,
    Source,
    Topic,
    Vote,
    Withdrawal,
)
from briefs.rendering import current_stamp, stale_brief_ids
from tests import factories
from tests.api.conftest import brief_with_content, full_positions
from tests.conftest import make_reference_data


def export(path):
    call_command("export_content", "--output", str(path), verbosity=0)
    return path


def import_(path, *args):
    call_command("import_content", str(path), *args, verbosity=0)


def empty_the_database():
    """Leave the database as a fresh `migrate` would, its reference rows renumbered."""
    Brief.objects.all().delete()
    Withdrawal.objects.all().delete()
    Vote.objects.all().delete()
    Source.objects.all().delete()
    Topic.objects.all().delete()
    User.objects.all().delete()
    Body.objects.all().delete()
    Group.objects.all().delete()
    make_reference_data()


def newsroom_content():
    """Make briefs in every state with all they can hold; return them by state."""
    editor = factories.UserFactory(
        username="editor", first_name="Ana", last_name="Lima", editor=True
    )
    writer = factories.UserFactory(username="writer", writer=True)
    Profile.objects.create(user=writer, byline="W. Okafor")
    topics = [factories.TopicFactory(), factories.TopicFactory()]
    sources = [
        factories.SourceFactory(published_on=datetime.date(2025, 2, 24)),
        factories.SourceFactory(accessed_on=datetime.date(2025, 3, 1)),
    ]
    assembly_vote = factories.VoteFactory()
    full_positions(assembly_vote, 93, 18, 65)
    council_vote = factories.VoteFactory(council=True)
    council = Body.objects.get(slug="un-security-council")
    factories.VotePositionFactory(
        vote=council_vote, member_code="FRA", member_name="France"
    )
    rights_council = Body.objects.create(
        name="UN Human Rights Council", slug="un-human-rights-council", seats=47
    )
    factories.VoteFactory(body=rights_council, yes=20, no=10, abstain=17)
    now = timezone.now()
    briefs = {
        "published": factories.BriefFactory(published=True),
        "draft": factories.BriefFactory(),
        "review": factories.BriefFactory(status="review"),
        "archived": factories.BriefFactory(
            status="archived", published_at=now - datetime.timedelta(days=3)
        ),
        "scheduled": factories.BriefFactory(
            status="published",
            published_at=now + datetime.timedelta(days=1, microseconds=7),
        ),
    }
    for brief in briefs.values():
        brief.authors.add(editor, writer)
        brief.topics.set(topics)
        brief.sources.add(sources[0])
        brief.votes.add(assembly_vote, council_vote)
        for position in (2, 1):
            section = factories.SectionFactory(brief=brief, position=position)
            for index in (1, 0):
                factories.BulletFactory(
                    section=section,
                    position=index,
                    attribution="reported",
                    sources=sources,
                )
    factories.CorrectionFactory(brief=briefs["published"])
    note = services.note_add(
        brief=briefs["draft"],
        author=writer,
        text="Check the second vote's date.",
        bullet=briefs["draft"].sections.first().bullets.first(),
    )
    services.note_resolve(note=note, user=editor)
    assert council.permanent_members.count() == 5
    return briefs


def state(brief):
    brief.refresh_from_db()
    return (
        brief.slug,
        brief.status,
        brief.published_at,
        brief.first_published_at,
        brief.last_updated_at,
        brief.created_at,
        brief.updated_at,
        brief.version,
        [s.heading for s in brief.sections.all()],
    )


@pytest.mark.django_db
def test_a_backup_restored_into_an_empty_database_exports_the_same_content(
    tmp_path,
):
    briefs = newsroom_content()
    before = {name: state(brief) for name, brief in briefs.items()}
    visible = set(Brief.objects.published().values_list("slug", flat=True))
    first = export(tmp_path / "first.jsonl")

    empty_the_database()
    import_(first)
    second = export(tmp_path / "second.jsonl")

    assert second.read_text() == first.read_text()
    assert {name: state(brief) for name, brief in briefs.items()} == before
    assert set(Brief.objects.published().values_list("slug", flat=True)) == visible
    assert Brief.objects.scheduled().get() == briefs["scheduled"]


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_restored_backup_has_every_brief_rendered(
    tmp_path, django_capture_on_commit_callbacks
):
    newsroom_content()
    path = export(tmp_path / "content.jsonl")
    empty_the_database()

    with django_capture_on_commit_callbacks(execute=True):
        import_(path)

    current = BriefRendering.objects.filter(rendered_with=current_stamp())
    assert current.count() == Brief.objects.count() == 5
    assert stale_brief_ids() == []


@pytest.mark.django_db
def test_the_export_holds_every_kind_of_content(tmp_path):
    newsroom_content()

    lines = export(tmp_path / "content.jsonl").read_text().splitlines()

    kinds = {json.loads(line)["model"] for line in lines}
    assert kinds == {
        "auth.group",
        "auth.user",
        "briefs.profile",
        "briefs.topic",
        "briefs.source",
        "briefs.body",
        "briefs.permanentmember",
        "briefs.vote",
        "briefs.voteposition",
        "briefs.brief",
        "briefs.section",
        "briefs.bullet",
        "briefs.correction",
        "briefs.editorialnote",
    }
    assert len(lines) == 3 + 2 + 1 + 2 + 2 + 3 + 5 + 3 + 194 + 5 + 10 + 20 + 1 + 1


@pytest.mark.django_db
def test_old_slugs_and_tombstones_survive_a_restore(tmp_path, editor):
    renamed = brief_with_content(votes=0, slug="first-name")
    services.brief_update(brief=renamed, fields={"slug": "second-name"})
    gone = factories.BriefFactory(published=True)
    services.brief_delete(brief=gone, user=editor)
    path = export(tmp_path / "content.jsonl")
    empty_the_database()

    import_(path)

    assert BriefSlug.objects.get().brief.slug == "second-name"
    assert Withdrawal.objects.get().uuid == gone.uuid


@pytest.mark.django_db
def test_the_export_names_accounts_and_bodies_and_holds_no_password(tmp_path):
    newsroom_content()

    text = export(tmp_path / "content.jsonl").read_text()

    users = [json.loads(line) for line in text.splitlines() if '"auth.user"' in line]
    assert [user["fields"]["username"] for user in users] == ["editor", "writer"]
    assert users[0]["fields"]["groups"] == [["Editors"]]
    assert "password" not in text
    assert "pbkdf2" not in text
    vote = next(json.loads(line) for line in text.splitlines() if "A/RES" in line)
    assert vote["fields"]["body"] == ["un-general-assembly"]


@pytest.mark.django_db
def test_reference_data_made_by_migrations_is_matched_not_duplicated(tmp_path):
    newsroom_content()
    path = export(tmp_path / "content.jsonl")
    empty_the_database()

    import_(path)

    assert sorted(Body.objects.values_list("slug", flat=True)) == [
        "un-general-assembly",
        "un-human-rights-council",
        "un-security-council",
    ]
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Editors",
        "Partners",
        "Writers",
    ]
    assert User.objects.get(username="editor").has_perm("briefs.publish_brief")


@pytest.mark.django_db
def test_imported_accounts_have_no_usable_password_and_present_ones_are_kept(
    tmp_path,
):
    newsroom_content()
    path = export(tmp_path / "content.jsonl")
    empty_the_database()
    local = User.objects.create_user("editor", password="local secret")

    import_(path)

    local.refresh_from_db()
    assert local.check_password("local secret")
    assert not User.objects.get(username="writer").has_usable_password()
    assert Brief.objects.filter(authors=local).count() == 5


@pytest.mark.django_db
def test_new_content_after_an_import_gets_new_ids(tmp_path):
    briefs = newsroom_content()
    path = export(tmp_path / "content.jsonl")
    empty_the_database()
    import_(path)

    brief = factories.BriefFactory()
    vote = factories.VoteFactory()

    assert brief.pk > max(b.pk for b in briefs.values())
    assert Vote.objects.filter(pk=vote.pk).count() == 1


@pytest.mark.django_db
def test_a_compressed_backup_restores_too(tmp_path):
    newsroom_content()
    path = export(tmp_path / "content.jsonl.gz")
    empty_the_database()

    import_(path)

    assert Brief.objects.count() == 5


@pytest.mark.django_db
def test_import_refuses_a_database_that_has_content(tmp_path):
    newsroom_content()
    path = export(tmp_path / "content.jsonl")

    with pytest.raises(CommandError, match="already has content"):
        import_(path)

    assert Brief.objects.count() == 5


@pytest.mark.django_db
def test_import_with_force_overwrites_objects_with_the_same_ids(tmp_path):
    brief = newsroom_content()["draft"]
    path = export(tmp_path / "content.jsonl")
    Brief.objects.filter(pk=brief.pk).update(title="Changed since the backup")

    import_(path, "--force")

    assert Brief.objects.get(pk=brief.pk).title != "Changed since the backup"
    assert Brief.objects.count() == 5


def topic_again(lines):
    """Return a topic with the name of the file's first topic, under a new id."""
    topic = json.loads(next(line for line in lines if '"briefs.topic"' in line))
    return json.dumps({**topic, "pk": 999})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("replace", "reason"),
    [
        (lambda lines: lines[19][:40], "line 20: not JSON"),
        (
            lambda lines: '{"model": "authtoken.token", "pk": "x", "fields": {}}',
            "line 20: 'authtoken.token' is not content",
        ),
        (topic_again, "line 20: cannot save this briefs.topic"),
        (
            lambda lines: '{"model": "briefs.topic", "pk": "one", "fields": {}}',
            "line 20: .*one",
        ),
    ],
)
def test_a_malformed_file_names_the_line_and_imports_nothing(tmp_path, replace, reason):
    newsroom_content()
    path = export(tmp_path / "content.jsonl")
    empty_the_database()
    lines = path.read_text().splitlines()
    lines[19] = replace(lines)
    path.write_text("\n".join(lines))

    with pytest.raises(CommandError, match=reason) as caught:
        import_(path)

    assert "Nothing was imported" in str(caught.value)
    assert not Brief.objects.exists()
    assert not Source.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_file_missing_what_its_briefs_cite_imports_nothing(tmp_path):
    newsroom_content()
    path = export(tmp_path / "content.jsonl")
    empty_the_database()
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line for line in lines if "briefs.source" not in line))

    with pytest.raises(CommandError, match="refers to objects it does not hold"):
        import_(path)

    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_checks_the_file_and_saves_nothing(tmp_path, capsys):
    newsroom_content()
    path = export(tmp_path / "content.jsonl")
    empty_the_database()

    call_command("import_content", str(path), "--dry-run")

    assert "would be imported" in capsys.readouterr().err
    assert not Brief.objects.exists()


@pytest.mark.django_db
def test_export_content_draws_a_progress_bar_up_to_every_object(tmp_path):
    newsroom_content()
    path, err = tmp_path / "content.jsonl", StringIO()

    call_command("export_content", "--output", str(path), stderr=err)

    objects = len(path.read_text().splitlines())
    assert f"{objects}/{objects} objects" in err.getvalue()


@pytest.mark.django_db
def test_import_content_draws_a_progress_bar_up_to_the_last_line(tmp_path):
    newsroom_content()
    path = export(tmp_path / "content.jsonl.gz")
    empty_the_database()
    err = StringIO()

    call_command("import_content", str(path), stderr=err)

    lines = len(gzip.decompress(path.read_bytes()).splitlines())
    assert f"\r[{'#' * 30}] {lines}/{lines} lines" in err.getvalue()


@pytest.mark.django_db
def test_an_empty_file_imports_nothing_and_says_so(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    err = StringIO()

    call_command("import_content", str(path), stderr=err)

    assert "Imported 0 objects" in err.getvalue()

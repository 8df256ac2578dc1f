"""Pages render before `collectstatic` has run, and say so once it has."""

from io import StringIO

import pytest
from django.core.checks import Tags, run_checks
from django.core.management import call_command

from briefs.models import Brief, BriefRendering
from briefs.rendering import current_stamp


@pytest.fixture
def nothing_collected(settings, tmp_path):
    """Point STATIC_ROOT at an empty directory, as on a fresh deploy."""
    settings.STATIC_ROOT = tmp_path


@pytest.mark.django_db
def test_generate_briefs_renders_before_static_files_are_collected(
    nothing_collected,
):
    call_command(
        "generate_briefs", count=2, processes=0, stdout=StringIO(), verbosity=0
    )

    pages = BriefRendering.objects.values_list("page", flat=True)
    assert len(pages) == 2
    assert all('href="/static/css/site.css"' in page for page in pages)


@pytest.mark.django_db
def test_a_brief_page_answers_before_static_files_are_collected(
    nothing_collected, client
):
    call_command("load_demo", stdout=StringIO())
    brief = Brief.objects.published().first()

    response = client.get(brief.get_absolute_url())

    assert response.status_code == 200
    assert 'href="/static/css/print.css"' in response.text


def test_renderings_made_before_collectstatic_are_not_served_after_it(settings):
    collected = current_stamp()
    settings.STATIC_ROOT = settings.BASE_DIR / "no-such-directory"

    assert current_stamp() != collected


def deploy_warnings():
    # The static files' checks only: model checks may ask the database.
    checks = run_checks(include_deployment_checks=True, tags=[Tags.staticfiles])
    return [m.id for m in checks]


def test_the_deploy_check_warns_while_nothing_is_collected(nothing_collected):
    assert "newsroom.W001" in deploy_warnings()


def test_the_deploy_check_is_quiet_once_static_files_are_collected():
    assert "newsroom.W001" not in deploy_warnings()

import pytest

from tests.factories import BriefFactory, BulletFactory, SectionFactory


@pytest.mark.django_db(transaction=True)
def test_home_and_brief_page_render_in_chromium(page, artifacts):
    brief = BriefFactory(published=True, title="Assembly backs ceasefire call")
    BulletFactory(section=SectionFactory(brief=brief), text="The vote was wide.")
    page.goto("/")
    page.get_by_role("link", name="Assembly backs ceasefire call").click()
    page.wait_for_url(f"**{brief.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == brief.title
    page.screenshot(path=artifacts / "smoke-brief.png", full_page=True)
    assert page.console_errors == []

import pytest


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_offline_from_the_projects_own_assets(
    page, live_server, artifacts
):
    outside = []

    def only_this_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto("/api/docs/")
    page.locator(".opblock-tag", has_text="briefs").first.wait_for()

    assert page.locator(".opblock-summary-path", has_text="/api/v1/briefs/").count()
    page.screenshot(path=artifacts / "api-docs.png", full_page=False)
    assert outside == []
    assert page.console_errors == []

"""Real headless Chromium (Debian's package) driven by Playwright.

Where `/usr/bin/chromium` (or `$CHROMIUM`) is missing these tests skip with the
reason, and so do the accessibility checks where axe-core is missing (`make test`
installs it with npm where Chromium and npm are both there). Under
REQUIRE_BROWSER=1 (set by .ci/run) either one missing fails the run instead.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls that
# the tests make to set up data are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def skip_or_fail(reason):
    """Skip for want of `reason`, or fail where CI requires the browser tests."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail(
            f"Debian's chromium is not installed at {CHROMIUM} "
            "(apt-get install chromium); browser tests cannot run"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """Serve the site as production does: static files through WhiteNoise.

    The test database exists before the server starts, whichever test asks
    for the server first, so every run serves the same database.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    # Without Django's finder-based static handler in front, WhiteNoise serves
    # the collected, hashed files.
    server.thread.static_handler = lambda application: application
    server.start()
    request.addfinalizer(server.stop)
    return server


@pytest.fixture(scope="session")
def axe():
    """Return axe-core's script, which the accessibility checks run in pages."""
    if not AXE.exists():
        skip_or_fail(
            f"axe-core is not installed at {AXE.relative_to(ROOT)} (install npm, "
            "e.g. apt-get install npm, and `make test` runs npm ci)"
        )
    return AXE.read_text()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(browser, live_server):
    """Return a page on the live server that records console errors."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error" and page.console_errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.console_errors.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    context.close()

"""The documentation site (docs/) stays true to the code.

Every setting read from the environment is in the configuration table, every
picture a page shows exists and is made by a browser test, and the examples
that can run (the webhook signature checks) do, on deliveries the project's own
code signs.
"""

import base64
import json
import re
import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefs.demo import load_demo
from briefs.models import Brief, WebhookEvent
from briefs.webhooks import payload, signed_request
from tests.browser.test_doc_screenshots import PICTURES
from tests.factories import BriefFactory, WebhookSubscriptionFactory
from tests.pyproject import project_version

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# env("NAME", ...), env.int("NAME", ...), env.list(\n    "NAME", ...) and so on.
ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
# ![alt](path) in Markdown.
PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def environment_names():
    return set(ENV_READ.findall((ROOT / "newsroom" / "settings.py").read_text()))


def documented_names():
    """Return the names in the first column of the configuration table."""
    page = (DOCS / "operators" / "configuration.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    return {
        name
        for row in rows
        for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])
    }


def pictures_shown():
    """Return {picture file under docs/: [pages showing it]}."""
    shown = {}
    for page in DOCS.rglob("*.md"):
        for target in PICTURE.findall(page.read_text()):
            path = (page.parent / target).resolve().relative_to(DOCS.resolve())
            shown.setdefault(path.as_posix(), []).append(
                page.relative_to(DOCS).as_posix()
            )
    return shown


def code_block(page, title):
    """Return the code of the fenced block titled `title` on docs page `page`."""
    text = (DOCS / page).read_text()
    match = re.search(
        rf'^```\w+ title="{re.escape(title)}"\n(.*?)^```$', text, re.S | re.M
    )
    assert match, f"{page} has no code block titled {title}"
    return match.group(1)


def test_the_settings_read_the_environment():
    # A change in how settings.py reads it must not blind the test below.
    assert {"SECRET_KEY", "DATABASE_URL", "LOG_LEVEL"} <= environment_names()


def test_every_environment_setting_is_in_the_configuration_table():
    assert environment_names() - documented_names() == set()


def test_every_picture_a_page_shows_is_in_docs_images():
    missing = {
        picture: pages
        for picture, pages in pictures_shown().items()
        if not (DOCS / picture).is_file()
    }
    assert missing == {}


def test_every_picture_a_page_shows_is_made_by_a_browser_test():
    shown = {Path(picture).name for picture in pictures_shown()}
    assert shown - set(PICTURES) == set()
    assert len(shown) >= 6


def test_every_picture_in_docs_images_is_made_by_a_browser_test():
    stored = {path.name for path in (DOCS / "images").iterdir()}
    assert stored == set(PICTURES)


def test_the_readme_is_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 150


def test_the_changelog_has_an_entry_for_the_release():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    releases = re.findall(r"^## \[([^\]]+)\]", changelog, re.M)
    assert releases[0] == project_version()


@pytest.fixture
def delivery(db):
    """Return (secret, body, headers) of a delivery the project signed."""
    subscription = WebhookSubscriptionFactory()
    brief = BriefFactory(published=True)
    body = json.dumps(payload(WebhookEvent.PUBLISHED, brief)).encode()
    headers = signed_request(
        subscription, SimpleNamespace(message_id="msg_docs_example"), body
    )
    return subscription.secret, body, headers


def python_verify():
    namespace = {}
    exec(code_block("partners/webhooks.md", "verify_webhook.py"), namespace)
    return namespace["verify"]


def test_the_python_signature_check_accepts_a_signed_delivery(delivery):
    secret, body, headers = delivery
    assert python_verify()(secret, body, headers)["type"] == "brief.published"


def test_the_python_signature_check_refuses_a_changed_body(delivery):
    secret, body, headers = delivery
    with pytest.raises(ValueError, match="no valid signature"):
        python_verify()(secret, body.replace(b"published", b"withdrawn"), headers)


def test_the_python_signature_check_refuses_an_old_delivery(delivery):
    secret, body, headers = delivery
    old = {**headers, "webhook-timestamp": str(int(time.time()) - 3600)}
    with pytest.raises(ValueError, match="timestamp"):
        python_verify()(secret, body, old)


# A curl command of the docs that reads the API anonymously: no header sent,
# no method other than GET, no placeholder left to fill in.
ANONYMOUS_CURL = re.compile(r"^curl -sI? '?(http://127\.0\.0\.1:8000/[^'\s]+)'?", re.M)


def anonymous_curl_examples():
    return [
        (page.relative_to(DOCS).as_posix(), url)
        for page in sorted(DOCS.rglob("*.md"))
        for url in ANONYMOUS_CURL.findall(page.read_text())
    ]


def test_the_docs_have_curl_examples_to_run():
    assert len(anonymous_curl_examples()) >= 6


@pytest.mark.django_db(transaction=True)
def test_the_docs_curl_examples_answer_200_on_a_live_server(live_server):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed (apt-get install curl)")
    load_demo()
    slug = Brief.objects.published().values_list("slug", flat=True).first()
    answers = {}
    for page, url in anonymous_curl_examples():
        url = url.replace("http://127.0.0.1:8000", live_server.url)
        url = url.replace("SLUG", slug)
        result = subprocess.run(
            [curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", url],
            capture_output=True,
            text=True,
            timeout=30,
        )
        answers[f"{page}: {url}"] = result.stdout
    assert {where: code for where, code in answers.items() if code != "200"} == {}


# Reads {"secret", "body" (base64), "headers"} on stdin, prints the event or
# the error the docs' verify() threw.
NODE_DRIVER = """
import { verify } from "./verify-webhook.mjs";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, body, headers } = JSON.parse(input);
try {
  console.log(JSON.stringify(verify(secret, Buffer.from(body, "base64"), headers)));
} catch (error) {
  console.log(JSON.stringify({ refused: error.message }));
}
"""


def node_verify(tmp_path, secret, body, headers):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (apt-get install nodejs)")
    (tmp_path / "verify-webhook.mjs").write_text(
        code_block("partners/webhooks.md", "verify-webhook.mjs")
    )
    (tmp_path / "driver.mjs").write_text(NODE_DRIVER)
    result = subprocess.run(
        [node, "driver.mjs"],
        cwd=tmp_path,
        input=json.dumps(
            {
                "secret": secret,
                "body": base64.b64encode(body).decode(),
                "headers": headers,
            }
        ),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_javascript_signature_check_accepts_a_signed_delivery(delivery, tmp_path):
    secret, body, headers = delivery
    assert node_verify(tmp_path, secret, body, headers)["type"] == "brief.published"


def test_the_javascript_signature_check_refuses_a_changed_body(delivery, tmp_path):
    secret, body, headers = delivery
    changed = body.replace(b"published", b"withdrawn")
    answer = node_verify(tmp_path, secret, changed, headers)
    assert answer == {"refused": "no valid signature"}


def test_the_javascript_signature_check_refuses_an_old_delivery(delivery, tmp_path):
    secret, body, headers = delivery
    old = {**headers, "webhook-timestamp": str(int(time.time()) - 3600)}
    answer = node_verify(tmp_path, secret, body, old)
    assert answer["refused"].startswith("timestamp")

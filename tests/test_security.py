"""Security headers, the Content-Security-Policy, sign-in lockout, the admin path.

That the production configuration passes `check --deploy` with no warning is
tested in tests/test_settings.py.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import BriefFactory, UserFactory
from tests.test_settings import ROOT, run_manage

TEMPLATES = ROOT / "templates"


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return dict((part.split(" ", 1) + [""])[:2] for part in policy.split("; ") if part)


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    directives = csp_directives(client.get(reverse("briefs:brief-list")))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in " ".join(directives.values())


@pytest.mark.django_db
def test_public_pages_never_use_the_nonce(client):
    # The page cache replays bodies under fresh headers, where a nonce would
    # no longer match.
    brief = BriefFactory(published=True)
    for url in (reverse("briefs:brief-list"), brief.get_absolute_url()):
        response = client.get(url)
        assert "nonce" not in response["Content-Security-Policy"], url
        assert "nonce=" not in response.text, url


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["brief", "source", "topic", "vote"])
def test_admin_inline_blocks_carry_the_nonce_of_the_policy(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse(f"admin:briefs_{model}_changelist"))

    nonces = set(re.findall(r'nonce="([^"]+)"', response.text))
    policy = response["Content-Security-Policy"]
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in policy
    assert not re.findall(
        r"<(?:script|style)(?![^>]*\b(?:src|nonce)=)[^>]*>", response.text
    )


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_keeps_its_policy(client):
    brief = BriefFactory(published=True)
    client.get(brief.get_absolute_url())

    again = client.get(brief.get_absolute_url())

    assert again["X-Page-Cache"] == "hit"
    assert "default-src 'self'" in again["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_send_the_other_security_headers(client):
    response = client.get(reverse("briefs:brief-list"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = response["Permissions-Policy"].split(", ")
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(features)


@pytest.mark.django_db
def test_https_answers_carry_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get(reverse("briefs:brief-list"), secure=True)

    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )


def inline_code(text):
    """Return inline scripts, styles and event handlers in template `text`."""
    return (
        re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        + re.findall(r"<style\b", text)
        + re.findall(r"\sstyle=", text)
        + re.findall(r"\son[a-z]+=", text)
    )


def template_files():
    """Return every template of both engines (Jinja2's are in templates/jinja2/)."""
    directories = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    return sorted(
        {str(p.relative_to(TEMPLATES)) for d in directories for p in d.rglob("*.html")}
    )


def test_jinja2_templates_are_among_those_checked():
    assert "jinja2/briefs/brief_detail.html" in template_files()


@pytest.mark.parametrize("template", template_files())
def test_templates_have_no_inline_script_or_style(template):
    assert inline_code((TEMPLATES / template).read_text()) == []


@pytest.mark.django_db
def test_brief_page_scripts_are_only_its_json_ld_data(client):
    brief = BriefFactory(published=True)

    page = client.get(brief.get_absolute_url()).text

    # Data blocks are never executed, so script-src does not apply to them.
    assert re.findall(r"<script[^>]*>", page) == ['<script type="application/ld+json">']


# Sign-in lockout (django-axes) -----------------------------------------------


def sign_in(client, password):
    return client.post(
        reverse("admin:login"),
        {"username": "chief", "password": password, "next": "/admin/"},
    )


@pytest.fixture
def chief(db):
    user = UserFactory(username="chief", is_staff=True, is_superuser=True)
    user.set_password("the-right-password")
    user.save()
    return user


def test_admin_sign_in_locks_after_the_failure_limit(client, chief, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200

    locked = sign_in(client, "wrong")
    right_password_too = sign_in(client, "the-right-password")

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    assert right_password_too.status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_sign_in_clears_earlier_failures(client, chief, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "the-right-password").status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200


def test_sign_in_lockout_counts_the_address_the_trusted_proxy_saw(
    client, chief, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    behind_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "chief", "password": "wrong", "next": "/admin/"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
            **behind_proxy,
        )

    other_reader = client.post(
        reverse("admin:login"),
        {"username": "chief", "password": "the-right-password", "next": "/admin/"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **behind_proxy,
    )

    assert other_reader.status_code == 302


# The admin's path ------------------------------------------------------------


def test_admin_path_comes_from_the_environment():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.urls import reverse; from briefs import cache;"
        "print(reverse('admin:index'), cache.EXCLUDED_PREFIXES[0])",
        SECRET_KEY="x",
        ADMIN_URL="newsdesk",
    )

    assert result.stdout.split() == ["/newsdesk/", "/newsdesk/"], result.stderr


@pytest.mark.django_db
def test_robots_txt_keeps_a_custom_admin_path_to_itself(client, settings):
    settings.ADMIN_URL = "newsdesk/"

    assert "newsdesk" not in client.get("/robots.txt").text


@pytest.mark.django_db
def test_sign_in_page_over_http_says_how_to_sign_in_when_cookies_are_secure(
    client, settings
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True

    page = client.get(reverse("admin:login")).text

    assert "SECURE_COOKIES=0" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("secure_cookies", "https"), [(True, True), (False, False)])
def test_sign_in_page_says_nothing_of_cookies_when_signing_in_works(
    client, settings, secure_cookies, https
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = secure_cookies

    page = client.get(reverse("admin:login"), secure=https).text

    assert "SECURE_COOKIES" not in page

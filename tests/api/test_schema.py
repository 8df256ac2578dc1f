import re
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from briefs import services
from briefs.services import draft_save
from newsroom.wsgi import application
from tests import factories
from tests.api.conftest import brief_with_content
from tests.pyproject import project_version

SCHEMA = "/api/schema/"


def openapi(api):
    return api.get(SCHEMA, {"format": "json"}).json()


@pytest.mark.django_db
def test_schema_is_a_valid_openapi_3_document(api):
    schema = openapi(api)

    validate(schema)
    assert schema["openapi"].startswith("3.")


@pytest.mark.django_db
def test_schema_reports_the_release_in_pyproject(api):
    assert openapi(api)["info"]["version"] == project_version()


@pytest.mark.django_db
def test_schema_documents_every_filter_and_errors(api):
    paths = openapi(api)["paths"]

    brief_list = paths["/api/v1/briefs/"]["get"]
    names = {p["name"] for p in brief_list["parameters"]}
    assert {
        "topic",
        "published_after",
        "published_before",
        "updated_after",
        "search",
        "ordering",
        "cursor",
        "page_size",
    } <= names
    vote_list = paths["/api/v1/votes/"]["get"]
    assert {"body", "outcome", "date_after", "date_before", "member", "position"} <= {
        p["name"] for p in vote_list["parameters"]
    }
    assert "text/csv" in vote_list["responses"]["200"]["content"]
    assert {"400", "401", "414", "429"} <= set(brief_list["responses"])
    brief_patch = paths["/api/v1/briefs/{slug}/"]["patch"]
    assert {"400", "401", "403", "404", "412"} <= set(brief_patch["responses"])
    assert "304" in paths["/api/v1/briefs/{slug}/"]["get"]["responses"]


@pytest.mark.django_db
def test_schema_says_writes_take_no_other_fields(api):
    schemas = openapi(api)["components"]["schemas"]

    for name in ("BriefWriteRequest", "PatchedBriefWriteRequest", "BulletWriteRequest"):
        assert schemas[name]["additionalProperties"] is False, name


@pytest.mark.django_db
def test_schema_links_a_created_brief_to_its_workflow_actions(api):
    paths = openapi(api)["paths"]

    links = paths["/api/v1/briefs/"]["post"]["responses"]["201"]["links"]

    assert links["Publish"] == {
        "operationId": "briefs_publish_create",
        "parameters": {"slug": "$response.body#/slug"},
    }
    assert {"Change", "Submit", "Archive", "Unpublish", "Delete"} <= set(links)


@pytest.mark.django_db
def test_docs_page_loads_its_assets_from_the_project(api):
    page = api.get("/api/docs/").content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets
    # Swagger UI's start-up script comes from the page itself (no inline script).
    assets.remove("/api/docs/?script=")
    for asset in assets:
        assert asset.startswith("/static/"), asset
        collected = Path(django_settings.STATIC_ROOT) / asset.removeprefix("/static/")
        assert collected.exists(), asset


@pytest.mark.django_db
def test_docs_page_has_no_inline_script_or_style(api):
    page = api.get("/api/docs/").content.decode()

    assert "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    script = api.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    response_headers_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def wsgi_app():
    """Return the project's WSGI app, keeping the test's database connection open.

    Outside Django's test client each request ends by closing old connections,
    which would end the test's transaction on PostgreSQL.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


STAFF_ONLY_READS = {"/api/v1/briefs/{slug}/draft/"}


def existing_objects():
    """Make a published brief with all its content, and a draft; return their keys.

    Random keys mostly miss, so most generated cases aim at these instead.
    """
    brief = brief_with_content(sections=2, bullets=2, votes=1)
    # A writer's edit waiting for an editor, so that draft/ has one to show.
    draft_save(
        brief=brief,
        user=factories.UserFactory(username="fuzz-writer", writer=True),
        fields={"title": "A retitled draft of the published brief"},
    )
    draft = factories.BriefFactory(title="A draft nobody outside may see")
    factories.BulletFactory(section=factories.SectionFactory(brief=draft))
    note = services.note_add(
        brief=brief,
        author=factories.UserFactory(username="notetaker", editor=True),
        text="A note for the newsroom",
    )
    subscription = factories.WebhookSubscriptionFactory()
    return {
        "webhooks": [subscription.pk],
        "changes": [],  # a list with no key of its own
        "briefs": [brief.slug, draft.slug],
        "notes": [note.pk],
        "votes": [brief.votes.get().pk],
        "sources": [brief.sources.get().pk],
        "topics": [brief.topics.get().slug],
        "bodies": [brief.votes.get().body.slug],
    }


def aimed_parameters(path, aim, keys):
    """Return `path`'s parameters aimed at existing objects: the first at `aim`,
    a nested one (a brief's note) at the first object of its collection."""
    parts = path.strip("/").split("/")
    chosen = {}
    for before, part in zip(parts, parts[1:], strict=False):
        if part.startswith("{"):
            chosen[part[1:-1]] = keys[before][0] if chosen else aim
    return chosen


def fuzz(operation, keys, *, examples, headers=None, mode=GenerationMode.POSITIVE):
    """Call `operation` with generated cases and check every answer; return how
    many were sent.

    Each case runs in a transaction rolled back afterwards, so a DELETE or a
    publish leaves the next case the same objects to aim at.
    """
    sent = 0
    collection = operation.path.split("/")[3]

    @given(
        case=operation.as_strategy(generation_mode=mode),
        aim=st.sampled_from([*keys[collection], None]),
        keep_if_match=st.booleans(),
    )
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def generated(case, aim, keep_if_match):
        nonlocal sent
        if aim is not None and case.path_parameters:
            case.path_parameters = aimed_parameters(operation.path, aim, keys)
            if not keep_if_match and case.headers:
                # A random ETag is refused with 412 before the body is read.
                case.headers.pop("If-Match", None)
        with transaction.atomic():
            response = case.call(headers=headers)
            sent += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
            transaction.set_rollback(True)

    generated()
    return sent


def api_operations(app):
    schema = schemathesis.openapi.from_wsgi(f"{SCHEMA}?format=json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
@pytest.mark.django_db
def test_schemathesis_reads_by_anyone_get_no_server_errors_or_schema_violations(
    wsgi_app, settings
):
    settings.API_ANON_THROTTLE_RATE = "100000/min"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    keys = existing_objects()
    operations = [o for o in api_operations(wsgi_app) if o.method.upper() == "GET"]
    assert len(operations) >= 9

    sent = sum(fuzz(operation, keys, examples=25) for operation in operations)

    assert sent >= 200
    # The published objects answer with themselves, not just with errors.
    for operation in operations:
        # Editorial notes answer staff only (anyone else: 404, as documented).
        if not operation.path_parameters or "/notes/" in operation.path:
            continue
        collection = operation.path.split("/")[3]
        # Webhook subscriptions are their owners' alone.
        if not operation.path_parameters or collection == "webhooks":
            continue
        name = operation.path_parameters[0].name
        case = operation.Case(path_parameters={name: keys[collection][0]})
        response = case.call()
        # A live brief's pending draft is for staff only.
        expected = 401 if operation.path in STAFF_ONLY_READS else 200
        assert response.status_code == expected, operation.path
        case.validate_response(response, checks=CHECKS)


@pytest.mark.slow
@pytest.mark.django_db
def test_schemathesis_calls_by_an_editor_get_no_server_errors_or_schema_violations(
    wsgi_app, settings, editor
):
    settings.API_USER_THROTTLE_RATE = "100000/min"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Generated subscription URLs name made-up hosts: no DNS lookups.
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    keys = existing_objects()
    headers = editor_headers(editor)
    operations = api_operations(wsgi_app)
    assert len(operations) >= 29

    sent = sum(
        fuzz(operation, keys, examples=20, headers=headers) for operation in operations
    )

    assert sent >= 500


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def editor_headers(editor):
    """Return the editor's token header; the editor may manage every webhook
    subscription too, so that fuzzing reaches past the permission check."""
    editor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["manage_webhook", "view_webhooksubscription"]
        )
    )
    return {"Authorization": f"Token {Token.objects.create(user=editor).key}"}


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_writes_of_any_shape_get_no_server_errors_or_schema_violations(
    wsgi_app, settings, editor, api_fuzz_examples, mode
):
    """Every write operation, with bodies, parameters and headers that fit the
    schema (positive) or break it (negative): a 2xx or a documented 4xx."""
    settings.API_USER_THROTTLE_RATE = "100000/min"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Generated subscription URLs name made-up hosts: no DNS lookups.
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    keys = existing_objects()
    headers = editor_headers(editor)
    operations = [o for o in api_operations(wsgi_app) if o.method.upper() in WRITES]
    assert len(operations) >= 20

    sent = sum(
        fuzz(operation, keys, examples=api_fuzz_examples, headers=headers, mode=mode)
        for operation in operations
    )

    print(f"{mode}: {sent} cases over {len(operations)} write operations")
    assert sent >= len(operations) * min(api_fuzz_examples, 5)


@pytest.mark.slow
@pytest.mark.django_db
def test_schemathesis_chains_of_linked_writes_get_no_server_errors(
    wsgi_app, settings, editor, api_fuzz_examples
):
    """Follow the schema's links: create a brief (or vote, source, topic), then
    change, submit, publish, archive or delete what the answer names."""
    settings.API_USER_THROTTLE_RATE = "100000/min"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Generated subscription URLs name made-up hosts: no DNS lookups.
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    existing_objects()
    headers = editor_headers(editor)
    # Webhook subscriptions have no links to follow (the other fuzzing tests
    # cover them); as starting points they would only crowd out the chains.
    schema = schemathesis.openapi.from_wsgi(f"{SCHEMA}?format=json", wsgi_app).exclude(
        path_regex="/webhooks/"
    )
    calls, links = [], set()

    class EditorWrites(schema.as_state_machine()):
        # Each scenario starts from the same objects, or Hypothesis could not
        # replay one.
        def setup(self):
            self.savepoint = transaction.savepoint_create()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def step(self, input):
            calls.append(input.case.operation.label)
            if input.transition is not None and input.is_applied:
                links.add((input.transition.id, input.case.operation.label))
            return super().step(input)

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    EditorWrites.run(
        settings=hypothesis_settings(
            # Fewer scenarios follow a PATCH link only by luck of the schema's
            # shape: any new operation or response changes the walk.
            max_examples=max(api_fuzz_examples, 10),
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )

    print(
        f"stateful: {len(calls)} calls over {len(set(calls))} operations, "
        f"{len(links)} links followed"
    )
    print(sorted(links))
    assert any(target.startswith("PATCH") for _, target in links), links


# CORS and rate limits ------------------------------------------------------


@pytest.mark.django_db
def test_cors_allows_reads_from_listed_origins_only(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example"]

    allowed = api.get("/api/v1/briefs/", HTTP_ORIGIN="https://partner.example")
    other = api.get("/api/v1/briefs/", HTTP_ORIGIN="https://elsewhere.example")
    site = api.get("/", HTTP_ORIGIN="https://partner.example")

    assert allowed["Access-Control-Allow-Origin"] == "https://partner.example"
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Origin" not in site


@pytest.mark.django_db
def test_cors_preflight_allows_no_writes(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://partner.example"]

    response = api.options(
        "/api/v1/briefs/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    allowed = response["Access-Control-Allow-Methods"]
    assert "GET" in allowed
    assert "POST" not in allowed


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_at_the_configured_rate(api, settings):
    settings.API_ANON_THROTTLE_RATE = "2/min"

    statuses = [api.get("/api/v1/topics/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_a_rate_of_off_switches_the_limit_off(api, settings):
    settings.API_ANON_THROTTLE_RATE = "off"

    statuses = {api.get("/api/v1/topics/").status_code for _ in range(5)}

    assert statuses == {200}


@pytest.mark.django_db
def test_signed_in_clients_have_their_own_rate(writer_api, settings):
    settings.API_ANON_THROTTLE_RATE = "1/min"
    settings.API_USER_THROTTLE_RATE = "3/min"

    statuses = [writer_api.get("/api/v1/topics/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_anonymous_clients_are_not_held_to_the_signed_in_rate(api, settings):
    settings.API_ANON_THROTTLE_RATE = "5/min"
    settings.API_USER_THROTTLE_RATE = "2/min"

    statuses = [api.get("/api/v1/topics/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["api", "editor_api"])
def test_browsable_api_pages_render(request, client_name):
    client = request.getfixturevalue(client_name)
    brief = brief_with_content(sections=1, bullets=1, votes=1, positions=False)
    vote, source = brief.votes.get(), brief.sources.get()
    urls = [
        "/api/v1/",
        "/api/v1/briefs/",
        f"/api/v1/briefs/{brief.slug}/",
        "/api/v1/votes/",
        f"/api/v1/votes/{vote.pk}/",
        "/api/v1/sources/",
        f"/api/v1/sources/{source.pk}/",
        "/api/v1/topics/",
    ]

    for url in urls:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url


# Errors of addresses and formats --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_api_address_that_matches_no_route_is_a_json_404(editor_api, method):
    response = getattr(editor_api, method)("/api/v1/briefs/not%20a%20slug/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_format_is_a_400_naming_the_parameter(editor_api, method):
    response = getattr(editor_api, method)("/api/v1/votes/?format=xml")

    assert response.status_code == 400
    assert "csv" in response.json()["format"][0]


@pytest.mark.django_db
def test_schema_documents_a_400_where_a_format_can_be_asked(api):
    paths = openapi(api)["paths"]

    assert "400" in paths["/api/v1/votes/{id}/"]["get"]["responses"]


@pytest.mark.django_db
def test_schema_documents_notes_as_staff_only_with_a_404(api):
    paths = openapi(api)["paths"]

    notes = paths["/api/v1/briefs/{brief_slug}/notes/"]
    note = paths["/api/v1/briefs/{brief_slug}/notes/{id}/"]

    assert {"get", "post"} <= set(notes)
    assert set(note) >= {"get", "patch"} and "put" not in note and "delete" not in note
    for operation in (notes["get"], notes["post"], note["patch"]):
        assert "404" in operation["responses"]
        assert "Staff only" in operation["description"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/briefs/", "get"),
        ("/api/v1/briefs/{slug}/", "get"),
        ("/api/v1/votes/", "get"),
        ("/api/v1/topics/", "get"),
        ("/api/v1/changes/", "get"),
    ],
)
def test_schema_says_public_reads_need_no_credentials(api, path, method):
    security = openapi(api)["paths"][path][method]["security"]

    assert {} in security
    assert len(security) > 1  # the credentials it also takes stay listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/briefs/", "post"),
        ("/api/v1/briefs/{slug}/", "patch"),
        ("/api/v1/webhooks/", "get"),
    ],
)
def test_schema_says_writes_and_private_reads_need_credentials(api, path, method):
    security = openapi(api)["paths"][path][method]["security"]

    assert {} not in security

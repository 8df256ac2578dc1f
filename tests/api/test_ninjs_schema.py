"""Every ninjs representation validates against the IPTC's schema for the
version it declares (kept in tests/fixtures/ninjs/, see SOURCE.md there)."""

import datetime
import json
from pathlib import Path

import pytest
import time_machine
from jsonschema import Draft202012Validator, FormatChecker

from briefs import services
from briefs.api.renderers import NINJS_VERSION
from briefs.models import Correction
from tests import factories
from tests.api.conftest import brief_with_content, client_for

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "ninjs"
CREATED = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=datetime.UTC)
SERVED = datetime.datetime(2026, 4, 9, 17, 30, tzinfo=datetime.UTC)


def validator(version):
    schema = json.loads((SCHEMAS / f"ninjs-schema_{version}.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid(item):
    declared = item["standard"]["version"]
    errors = [
        f"{'/'.join(map(str, error.path))}: {error.message}"
        for error in validator(declared).iter_errors(item)
    ]
    assert not errors, errors


@pytest.fixture
def partner_api(db):
    return client_for(factories.UserFactory(username="partner", partner=True))


def live_brief():
    with time_machine.travel(CREATED, tick=False):
        return brief_with_content(sections=2, bullets=2, votes=1)


def ninjs(client, brief_or_uuid):
    key = getattr(brief_or_uuid, "uuid", brief_or_uuid)
    response = client.get(f"/api/v1/briefs/{key}/ninjs/")
    assert response.status_code == 200
    return response.json()


def test_the_declared_version_is_the_schema_in_the_fixtures():
    assert (SCHEMAS / f"ninjs-schema_{NINJS_VERSION}.json").exists()


@pytest.mark.django_db
def test_a_live_brief_validates(api):
    brief = live_brief()

    with time_machine.travel(SERVED, tick=False):
        item = ninjs(api, brief)

    assert_valid(item)
    assert item["pubstatus"] == "usable"
    assert "embargoed" not in item


@pytest.mark.django_db
def test_content_created_is_when_the_brief_was_created_not_served(api):
    brief = live_brief()

    with time_machine.travel(SERVED, tick=False):
        item = ninjs(api, brief)

    assert item["contentcreated"] == CREATED.isoformat()


@pytest.mark.django_db
def test_a_corrected_brief_validates(api):
    brief = live_brief()
    with time_machine.travel(SERVED, tick=False):
        services.correction_save(
            correction=Correction(brief=brief, text="An earlier version erred.")
        )
        item = ninjs(api, brief)

    assert_valid(item)
    assert item["versioncreated"] == SERVED.isoformat()


@pytest.mark.django_db
def test_an_embargoed_brief_validates(partner_api):
    brief = live_brief()
    until = SERVED + datetime.timedelta(hours=2)
    services.brief_update(brief=brief, fields={"embargo_until": until})

    with time_machine.travel(SERVED, tick=False):
        item = ninjs(partner_api, brief)

    assert_valid(item)
    assert item["embargoed"] == until.isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["archive", "return_to_draft", "delete"])
def test_a_withdrawn_brief_validates(action, partner_api, editor):
    brief = live_brief()
    uuid = brief.uuid
    if action == "delete":
        services.brief_delete(brief=brief, user=editor)
    else:
        services.brief_transition(brief=brief, action=action, user=editor)

    item = ninjs(partner_api, uuid)

    assert_valid(item)
    assert item["pubstatus"] == "canceled"


def test_the_schema_refuses_what_it_does_not_define():
    # The check has teeth: the properties our 2.1 output used to carry fail.
    errors = list(
        validator("2.1").iter_errors(
            {"uri": "urn:uuid:6f1c2a4e-8d3b-4f5a-9c7e-2b1d0a9f8e7d", "links": []}
        )
    )

    assert errors

"""Our output against the published GeoReport v2 JSON Schemas and the shapes real servers answer.

The schemas and real responses live in shared/data/open311 (see its README); these tests skip
cleanly where that folder is absent.
"""

import json

import pytest
from defusedxml import ElementTree
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from civic311.open311.tests.helpers import BASE, body
from civic311.service_requests import actions
from civic311.service_requests.statuses import Status
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def validator(open311_data):
    """A validator for one of the published schemas, resolving their $refs between files."""
    folder = open311_data / "spec" / "json-schema-georeport-v2"
    resources = []
    for path in folder.glob("*.json"):
        resources.append(
            (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT4))
        )
    registry = Registry().with_resources(resources)

    def make(name):
        schema = json.loads((folder / name).read_text())
        return Draft4Validator(schema, registry=registry)

    return make


@pytest.fixture
def busy_city(pothole, bulk_item):
    a = file_request(pothole, description="Deep", address_string="1 Main St", zipcode="02139")
    b = file_request(bulk_item, attributes={"items": ["sofa"]}, media_url="https://example.org/p.jpg")
    actions.change_status(a, Status.IN_PROGRESS, actor=actions.SYSTEM, note="Crew assigned")
    actions.close(b, actor=actions.SYSTEM, note="Picked up")
    return a, b


def errors_of(validator, doc):
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_services_pass_the_published_schema(client, busy_city, validator):
    assert errors_of(validator("services.json"), body(client.get(f"{BASE}/services.json"))) == []


def test_service_definitions_pass_the_published_schema(client, busy_city, validator):
    for code in ("POTHOLE", "BULK"):
        doc = body(client.get(f"{BASE}/services/{code}.json"))
        assert errors_of(validator("service-definition.json"), doc) == []


@pytest.mark.parametrize("extensions", ["false", "true"])
def test_requests_pass_the_published_schema(client, busy_city, validator, extensions):
    doc = body(client.get(f"{BASE}/requests.json", {"extensions": extensions}))
    assert len(doc) == 2
    assert errors_of(validator("requests.json"), doc) == []
    for item in doc:
        assert errors_of(validator("request.json"), item) == []


def test_our_requests_have_every_field_chicago_and_boston_answer(client, busy_city, open311_data):
    ours = body(client.get(f"{BASE}/requests.json", {"extensions": "true"}))
    our_keys = set().union(*(item.keys() for item in ours))
    for name in ("chicago/requests_extensions_true_2015.json", "boston/requests_sidewalk_not_shovelled_2020.json"):
        theirs = json.loads((open311_data / name).read_text())
        their_keys = set().union(*(item.keys() for item in theirs))
        assert their_keys <= our_keys, (name, their_keys - our_keys)
    chicago = json.loads((open311_data / "chicago/requests_extensions_true_2015.json").read_text())
    their_extended = set().union(*(item.get("extended_attributes", {}).keys() for item in chicago))
    our_extended = set().union(*(item["extended_attributes"].keys() for item in ours)) | {
        "duplicate",
        "parent_service_request_id",
    }
    assert {"channel", "duplicate", "parent_service_request_id"} <= their_extended & our_extended
    their_note_keys = {k for item in chicago for note in item["notes"] for k in note if k != "extended_attributes"}
    our_note_keys = {k for item in ours for note in item["notes"] for k in note}
    assert their_note_keys <= our_note_keys


def test_our_services_have_the_fields_real_servers_answer(client, busy_city, open311_data):
    ours = body(client.get(f"{BASE}/services.json"))
    theirs = json.loads((open311_data / "chicago/services_test311api_2018.json").read_text())
    assert set().union(*(s.keys() for s in theirs)) <= set(ours[0])
    definition = json.loads((open311_data / "chicago/service_definition_4fd3bbf8e750846c53000069.json").read_text())
    our_definition = body(client.get(f"{BASE}/services/BULK.json"))
    assert set(definition) <= set(our_definition)
    their_attribute_keys = set().union(*(a.keys() for a in definition["attributes"]))
    our_attribute_keys = set().union(*(a.keys() for a in our_definition["attributes"]))
    assert their_attribute_keys <= our_attribute_keys


def test_our_xml_has_the_elements_real_xml_servers_answer(client, busy_city, open311_data):
    dc = ElementTree.parse(open311_data / "dc/services.xml").getroot()
    ours = body(client.get(f"{BASE}/services.xml"))
    assert (dc.tag, dc[0].tag) == (ours.tag, ours[0].tag) == ("services", "service")
    assert {child.tag for child in dc[0]} <= {child.tag for child in ours[0]}

    toronto = ElementTree.parse(open311_data / "toronto/requests_many.xml").getroot()
    our_requests = body(client.get(f"{BASE}/requests.xml"))
    assert (toronto.tag, toronto[0].tag) == (our_requests.tag, our_requests[0].tag) == ("service_requests", "request")
    assert {child.tag for child in toronto[0]} <= {child.tag for child in our_requests[0]}

    definition = ElementTree.parse(open311_data / "dc/service_definition_S0301.xml").getroot()
    our_definition = body(client.get(f"{BASE}/services/POTHOLE.xml"))
    assert definition.tag == our_definition.tag == "service_definition"
    their_attr = {c.tag for a in definition.find("attributes") for c in a}
    our_attr = {c.tag for a in our_definition.find("attributes") for c in a}
    assert their_attr <= our_attr


def test_our_errors_look_like_real_servers_errors(client, db, open311_data):
    theirs = ElementTree.parse(open311_data / "boston/error_400_duplicate.xml").getroot()
    ours = body(client.get(f"{BASE}/requests.xml", {"status": "nope"}))
    assert theirs.tag == ours.tag == "errors"
    assert [c.tag for c in theirs[0]] == [c.tag for c in ours[0]] == ["code", "description"]

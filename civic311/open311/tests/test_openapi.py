"""The OpenAPI description must stay true: valid, complete, and matching what the server answers."""

import json
import re

import pytest
from django.urls import get_resolver
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from civic311.open311.openapi import document
from civic311.open311.tests.helpers import BASE
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db


def test_the_description_is_valid_openapi(client, db):
    doc = json.loads(client.get(f"{BASE}/openapi.json").content)
    validate(doc)
    assert doc["servers"] == [{"url": "http://testserver/open311/v2"}]


def test_every_route_is_described_and_every_description_is_a_route():
    resolver = get_resolver()
    routes = set()
    for pattern in resolver.url_patterns:
        if str(pattern.pattern) == "open311/v2/":
            for sub in pattern.url_patterns:
                regex = str(sub.pattern)
                if "(?P<path>" in regex or regex == "openapi.json":
                    continue
                route = regex.strip("^$").replace(r"\.(?P<fmt>json|xml)", ".{format}")
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
                routes.add("/" + route.replace("service_request_id", "service_request_id").replace("token_id", "token"))
    assert routes == set(document()["paths"])


def _schema_validator(name):
    doc = document()
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return Draft202012Validator(schema)


def _responses_schema(path, method, status):
    operation = document()["paths"][path][method]
    ref = operation["responses"][str(status)]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[1]


@pytest.mark.parametrize(
    ("path", "method", "url", "status"),
    [
        ("/discovery.{format}", "get", "discovery.json", 200),
        ("/services.{format}", "get", "services.json", 200),
        ("/services/{service_code}.{format}", "get", "services/BULK.json", 200),
        ("/services/{service_code}.{format}", "get", "services/NOPE.json", 404),
        ("/requests.{format}", "get", "requests.json?extensions=true", 200),
        ("/requests.{format}", "get", "requests.json", 200),
        ("/requests.{format}", "get", "requests.json?status=bad", 400),
        ("/requests/{service_request_id}.{format}", "get", "requests/{id}.json?extensions=true", 200),
        ("/requests/{service_request_id}.{format}", "get", "requests/00-1.json", 404),
        ("/tokens/{token}.{format}", "get", "tokens/{token}.json", 200),
    ],
)
def test_real_answers_match_the_described_schemas(client, pothole, bulk_item, path, method, url, status):
    sr = file_request(bulk_item, attributes={"items": ["sofa"]})
    file_request(pothole)
    response = client.get(f"{BASE}/" + url.format(id=sr.tracking_number, token=sr.token))
    assert response.status_code == status
    validator = _schema_validator(_responses_schema(path, method, status))
    errors = [e.message for e in validator.iter_errors(json.loads(response.content))]
    assert errors == []


def test_post_answers_match_the_described_schemas(client, pothole, bulk_item, api_key):
    cases = [
        ({"service_code": "POTHOLE", "lat": "42", "long": "-71", "attribute[size]": "small"}, 200),
        ({"service_code": "BULK", "address_string": "1 Main", "attribute[items]": "sofa"}, 200),
        ({"service_code": "POTHOLE"}, 400),
    ]
    for data, status in cases:
        response = client.post(f"{BASE}/requests.json", {"api_key": api_key, **data})
        assert response.status_code == status
        validator = _schema_validator(_responses_schema("/requests.{format}", "post", status))
        assert [e.message for e in validator.iter_errors(json.loads(response.content))] == []
    response = client.post(f"{BASE}/requests.json", {"service_code": "POTHOLE"})
    assert response.status_code == 403
    assert "403" in document()["paths"]["/requests.{format}"]["post"]["responses"]

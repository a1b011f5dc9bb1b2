"""The OpenAPI 3.1 description of the Open311 endpoints, served at /open311/v2/openapi.json.

Written as data next to the views it describes; tests check that every route is described, that
the document is valid OpenAPI, and that real responses validate against the schemas here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from civic311 import __version__

NULLABLE_STRING = {"type": ["string", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "additionalProperties": False,
    },
    "Errors": _array("Error"),
    "Discovery": {
        "type": "object",
        "required": ["changeset", "contact", "endpoints"],
        "properties": {
            "changeset": DATETIME,
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "type", "formats"],
                    "properties": {
                        "specification": {"type": "string"},
                        "url": {"type": "string"},
                        "changeset": DATETIME,
                        "type": {"enum": ["production", "test"]},
                        "formats": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": NULLABLE_STRING,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": NULLABLE_STRING,
            "group": NULLABLE_STRING,
        },
        "additionalProperties": False,
    },
    "Services": _array("Service"),
    "Attribute": {
        "type": "object",
        "required": ["variable", "code", "datatype", "required", "order", "description"],
        "properties": {
            "variable": {"type": "boolean"},
            "code": {"type": "string"},
            "datatype": {
                "enum": [
                    "string",
                    "number",
                    "datetime",
                    "text",
                    "singlevaluelist",
                    "multivaluelist",
                ]
            },
            "required": {"type": "boolean"},
            "datatype_description": NULLABLE_STRING,
            "order": {"type": "integer"},
            "description": {"type": "string"},
            "values": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "name"],
                    "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                },
            },
        },
        "additionalProperties": False,
    },
    "ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {"service_code": {"type": "string"}, "attributes": _array("Attribute")},
        "additionalProperties": False,
    },
    "Note": {
        "type": "object",
        "required": ["datetime", "summary", "type"],
        "properties": {
            "datetime": DATETIME,
            "summary": {"type": "string"},
            "description": {"type": "string"},
            "type": {"enum": ["opened", "activity", "closed", "reopened"]},
        },
    },
    "Request": {
        "type": "object",
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
        "properties": {
            "service_request_id": {"type": "string", "pattern": r"^\d{2}-\d{8,12}$"},
            "status": {"enum": ["open", "closed"]},
            "status_notes": NULLABLE_STRING,
            "service_name": {"type": "string"},
            "service_code": {"type": "string"},
            "description": {"type": ["string", "null"], "maxLength": 4000},
            "agency_responsible": NULLABLE_STRING,
            "service_notice": NULLABLE_STRING,
            "requested_datetime": DATETIME,
            "updated_datetime": NULLABLE_DATETIME,
            "expected_datetime": NULLABLE_DATETIME,
            "address": NULLABLE_STRING,
            "address_id": NULLABLE_STRING,
            "zipcode": NULLABLE_STRING,
            "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
            "long": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
            "media_url": {"type": ["string", "null"], "format": "uri"},
            "attributes": {
                "description": "With extensions=true: the answers, by attribute code.",
                "type": "object",
                "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            },
            "extended_attributes": {
                "description": "With extensions=true.",
                "type": "object",
                "required": ["channel", "detailed_status"],
                "properties": {
                    "channel": {"enum": ["phone", "web", "mobile", "walk_in", "email", "api", "import"]},
                    "detailed_status": {
                        "enum": [
                            "new",
                            "acknowledged",
                            "in_progress",
                            "on_hold",
                            "closed",
                            "duplicate",
                            "referred",
                        ]
                    },
                    "duplicate": {"type": "boolean"},
                    "parent_service_request_id": {"type": "string"},
                },
            },
            "notes": {"description": "With extensions=true: the public history.", **_array("Note")},
        },
        "additionalProperties": False,
    },
    "Requests": _array("Request"),
    "PostResponse": {
        "type": "array",
        "minItems": 1,
        "maxItems": 1,
        "items": {
            "type": "object",
            "properties": {
                "service_request_id": {"type": "string"},
                "token": {"type": "string"},
                "service_notice": NULLABLE_STRING,
                "account_id": NULLABLE_STRING,
            },
            "oneOf": [{"required": ["service_request_id"]}, {"required": ["token"]}],
        },
    },
    "TokenResponse": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["service_request_id", "token"],
            "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
        },
    },
}


def _param(name: str, where: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": description,
        "schema": schema or {"type": "string"},
    }


FORMAT = _param("format", "path", "Response format.", {"enum": ["json", "xml"]})
JURISDICTION = _param("jurisdiction_id", "query", "Optional; must match this server's jurisdiction (else 404).")
EXTENSIONS = _param(
    "extensions",
    "query",
    "true adds attributes, extended_attributes and notes.",
    {"enum": ["true", "false"]},
)

READER_KEY = _param(
    "api_key",
    "query",
    "Optional: the application that filed requests of a private service reads them back with its own key "
    "(where the service allows it). An invalid key is a 403.",
)


def _responses(ok_schema: str, *errors: int) -> dict[str, Any]:
    text = {
        400: "Bad input.",
        403: "Missing or invalid api_key.",
        404: "Not found.",
        405: "Method not allowed.",
        429: "The api_key's calls for this hour are used up; Retry-After gives the seconds to wait.",
    }
    content = {
        "application/json": {"schema": _ref(ok_schema)},
        "text/xml": {"schema": {"type": "string"}},
    }
    responses: dict[str, Any] = {"200": {"description": "OK", "content": content}}
    for code in (*errors, 405):
        responses[str(code)] = {
            "description": text[code],
            "content": {
                "application/json": {"schema": _ref("Errors")},
                "text/xml": {"schema": {"type": "string"}},
            },
        }
    if 429 in errors:
        responses["429"]["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}
    return responses


def _post_body() -> dict[str, Any]:
    fields = [
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id",
        "zipcode", "email", "device_id", "account_id", "first_name", "last_name", "phone", "description",
        "media_url", "locale",
    ]  # fmt: skip
    properties: dict[str, Any] = {name: {"type": "string"} for name in fields}
    properties["description"] = {"type": "string", "maxLength": 4000}
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["service_code"],
                    "properties": properties,
                    "patternProperties": {r"^attribute\[[^\]]+\](\[\])?$": {"type": "string"}},
                }
            }
        },
    }


def document(server_url: str = "/open311/v2") -> dict[str, Any]:
    date = {"type": "string", "format": "date-time"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.CIVIC311_CITY_NAME} Open311 GeoReport v2",
            "version": __version__,
            "description": "GeoReport v2 with the page/page_size, updated_after/updated_before and "
            "extensions=true extensions. Errors are lists of {code, description}.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/discovery.{format}": {
                "get": {
                    "operationId": "discovery",
                    "parameters": [FORMAT],
                    "responses": _responses("Discovery"),
                }
            },
            "/services.{format}": {
                "get": {
                    "operationId": "listServices",
                    "parameters": [FORMAT, JURISDICTION],
                    "responses": _responses("Services", 404),
                }
            },
            "/services/{service_code}.{format}": {
                "get": {
                    "operationId": "serviceDefinition",
                    "parameters": [
                        _param("service_code", "path", "The service."),
                        FORMAT,
                        JURISDICTION,
                    ],
                    "responses": _responses("ServiceDefinition", 404),
                }
            },
            "/requests.{format}": {
                "get": {
                    "operationId": "listRequests",
                    "parameters": [
                        FORMAT,
                        JURISDICTION,
                        _param(
                            "service_request_id",
                            "query",
                            "Comma list of ids; overrides every other filter.",
                        ),
                        _param("service_code", "query", "Comma list of service codes."),
                        _param("start_date", "query", "Earliest requested_datetime (W3C).", date),
                        _param(
                            "end_date",
                            "query",
                            "Latest requested_datetime (W3C); at most 90 days after start_date.",
                            date,
                        ),
                        _param("status", "query", "Comma list of open, closed."),
                        _param(
                            "updated_after",
                            "query",
                            "Only requests updated after this (W3C).",
                            date,
                        ),
                        _param(
                            "updated_before",
                            "query",
                            "Only requests updated before this (W3C).",
                            date,
                        ),
                        _param(
                            "page",
                            "query",
                            "Page number from 1.",
                            {"type": "integer", "minimum": 1},
                        ),
                        _param(
                            "page_size",
                            "query",
                            "Results per page, at most 1000.",
                            {"type": "integer", "minimum": 1, "maximum": 1000},
                        ),
                        _param(
                            "lat", "query", "With long: search around this point, nearest first.", {"type": "number"}
                        ),
                        _param("long", "query", "With lat.", {"type": "number"}),
                        _param(
                            "radius",
                            "query",
                            "Metres from lat/long (default: the one service's duplicate radius, else 100).",
                            {"type": "integer", "minimum": 1, "maximum": 5000},
                        ),
                        EXTENSIONS,
                        READER_KEY,
                    ],
                    "responses": _responses("Requests", 400, 403, 404),
                },
                "post": {
                    "operationId": "createRequest",
                    "parameters": [
                        FORMAT,
                        _param("api_key", "query", "May be sent here or in the body."),
                    ],
                    "requestBody": _post_body(),
                    "responses": _responses("PostResponse", 400, 403, 404, 429),
                },
            },
            "/requests/{service_request_id}.{format}": {
                "get": {
                    "operationId": "getRequest",
                    "parameters": [
                        _param("service_request_id", "path", "Tracking number, e.g. 26-00012345."),
                        FORMAT,
                        JURISDICTION,
                        EXTENSIONS,
                        READER_KEY,
                    ],
                    "responses": _responses("Requests", 400, 403, 404),
                }
            },
            "/tokens/{token}.{format}": {
                "get": {
                    "operationId": "getToken",
                    "parameters": [
                        _param("token", "path", "Token from POST /requests."),
                        FORMAT,
                        JURISDICTION,
                    ],
                    "responses": _responses("TokenResponse", 404),
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


def openapi_view(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(document(request.build_absolute_uri("/open311/v2")))
    response["Access-Control-Allow-Origin"] = "*"
    return response

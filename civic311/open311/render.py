"""Open311 documents as Python structures, and their JSON and XML forms.

One function builds each document as plain dicts and lists; ``to_json`` and ``to_xml`` write them,
so the two formats can never disagree about content. XML element names for list items follow the
spec: services/service, attributes/attribute, values/value, service_requests/request, errors/error,
endpoints/endpoint, formats/format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from civic311.catalog.models import Attribute, ServiceType
from civic311.service_requests.models import EventKind, ServiceRequest, w3c
from civic311.service_requests.privacy import Reader

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# Element names for the items of each list, by the list's own name.
LIST_ITEMS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}
# Characters XML 1.0 cannot carry at all; imported data may contain them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _or_none(value: str) -> str | None:
    return value or None


def service(st: ServiceType) -> dict[str, Any]:
    return {
        "service_code": st.service_code,
        "service_name": st.name,
        "description": _or_none(st.description),
        "metadata": bool(st.attributes.all()),
        "type": st.kind,
        "keywords": _or_none(st.keywords),
        "group": _or_none(st.group),
    }


def attribute(attr: Attribute) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "variable": attr.variable,
        "code": attr.code,
        "datatype": attr.datatype,
        "required": attr.required,
        "datatype_description": _or_none(attr.datatype_description),
        "order": attr.order,
        "description": attr.description,
    }
    if attr.is_list:
        doc["values"] = [{"key": v.key, "name": v.name} for v in attr.values.all()]
    return doc


def service_definition(st: ServiceType) -> dict[str, Any]:
    return {
        "service_code": st.service_code,
        "attributes": [attribute(a) for a in st.attributes.all()],
    }


NOTE_TYPES = {
    EventKind.SUBMITTED: ("opened", "Request opened"),
    EventKind.CLOSED: ("closed", "Request closed"),
    EventKind.REOPENED: ("reopened", "Request reopened"),
    EventKind.STATUS_CHANGED: ("activity", "Status changed"),
    EventKind.NOTE: ("activity", "Note"),
    EventKind.MERGED: ("closed", "Merged as a duplicate"),
}


def request(sr: ServiceRequest, *, extensions: bool = False, reader: Reader | None = None) -> dict[str, Any]:
    """A request as Open311 shows it. The reporter's name, email, phone and ids never appear; private
    answers and unapproved photos only to the application that sent them (see privacy.py)."""
    reader = reader or Reader()
    st = sr.service_type
    doc: dict[str, Any] = {
        "service_request_id": sr.tracking_number,
        "status": sr.open311_status,
        "status_notes": _or_none(sr.status_notes),
        "service_name": st.name,
        "service_code": st.service_code,
        "description": _or_none(sr.description),
        "agency_responsible": sr.department.name,
        "service_notice": _or_none(st.service_notice),
        "requested_datetime": w3c(sr.requested_at),
        "updated_datetime": w3c(sr.updated_at),
        "expected_datetime": w3c(sr.expected_at),
        "address": _or_none(sr.address),
        "address_id": _or_none(sr.address_id),
        "zipcode": _or_none(sr.zipcode),
        "lat": sr.lat,
        "long": sr.long,
        "media_url": _or_none(reader.media_url(sr)),
    }
    if extensions:
        extended: dict[str, Any] = {"channel": sr.channel, "detailed_status": sr.status}
        if sr.parent is not None:
            extended["duplicate"] = True
            extended["parent_service_request_id"] = sr.parent.tracking_number
        doc["attributes"] = reader.answers(sr)
        doc["extended_attributes"] = extended
        doc["notes"] = [_note(event) for event in sr.events.all() if event.is_public]
    return doc


def _note(event: Any) -> dict[str, Any]:
    note_type, summary = NOTE_TYPES.get(event.kind, ("activity", event.get_kind_display()))
    if event.kind == EventKind.STATUS_CHANGED:
        summary = f"Status changed to {event.get_to_status_display().lower()}"
    note: dict[str, Any] = {"datetime": w3c(event.at), "summary": summary, "type": note_type}
    if event.note:
        note["description"] = event.note
    return note


def errors(status: int, descriptions: Iterable[str]) -> list[dict[str, Any]]:
    return [{"code": status, "description": text} for text in descriptions]


# --- writers ---------------------------------------------------------------------------------


def respond(doc: Any, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """Write ``doc`` as JSON, or as XML under the element ``root``."""
    if fmt == "xml":
        return HttpResponse(to_xml(doc, root), content_type=XML_TYPE, status=status)
    return HttpResponse(json.dumps(doc, ensure_ascii=False), content_type=JSON_TYPE, status=status)


def to_xml(doc: Any, root: str) -> bytes:
    element = ET.Element(root)
    _fill(element, doc, root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _fill(element: ET.Element, value: Any, name: str) -> None:
    if name == "attributes" and isinstance(value, dict):
        # Answers keyed by code (Chicago's JSON shape); codes need not be XML names, so in XML
        # each answer is an <attribute> with its <code> and <value>.
        value = [{"code": code, "value": answer} for code, answer in value.items()]
    if isinstance(value, dict):
        for key, child_value in value.items():
            _fill(ET.SubElement(element, key), child_value, key)
    elif isinstance(value, list):
        item_name = LIST_ITEMS.get(name, "item")
        for item in value:
            _fill(ET.SubElement(element, item_name), item, item_name)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _XML_ILLEGAL.sub("", str(value))

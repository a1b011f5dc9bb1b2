"""Reading another Open311 server's catalog (services and service definitions, JSON or XML).

A city moving to civic311 can bring its service catalog from its current Open311 server. Real
servers' documents are messy, and each quirk below was seen in one (shared/data/open311/README):
a UTF-8 byte-order mark, Latin-1 instead of UTF-8, integer service codes, stray namespace
declarations, empty ``<keywords/>`` and ``<values />``, ``is_array`` attributes, trailing
newlines, a missing ``datatype_description``, attributes out of order. The reader accepts all of
these and refuses what it cannot understand with a message naming the file and the place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
KINDS = {"realtime", "batch", "blackbox"}


class ReadError(ValueError):
    """A document that is not an Open311 services list or service definition."""


@dataclass
class ServiceDoc:
    code: str
    name: str
    description: str = ""
    group: str = ""
    keywords: str = ""
    kind: str = "realtime"
    metadata: bool = False


@dataclass
class AttributeDoc:
    code: str
    description: str
    datatype: str = "string"
    variable: bool = True
    required: bool = False
    datatype_description: str = ""
    order: int = 0
    values: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Decoded:
    text: str
    notes: list[str]


def decode(raw: bytes, source: str) -> Decoded:
    """UTF-8 (with or without a BOM); Latin-1 as a declared fallback, since a real server sent it."""
    notes: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        notes.append(f"{source}: skipped a UTF-8 byte-order mark.")
    try:
        return Decoded(raw.decode("utf-8"), notes)
    except UnicodeDecodeError:
        notes.append(f"{source}: not valid UTF-8; read as Latin-1.")
        return Decoded(raw.decode("latin-1"), notes)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _boolean(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in {"true", "1"}:
        return True
    if text in {"false", "0", ""}:
        return False
    raise ReadError(f"{where}: {text[:30]!r} is not true or false.")


def _parse(decoded: Decoded, source: str) -> Any | Element:
    text = decoded.text.lstrip()
    if text.startswith("<"):
        try:
            return ElementTree.fromstring(text.encode("utf-8"))
        except (ElementTree.ParseError, DefusedXmlException) as exc:
            raise ReadError(f"{source}: not well-formed XML ({exc}).") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{source}: neither XML nor valid JSON ({exc.msg} at line {exc.lineno}).") from None


def _xml_dict(element: Element) -> dict[str, Any]:
    return {child.tag: (child.text or "") for child in element}


def read_services(raw: bytes, source: str = "services") -> tuple[list[ServiceDoc], list[str]]:
    """The services of a services.json or services.xml document, and notes on what was mended."""
    decoded = decode(raw, source)
    doc = _parse(decoded, source)
    if isinstance(doc, Element):
        if doc.tag != "services":
            raise ReadError(f"{source}: the XML root is <{doc.tag}>, not <services>.")
        items = [_xml_dict(service) for service in doc.findall("service")]
    elif isinstance(doc, list):
        items = doc
    else:
        raise ReadError(f"{source}: a services document is a list of services.")
    services = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        where = f"{source}: service {index}"
        if not isinstance(item, dict):
            raise ReadError(f"{where} is not an object.")
        code = _text(item.get("service_code"))
        name = _text(item.get("service_name"))
        if not code or not name:
            raise ReadError(f"{where} has no service_code or service_name.")
        if code in seen:
            raise ReadError(f"{where}: service_code {code!r} appears twice.")
        seen.add(code)
        kind = _text(item.get("type")).lower() or "realtime"
        if kind not in KINDS:
            raise ReadError(f"{where}: type {kind!r} is not realtime, batch or blackbox.")
        services.append(
            ServiceDoc(
                code=code,
                name=name,
                description=_text(item.get("description")),
                group=_text(item.get("group")),
                keywords=_text(item.get("keywords")),
                kind=kind,
                metadata=_boolean(item.get("metadata"), f"{where} metadata"),
            )
        )
    return services, decoded.notes


def read_definition(raw: bytes, source: str = "definition") -> tuple[str, list[AttributeDoc], list[str]]:
    """(service_code, attributes in display order, notes) of a service definition document."""
    decoded = decode(raw, source)
    doc = _parse(decoded, source)
    if isinstance(doc, Element):
        if doc.tag != "service_definition":
            raise ReadError(f"{source}: the XML root is <{doc.tag}>, not <service_definition>.")
        code = _text(doc.findtext("service_code"))
        items = []
        for attribute in doc.findall("attributes/attribute"):
            item: dict[str, Any] = _xml_dict(attribute)
            item["values"] = [_xml_dict(value) for value in attribute.findall("values/value")]
            items.append(item)
    elif isinstance(doc, dict):
        code = _text(doc.get("service_code"))
        items = doc.get("attributes") or []
        if not isinstance(items, list):
            raise ReadError(f"{source}: attributes is not a list.")
    else:
        raise ReadError(f"{source}: a service definition is an object with service_code and attributes.")
    if not code:
        raise ReadError(f"{source}: no service_code.")
    attributes = [_attribute(item, f"{source}: attribute {i}") for i, item in enumerate(items, start=1)]
    attributes.sort(key=lambda a: a.order)
    return code, attributes, decoded.notes


def _attribute(item: Any, where: str) -> AttributeDoc:
    if not isinstance(item, dict):
        raise ReadError(f"{where} is not an object.")
    code = _text(item.get("code"))
    if not code:
        raise ReadError(f"{where} has no code.")
    datatype = _text(item.get("datatype")).lower() or "string"
    if datatype not in DATATYPES:
        raise ReadError(f"{where} ({code}): datatype {datatype!r} is not an Open311 datatype.")
    variable = _boolean(item.get("variable", True), f"{where} ({code}) variable")
    order_text = _text(item.get("order")) or "0"
    if not order_text.lstrip("-").isdigit():
        raise ReadError(f"{where} ({code}): order {order_text!r} is not a whole number.")
    values = []
    if datatype in {"singlevaluelist", "multivaluelist"}:
        for value in item.get("values") or []:
            key, name = _text(value.get("key")), _text(value.get("name"))
            if key:
                values.append((key, name or key))
        if not values:
            raise ReadError(f"{where} ({code}): a {datatype} needs values to choose from.")
    return AttributeDoc(
        code=code,
        description=_text(item.get("description")) or code,
        datatype=datatype,
        variable=variable,
        # An informational attribute cannot be answered, so it cannot be required.
        required=variable and _boolean(item.get("required"), f"{where} ({code}) required"),
        datatype_description=_text(item.get("datatype_description")),
        order=max(int(order_text), 0),
        values=values,
    )

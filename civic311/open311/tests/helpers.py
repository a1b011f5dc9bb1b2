"""Reading Open311 answers in tests: JSON, or XML through defusedxml."""

from __future__ import annotations

import json

from defusedxml import ElementTree

BASE = "/open311/v2"


def body(response):
    if response["Content-Type"].startswith("text/xml"):
        return ElementTree.fromstring(response.content)
    return json.loads(response.content)


def error_texts(response) -> list[str]:
    doc = body(response)
    if isinstance(doc, list):
        assert all(set(item) == {"code", "description"} for item in doc)
        assert all(item["code"] == response.status_code for item in doc)
        return [item["description"] for item in doc]
    assert doc.tag == "errors"
    return [error.findtext("description") for error in doc.findall("error")]

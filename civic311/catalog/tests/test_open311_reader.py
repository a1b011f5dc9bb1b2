"""Every quirk of the real servers' documents in shared/data/open311 must read cleanly."""

import pytest
from django.core.management import CommandError, call_command

from civic311.catalog.models import Attribute, ServiceType
from civic311.catalog.open311_reader import ReadError, read_definition, read_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("chicago/services_test311api_2018.json", 14),
        ("dc/services.xml", 86),
        ("sf/services_2010.xml", 36),
        ("bloomington/services_2018.json", 53),
        ("giessen/services.xml", None),
        ("helsinki/services.json", None),
        ("helsinki/services.xml", None),
        ("helsinki/services_fi.json", None),
        ("helsinki/services_sv.json", None),
    ],
)
def test_every_real_services_document_reads(open311_data, name, count):
    services, _notes = read_services((open311_data / name).read_bytes(), name)
    assert services
    if count is not None:
        assert len(services) == count
    assert all(s.code and s.name and s.kind in {"realtime", "batch", "blackbox"} for s in services)
    assert all(s.description == s.description.strip() for s in services)  # SF's trailing newlines


def test_integer_codes_latin1_and_umlauts_are_read_as_text(open311_data):
    bloomington, _ = read_services((open311_data / "bloomington/services_2018.json").read_bytes())
    assert bloomington[0].code == "2"
    swedish, notes = read_services((open311_data / "helsinki/services_sv.json").read_bytes(), "sv")
    assert notes == ["sv: not valid UTF-8; read as Latin-1."]
    assert any(ch in "".join(s.name + s.description for s in swedish) for ch in "åäöÅÄÖ")
    giessen, _ = read_services((open311_data / "giessen/services.xml").read_bytes())
    assert any("ü" in s.name or "ä" in s.name for s in giessen)


def test_a_bom_is_skipped(open311_data):
    raw = b"\xef\xbb\xbf" + (open311_data / "chicago/services_test311api_2018.json").read_bytes()
    services, notes = read_services(raw, "bom.json")
    assert len(services) == 14
    assert "byte-order mark" in notes[0]


def test_definitions_read_with_their_quirks(open311_data):
    code, attributes, _ = read_definition((open311_data / "dc/service_definition_S0301.xml").read_bytes())
    assert code == "S0301"
    assert [a.order for a in attributes] == sorted(a.order for a in attributes)  # out of order in the file
    informational = [a for a in attributes if not a.variable]
    assert informational and all(not a.values and not a.required for a in informational)
    yes_no = [a for a in attributes if a.datatype == "singlevaluelist"]
    assert any({k for k, _ in a.values} >= {"TRUE", "FALSE"} for a in yes_no)
    code, attributes, _ = read_definition(
        (open311_data / "chicago/service_definition_4fd3bbf8e750846c53000069.json").read_bytes()
    )
    assert code == "4fd3bbf8e750846c53000069"
    assert attributes[0].datatype_description == ""  # the key is missing in the file


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"<html><body>Not found</body></html>", "root is <html>"),
        (b"<services><service>", "not well-formed XML"),
        (b'{"service_code": "x"}', "a list of services"),
        (b"[{}]", "no service_code or service_name"),
        (b'[{"service_code": "A", "service_name": "a", "type": "instant"}]', "type 'instant'"),
        (b'[{"service_code": "A", "service_name": "a"}, {"service_code": "A", "service_name": "b"}]', "appears twice"),
        (b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><services>&a;</services>", "not well-formed XML"),
    ],
)
def test_what_is_not_a_services_document_is_refused_precisely(raw, message):
    with pytest.raises(ReadError, match=message):
        read_services(raw, "f")


def test_importing_dc_brings_its_services_and_pothole_questions(open311_data, client, capsys):
    call_command(
        "import_services",
        str(open311_data / "dc/services.xml"),
        definition=[open311_data / "dc/service_definition_S0301.xml"],
        department="DDOT",
    )
    assert "Imported 86 services (86 new, 0 updated)" in capsys.readouterr().out
    st = ServiceType.objects.get(service_code="S0301")
    assert st.department.name == "DDOT"
    assert st.attributes.count() > 3
    doc = client.get("/open311/v2/services/S0301.json").json()
    assert [a["code"] for a in doc["attributes"]] == list(st.attributes.values_list("code", flat=True))
    call_command("import_services", str(open311_data / "dc/services.xml"), department="DDOT")
    assert "0 new, 86 updated" in capsys.readouterr().out
    assert st.attributes.count() > 3  # no definition given: questions stay


def test_a_failed_import_changes_nothing(open311_data, tmp_path):
    bad_definition = tmp_path / "bad.json"
    bad_definition.write_text('{"service_code": "S0301", "attributes": [{"code": "x", "datatype": "colour"}]}')
    with pytest.raises(CommandError, match="datatype 'colour'"):
        call_command(
            "import_services", str(open311_data / "dc/services.xml"), definition=[bad_definition], department="DDOT"
        )
    orphan = tmp_path / "orphan.json"
    orphan.write_text('{"service_code": "ZZZ", "attributes": []}')
    with pytest.raises(CommandError, match="definition ZZZ: no such service"):
        call_command("import_services", str(open311_data / "dc/services.xml"), definition=[orphan], department="DDOT")
    bad_code = tmp_path / "codes.json"
    bad_code.write_text('[{"service_code": "has space", "service_name": "x"}]')
    with pytest.raises(CommandError, match="service has space: service_code"):
        call_command("import_services", str(bad_code), department="DDOT")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_services", str(tmp_path / "missing.json"), department="DDOT")
    assert ServiceType.objects.count() == 0
    assert Attribute.objects.count() == 0

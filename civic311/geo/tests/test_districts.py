import json

import pytest
from django.core.management import CommandError, call_command

from civic311.catalog.models import Department, RoutingRule
from civic311.catalog.tests.factories import ServiceTypeFactory
from civic311.geo.districts import BoundaryError, districts_at, load_geojson
from civic311.geo.models import District
from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db


def square(code, name, west, south, east, north, **extra):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Feature", "properties": {"WARD": code, "NAME": name, **extra},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


WARDS = {
    "type": "FeatureCollection",
    "features": [
        square("1", "Ward 1", -71.12, 42.36, -71.10, 42.38),
        square("2", "Ward 2", -71.10, 42.36, -71.08, 42.38),
    ],
}


@pytest.fixture
def wards(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(WARDS))
    call_command("import_districts", str(path), kind="ward", code_property="WARD", name_property="NAME")
    return {d.code: d for d in District.objects.all()}


def test_boundaries_load_and_points_fall_in_their_district(wards):
    assert [d.code for d in districts_at(42.37, -71.11)] == ["1"]
    assert [d.code for d in districts_at(42.37, -71.09)] == ["2"]
    assert districts_at(42.40, -71.09) == []
    assert districts_at(None, None) == []
    report = load_geojson(json.dumps(WARDS), kind="ward", code_property="WARD", name_property="NAME")
    assert (report.created, report.updated) == (0, 2)  # reloading updates in place


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("{", "not valid JSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": []}), "no features"),
        (json.dumps({"type": "FeatureCollection", "features": [square("", "x", 0, 0, 1, 1)]}), "no 'WARD' property"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {**square("9", "x", 0, 0, 1, 1), "geometry": {"type": "Point", "coordinates": [0, 0]}}
                    ],
                }
            ),
            "not a Polygon",
        ),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            **square("9", "x", 0, 0, 1, 1),
                            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
                        }
                    ],
                }
            ),
            "invalid polygon",
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": [square("9", "x", 300000, 4000000, 300100, 4000100)]}),
            "not WGS84",
        ),
    ],
)
def test_a_bad_boundary_file_loads_nothing(doc, message):
    with pytest.raises(BoundaryError, match=message):
        load_geojson(doc, kind="ward", code_property="WARD", name_property="NAME")
    assert District.objects.count() == 0


def test_the_command_reports_unreadable_files(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_districts", str(tmp_path / "none.geojson"), kind="ward", code_property="WARD")


def test_requests_are_placed_in_districts_and_routed_by_rule(wards, pothole):
    north_crew = Department.objects.create(name="DPW North Yard", slug="dpw-north")
    RoutingRule.objects.create(order=1, service_type=pothole, district=wards["2"], department=north_crew)
    in_ward_1 = file_request(pothole, lat="42.37", long="-71.11")
    in_ward_2 = file_request(pothole, lat="42.37", long="-71.09")
    outside = file_request(pothole, lat="42.40", long="-71.09")
    assert [d.code for d in in_ward_1.districts.all()] == ["1"]
    assert (in_ward_1.department, in_ward_2.department, outside.department) == (
        pothole.department, north_crew, pothole.department,
    )  # fmt: skip
    # A rule for any service, earlier in order, wins over the pothole rule.
    parks = Department.objects.create(name="Parks", slug="parks")
    RoutingRule.objects.create(order=0, service_type=None, district=wards["2"], department=parks)
    assert file_request(pothole, lat="42.37", long="-71.09").department == parks
    other = ServiceTypeFactory(service_code="GRAFFITI")
    assert file_request(other, lat="42.37", long="-71.11").department == other.department


def test_imported_history_is_placed_in_districts(wards, tmp_path):
    from civic311.service_requests.importing import import_file, load_mapping
    from civic311.service_requests.models import ServiceRequest

    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'name = "t"\ntime_zone = "America/New_York"\ndatetime_formats = ["%Y-%m-%d %H:%M"]\nsource = "t"\n'
        '[columns]\ncase_id = "id"\nservice_type = "type"\nopened = "opened"\nstatus = "status"\n'
        'lat = "lat"\nlong = "long"\n[status]\nOPEN = "new"\n'
    )
    csv = tmp_path / "h.csv"
    csv.write_text("id,type,opened,status,lat,long\n1,Pothole,2015-01-01 10:00,OPEN,42.37,-71.09\n"
                   "2,Pothole,2015-01-01 10:00,OPEN,,\n")  # fmt: skip
    import_file(csv, load_mapping(str(mapping)))
    placed = {sr.external_id: [d.code for d in sr.districts.all()] for sr in ServiceRequest.objects.all()}
    assert placed == {"t:1": ["2"], "t:2": []}

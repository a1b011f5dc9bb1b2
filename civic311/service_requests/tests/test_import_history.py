"""import-history against small files it must judge row by row, and the real Boston and Baltimore exports."""

import gzip
import itertools

import pytest
from django.core.management import CommandError, call_command

from civic311.catalog.models import Department, ServiceType
from civic311.service_requests.importing import MappingError, import_file, load_mapping
from civic311.service_requests.models import ServiceRequest, ServiceRequestEvent
from civic311.service_requests.statuses import Status

pytestmark = pytest.mark.django_db

MAPPING = """
name = "Test city"
time_zone = "America/New_York"
datetime_formats = ["%Y-%m-%d %H:%M"]
source = "testcity"
zipcode = "us5"
[columns]
case_id = "id"
service_type = "type"
department = "dept"
opened = "opened"
closed = "closed"
due = "due"
status = "status"
channel = "how"
lat = "lat"
long = "long"
zipcode = "zip"
[status]
OPEN = "acknowledged"
DONE = "closed"
DUP = "duplicate"
[channel]
Call = "phone"
[[placeholder_locations]]
lat = 42.3594
long = -71.0587
"""
HEADER = "id,type,dept,opened,closed,due,status,how,lat,long,zip\n"


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "city.toml"
    path.write_text(MAPPING)
    return path


def write_csv(tmp_path, rows, name="export.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows))
    return path


def test_rows_are_imported_with_their_history_and_bad_rows_reported(tmp_path, mapping_file):
    path = write_csv(
        tmp_path,
        [
            "A1,Pothole,Public Works,2015-03-02 09:00,2015-03-03 10:00,2015-03-04 09:00,DONE,Call,42.36,-71.06,2115.0",
            "A2,Pothole,Public Works,2015-03-05 09:00,,,OPEN,App,42.3594,-71.0587,",
            "A3,Graffiti,Parks,2015-03-06 09:00,2015-03-06 12:00,,DUP,Call,,,",
            ",Pothole,Public Works,2015-03-05 09:00,,,OPEN,Call,,,",
            "A5,,Public Works,2015-03-05 09:00,,,OPEN,Call,,,",
            "A6,Pothole,Public Works,March 5th,,,OPEN,Call,,,",
            "A7,Pothole,Public Works,2015-03-05 09:00,,,LOST,Call,,,",
            "A8,Pothole,Public Works,2015-03-05 09:00,,,DONE,Call,,,",
            "A9,Pothole,Public Works,2015-03-05 09:00,2015-03-01 09:00,,DONE,Call,,,",
        ],
    )
    report = import_file(path, load_mapping(str(mapping_file)))
    assert (report.rows, report.imported, report.already) == (9, 3, 0)
    assert dict(report.skipped) == {
        "no case id": 1,
        "no service type": 1,
        "no readable opened date": 1,
        "status 'LOST' is not in the mapping": 1,
        "closed without a readable closed date": 1,
        "closed before it was opened": 1,
    }
    assert report.examples["no case id"] == [5]  # the file's own line number
    a1 = ServiceRequest.objects.get(external_id="testcity:A1")
    assert (a1.status, a1.channel, a1.zipcode, a1.lat) == (Status.CLOSED, "phone", "02115", 42.36)
    assert a1.requested_at.isoformat() == "2015-03-02T14:00:00+00:00"  # 9 am in Boston
    assert a1.tracking_number.startswith("15-")
    assert list(a1.events.values_list("kind", flat=True)) == ["submitted", "closed"]
    a2 = ServiceRequest.objects.get(external_id="testcity:A2")
    assert (a2.lat, a2.long, a2.channel) == (None, None, "import")  # placeholder dropped, unknown channel
    assert ServiceRequest.objects.get(external_id="testcity:A3").status == Status.DUPLICATE
    pothole = ServiceType.objects.get(name="Pothole")
    assert (pothole.is_active, pothole.target_hours, pothole.department.name) == (False, 48, "Public Works")
    assert Department.objects.get(name="Parks").is_active is False


def test_importing_again_changes_nothing(tmp_path, mapping_file):
    path = write_csv(tmp_path, [f"B{i},Pothole,Public Works,2015-03-02 09:00,,,OPEN,Call,,," for i in range(5)])
    mapping = load_mapping(str(mapping_file))
    assert import_file(path, mapping, batch_size=2).imported == 5
    again = import_file(path, mapping, batch_size=2)
    assert (again.imported, again.already) == (0, 5)
    assert ServiceRequest.objects.count() == 5
    assert ServiceRequestEvent.objects.count() == 5


def test_an_import_stopped_by_a_bad_byte_resumes_on_a_rerun(tmp_path, mapping_file):
    good = [f"C{i},Pothole,Public Works,2015-03-02 09:00,,,OPEN,Call,,," for i in range(600)]
    bad = "C999,Caf\xe9 permit,City Clerk,2015-03-02 09:00,,,OPEN,Call,,,"
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\n".join([*good[:400], bad, *good[400:]]) + "\n").encode("latin-1"))
    with pytest.raises(CommandError, match="not utf-8-sig text"):
        call_command("import_history", str(path), format=str(mapping_file), batch_size=50, no_progress=True)
    done = ServiceRequest.objects.count()
    assert 0 < done <= 400 and done % 50 == 0  # whole batches before the bad byte, nothing half-written
    call_command("import_history", str(path), format=str(mapping_file), encoding="latin-1", no_progress=True)
    assert ServiceRequest.objects.count() == 601
    assert ServiceType.objects.filter(name="Café permit").exists()


@pytest.mark.parametrize(
    ("mapping_text", "message"),
    [
        ("name = 'x'\nsource = 'x'\ntime_zone = 'UTC'\n[columns]\ncase_id = 'id'\n[status]\nA = 'closed'",
         "columns.service_type is required"),
        (MAPPING.replace('DUP = "duplicate"', 'DUP = "gone"'), "status 'DUP' maps to 'gone', not a status"),
        (MAPPING.replace('Call = "phone"', 'Call = "pigeon"'), "channel 'Call' maps to 'pigeon'"),
        (MAPPING.replace("America/New_York", "Nowhere/City"), "not an IANA time zone"),
        (MAPPING.replace('source = "testcity"', 'source = "Test City!"'), "must be a short lowercase name"),
        (MAPPING.replace('lat = "lat"', 'latitude = "lat"'), "columns.latitude is not a known field"),
        ("this is = = not toml", "not valid TOML"),
    ],
)  # fmt: skip
def test_a_mapping_that_cannot_work_is_refused_before_anything_is_read(tmp_path, mapping_text, message):
    path = tmp_path / "bad.toml"
    path.write_text(mapping_text)
    with pytest.raises(MappingError, match=message):
        load_mapping(str(path))


def test_a_file_without_the_mapped_columns_writes_nothing(tmp_path, mapping_file):
    path = tmp_path / "other.csv"
    path.write_text("case,kind\n1,Pothole\n")
    with pytest.raises(CommandError, match="Nothing was imported: the file has no column 'id'"):
        call_command("import_history", str(path), format=str(mapping_file), no_progress=True)
    with pytest.raises(CommandError, match="neither a shipped format"):
        call_command("import_history", str(path), format="atlantis", no_progress=True)
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_history", str(tmp_path / "missing.csv"), format="baltimore", no_progress=True)
    assert ServiceRequest.objects.count() == 0
    assert ServiceType.objects.count() == 0


# --- the real exports ---------------------------------------------------------------------------


@pytest.fixture
def data_311(shared_data):
    folder = shared_data / "311"
    if not folder.is_dir():
        pytest.skip("shared/data/311 is absent")
    return folder


def test_the_baltimore_sample_imports_whole(data_311, capsys):
    call_command("import_history", str(data_311 / "baltimore_sample.csv.gz"), format="baltimore", no_progress=True)
    out = capsys.readouterr().out
    assert "read 10,000 rows; imported 10,000, already on file 0, skipped 0" in out
    assert ServiceRequest.objects.filter(status=Status.DUPLICATE).count() == 207
    assert ServiceRequest.objects.filter(status=Status.REFERRED).count() == 18
    assert not ServiceRequest.objects.filter(lat=39.0, long=-77.0).exists()  # degree-only placeholders dropped
    assert ServiceType.objects.count() == 231
    # Baltimore's due date is a fixed offset per type: it became the standard of each of the 198 types
    # whose rows carry a due date after opening (the other 33 never do).
    assert ServiceType.objects.exclude(target_hours=None).count() == 198


def test_boston_2015_imports_with_placeholders_and_channels_mapped(data_311, tmp_path, client):
    sample = tmp_path / "boston-head.csv.gz"
    with gzip.open(data_311 / "boston_2015.csv.gz", "rt", newline="") as src, gzip.open(sample, "wt") as dst:
        dst.writelines(itertools.islice(src, 3001))
    report = import_file(sample, load_mapping("boston-2015"))
    assert report.rows == 3000
    assert report.imported + sum(report.skipped.values()) == 3000
    assert not ServiceRequest.objects.filter(lat=42.3594, long=-71.0587).exists()
    channels = set(ServiceRequest.objects.values_list("channel", flat=True))
    assert channels <= {"phone", "mobile", "web", "import"}
    assert all(len(z) == 5 for z in ServiceRequest.objects.exclude(zipcode="").values_list("zipcode", flat=True))
    sr = ServiceRequest.objects.exclude(closed_at=None).first()
    [doc] = client.get(f"/open311/v2/requests/{sr.tracking_number}.json", {"extensions": "true"}).json()
    assert doc["status"] == "closed"
    assert doc["requested_datetime"].startswith("2015-")
    assert [n["type"] for n in doc["notes"]] == ["opened", "closed"]


def test_rows_that_would_name_the_catalog_with_markup_are_skipped(tmp_path, mapping_file):
    path = write_csv(tmp_path, [
        'M1,"<img src=x onerror=alert(1)>Pothole",Public Works,2015-03-02 09:00,,,OPEN,Call,,,',
        'M2,Pothole,"Public <script>Works</script>",2015-03-02 09:00,,,OPEN,Call,,,',
        "M3,Trees < 2 ft,Parks,2015-03-02 09:00,,,OPEN,Call,,,",  # a lone '<' is plain text
    ])  # fmt: skip
    report = import_file(path, load_mapping(str(mapping_file)))
    assert report.imported == 1
    assert dict(report.skipped) == {"markup or control characters in a service type, group or department name": 2}
    assert list(ServiceType.objects.values_list("name", flat=True)) == ["Trees < 2 ft"]
    assert list(Department.objects.values_list("name", flat=True)) == ["Parks"]

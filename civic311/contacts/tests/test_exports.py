"""The call statistics CSV is safe to open in a spreadsheet whatever names it carries."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from civic311.catalog.tests.factories import DepartmentFactory
from civic311.contacts import actions

pytestmark = pytest.mark.django_db


def test_the_call_statistics_csv_writes_formula_like_names_as_text(client, django_user_model, roles):
    csr = django_user_model.objects.create_user("@SUM(1+1)*cmd")  # '@' is allowed in user names
    clerk = DepartmentFactory(name="-2+3 Clerk", slug="clerk")
    contact = actions.start(csr, caller_phone="6175550001")
    actions.transfer(contact, clerk)
    actions.wrap_up(contact)
    boss = django_user_model.objects.create_user("sam.boss")
    boss.groups.add(Group.objects.get(name="Supervisor"))
    client.force_login(boss)
    export = client.get(reverse("console:stats"), {"format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert (row["csr"], row["transferred_to"]) == ("'@SUM(1+1)*cmd", "'-2+3 Clerk")
    assert int(row["handle_seconds"]) >= 0

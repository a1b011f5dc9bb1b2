"""Catalog names are plain text: the admin and the catalog importer refuse markup in them."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from civic311.catalog.models import AttributeValue, Crew, Department, ServiceType
from civic311.catalog.tests.factories import AttributeFactory, ServiceTypeFactory

pytestmark = pytest.mark.django_db

MARKUP = ['<img src=x onerror="alert(1)">Pothole', "Pothole</td><script>alert(1)</script>", "<!-- x -->Pothole",
          "Pothole <b>now</b>", "< svg/onload=alert(1)>", "Pothole\x00"]  # fmt: skip


@pytest.fixture
def admin_client_(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ada.admin", "a@example.org", "pw"))
    return client


@pytest.mark.parametrize("name", MARKUP)
def test_service_and_department_names_with_markup_are_refused(name):
    for model, field in [(ServiceType, "name"), (ServiceType, "name_es"), (ServiceType, "group"),
                         (ServiceType, "group_es"), (Department, "name"), (Crew, "name"),
                         (AttributeValue, "name"), (AttributeValue, "name_es")]:  # fmt: skip
        with pytest.raises(ValidationError, match="Write plain text"):
            model._meta.get_field(field).run_validators(name)


@pytest.mark.parametrize("name", ["Trees < 2 ft", "Pot-holes & sinkholes", "Baches (calles)", "Señales: 5 > 3"])
def test_ordinary_names_pass(name):
    ServiceType._meta.get_field("name").run_validators(name)


def test_the_admin_refuses_a_service_name_with_markup(admin_client_):
    st = ServiceTypeFactory(service_code="POTHOLE", name="Pothole")
    url = reverse("admin:catalog_servicetype_change", args=[st.pk])
    form = {"service_code": "POTHOLE", "name": '<img src=x onerror="alert(1)">Pothole', "department": st.department_id,
            "kind": "realtime", "standard_basis": "calendar", "warning_percent": "75", "duplicate_radius_m": "50",
            "duplicate_window_days": "30", "is_active": "on",
            "attributes-TOTAL_FORMS": "0", "attributes-INITIAL_FORMS": "0", "attributes-MIN_NUM_FORMS": "0",
            "attributes-MAX_NUM_FORMS": "1000"}  # fmt: skip
    response = admin_client_.post(url, form)
    assert response.status_code == 200 and "HTML markup such as &lt;b&gt;" in response.content.decode()
    st.refresh_from_db()
    assert st.name == "Pothole"
    assert admin_client_.post(url, {**form, "name": "Pothole < 2 ft"}).status_code == 302


def test_the_admin_refuses_a_department_name_with_markup(admin_client_):
    response = admin_client_.post(reverse("admin:catalog_department_add"),
                                  {"name": "<script>alert(1)</script>", "slug": "dpw"})  # fmt: skip
    assert response.status_code == 200 and not Department.objects.exists()


def test_the_admin_refuses_an_answer_name_with_markup(admin_client_):
    attr = AttributeFactory(datatype="singlevaluelist")
    url = reverse("admin:catalog_attribute_change", args=[attr.pk])
    form = {"service_type": attr.service_type.pk, "code": attr.code, "variable": "on", "datatype": "singlevaluelist",
            "description": "Pick one", "order": "1", "values-TOTAL_FORMS": "1", "values-INITIAL_FORMS": "0",
            "values-MIN_NUM_FORMS": "0", "values-MAX_NUM_FORMS": "1000", "values-0-key": "y",
            "values-0-name": "<b>Yes</b>", "values-0-order": "1"}  # fmt: skip
    assert admin_client_.post(url, form).status_code == 200
    assert not attr.values.exists()


@pytest.mark.parametrize(
    ("document", "definition", "message"),
    [
        ([{"service_code": "POTHOLE", "service_name": "<img src=x onerror=alert(1)>Pothole"}], None,
         "service POTHOLE: name: Write plain text"),
        ([{"service_code": "POTHOLE", "service_name": "Pothole", "group": "<b>Streets</b>"}], None,
         "service POTHOLE: group: Write plain text"),
        ([{"service_code": "POTHOLE", "service_name": "Pothole"}],
         {"service_code": "POTHOLE", "attributes": [{"code": "size", "datatype": "singlevaluelist", "variable": True,
                                                     "description": "Size?", "values": [
                                                         {"key": "s", "name": "<script>alert(1)</script>"}]}]},
         "service POTHOLE attribute size value s: name: Write plain text"),
    ],
)  # fmt: skip
def test_the_catalog_importer_refuses_markup_in_names_and_writes_nothing(tmp_path, document, definition, message):
    services = tmp_path / "services.json"
    services.write_text(json.dumps(document))
    definitions = []
    if definition is not None:
        definitions.append(tmp_path / "definition.json")
        definitions[0].write_text(json.dumps(definition))
    with pytest.raises(CommandError, match=message):
        call_command("import_services", str(services), definition=definitions, department="DPW")
    assert not ServiceType.objects.exists() and not Department.objects.exists()


def test_the_catalog_importer_refuses_a_department_name_with_markup(tmp_path):
    services = tmp_path / "services.json"
    services.write_text(json.dumps([{"service_code": "POTHOLE", "service_name": "Pothole"}]))
    with pytest.raises(CommandError, match=r"department .*: name: Write plain text"):
        call_command("import_services", str(services), department="<i>DPW</i>")

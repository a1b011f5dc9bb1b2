import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civic311.catalog.models import Attribute, BusinessCalendar, Crew, Department, ResolutionCode, ServiceType
from civic311.catalog.sample import load_catalog
from civic311.catalog.tests.factories import AttributeFactory, ServiceTypeFactory

pytestmark = pytest.mark.django_db


def test_the_sample_catalog_has_a_new_england_citys_departments_and_services():
    assert load_catalog() == (7, 31)
    names = set(Department.objects.values_list("name", flat=True))
    assert {"Public Works", "Parks and Recreation", "Inspectional Services", "Police Ordinance Squad", "City Clerk",
            "Collector/Treasurer"} <= names  # fmt: skip
    assert ServiceType.objects.get(service_code="POTHOLE").target_hours == 48
    for code in ("STREETLIGHT", "MISSED-TRASH", "ABANDONED-VEHICLE", "ABANDONED-BUILDING", "TREE-DOWN", "GRAFFITI",
                 "SNOW-SIDEWALK"):  # fmt: skip
        assert ServiceType.objects.filter(service_code=code).exists()
    for attribute in Attribute.objects.all():
        attribute.full_clean()
        assert attribute.values.exists() == attribute.is_list
    assert ServiceType.objects.get(service_code="CERTIFICATE-REQUEST").standard_basis == "business"
    assert ResolutionCode.objects.filter(code="REPAIRED").exists()
    assert Crew.objects.filter(department__slug="public-works").count() == 5
    assert BusinessCalendar.objects.get(is_default=True).subdivision == "MA"
    assert load_catalog() == (7, 31)  # idempotent
    assert ServiceType.objects.count() == 31


@pytest.mark.parametrize("code", ["has space", "a/b", "", "-leading", "x" * 65, "ünï"])
def test_service_codes_stay_url_safe(code):
    st = ServiceTypeFactory.build(service_code=code, department=Department(name="D", slug="d"))
    with pytest.raises(ValidationError) as caught:
        st.full_clean(exclude=["department"])
    assert "service_code" in caught.value.message_dict


def test_an_informational_attribute_cannot_be_required():
    attr = AttributeFactory.build(service_type=ServiceTypeFactory(), variable=False, required=True)
    with pytest.raises(ValidationError, match="cannot be required"):
        attr.full_clean()


@pytest.fixture
def admin_client_(client, django_user_model):
    admin = django_user_model.objects.create_superuser("ada.admin", "a@example.org", "pw")
    client.force_login(admin)
    return client


def _value_formset(prefix="values", rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, (key, name) in enumerate(rows):
        data.update({f"{prefix}-{i}-key": key, f"{prefix}-{i}-name": name, f"{prefix}-{i}-order": str(i + 1)})
    return data


def test_the_admin_refuses_a_list_question_without_answers(admin_client_):
    st = ServiceTypeFactory()
    attr = AttributeFactory(service_type=st, datatype="string")
    url = reverse("admin:catalog_attribute_change", args=[attr.pk])
    form = {"service_type": st.pk, "code": attr.code, "variable": "on", "datatype": "singlevaluelist",
            "description": "Pick one", "order": "1"}  # fmt: skip
    response = admin_client_.post(url, {**form, **_value_formset()})
    assert response.status_code == 200
    assert "A list question needs at least one allowed answer." in response.content.decode()
    attr.refresh_from_db()
    assert attr.datatype == "string"
    response = admin_client_.post(url, {**form, **_value_formset(rows=[("y", "Yes"), ("n", "No")])})
    assert response.status_code == 302
    assert list(attr.values.values_list("key", flat=True)) == ["y", "n"]


def test_the_admin_refuses_answers_on_a_free_text_question(admin_client_):
    attr = AttributeFactory(datatype="string")
    url = reverse("admin:catalog_attribute_change", args=[attr.pk])
    form = {"service_type": attr.service_type.pk, "code": attr.code, "variable": "on", "datatype": "number",
            "description": "How many?", "order": "1"}  # fmt: skip
    response = admin_client_.post(url, {**form, **_value_formset(rows=[("1", "One")])})
    assert "takes no list of answers" in response.content.decode()


def test_staff_edit_a_service_in_the_admin(admin_client_):
    st = ServiceTypeFactory(service_code="GRAFFITI", target_hours=72)
    url = reverse("admin:catalog_servicetype_change", args=[st.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200
    assert admin_client_.get(reverse("admin:catalog_servicetype_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:service_requests_servicerequest_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:open311_application_changelist")).status_code == 200

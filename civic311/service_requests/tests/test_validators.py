import pytest

from civic311.service_requests.tests.factories import file_request
from civic311.service_requests.validators import SubmissionInput, SubmissionInvalid, validate_submission

pytestmark = pytest.mark.django_db


def errors_for(service_type, **fields):
    with pytest.raises(SubmissionInvalid) as caught:
        validate_submission(service_type, SubmissionInput(**fields))
    return {e.field: e.message for e in caught.value.errors}


def test_an_address_alone_is_a_location(pothole):
    clean = validate_submission(pothole, SubmissionInput(address_string="12 Main St", attributes={"size": ["small"]}))
    assert (clean.lat, clean.long, clean.address) == (None, None, "12 Main St")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "lat", "a location is required"),
        ({"lat": "42.1"}, "long", "required when the other coordinate"),
        ({"lat": "91", "long": "0"}, "lat", "out of range"),
        ({"lat": "0", "long": "-180.5"}, "long", "out of range"),
        ({"lat": "nan", "long": "0"}, "lat", "out of range"),
        ({"lat": "north", "long": "0"}, "lat", "not a number"),
        ({"address_string": "x", "description": "d" * 4001}, "description", "4001 characters long; the limit is 4000"),
        ({"address_string": "x", "description": "<b>bold</b>"}, "description", "HTML"),
        ({"address_string": "x", "description": "nul\x00byte"}, "description", "control characters"),
        ({"address_string": "x", "email": "not-an-email"}, "email", "not a valid email"),
        ({"address_string": "x", "phone": "call me maybe"}, "phone", "digits"),
        ({"address_string": "x", "media_url": "javascript:alert(1)"}, "media_url", "http(s) URL"),
        ({"address_string": "x", "first_name": "n" * 101}, "first_name", "limit is 100"),
    ],
)
def test_each_bad_field_gets_a_precise_message(pothole, fields, field, message):
    fields.setdefault("attributes", {"size": ["small"]})
    assert message in errors_for(pothole, **fields)[field]


def test_plain_text_with_a_less_than_sign_is_not_html(pothole):
    clean = validate_submission(
        pothole, SubmissionInput(address_string="x", description="depth < 5 cm", attributes={"size": ["small"]})
    )
    assert clean.description == "depth < 5 cm"


def test_questions_are_checked_against_the_definition(bulk_item):
    found = errors_for(
        bulk_item,
        address_string="x",
        attributes={"items": ["piano"], "count": ["three"], "seen_at": ["yesterday"], "colour": ["red"]},
    )
    assert "'piano' is not one of the allowed values: fridge, mattress, sofa" in found["attribute[items]"]
    assert "not a number" in found["attribute[count]"]
    assert "ISO 8601" in found["attribute[seen_at]"]
    assert "is not a question of service BULK" in found["attribute[colour]"]
    assert "is required" in errors_for(bulk_item, address_string="x")["attribute[items]"]


def test_a_single_value_question_takes_one_value(pothole):
    assert (
        "takes one value"
        in errors_for(pothole, address_string="x", attributes={"size": ["small", "large"]})["attribute[size]"]
    )


def test_answers_are_normalised(bulk_item):
    clean = validate_submission(
        bulk_item,
        SubmissionInput(
            address_string="x",
            attributes={"items": ["sofa"], "count": ["2.50"], "seen_at": ["2026-11-01T08:00:00-05:00"], "info": ["x"]},
        ),
    )
    assert clean.attributes == {"items": ["sofa"], "count": "2.50", "seen_at": "2026-11-01T08:00:00-05:00"}


def test_an_inactive_service_takes_no_new_requests(pothole):
    file_request(pothole)
    pothole.is_active = False
    pothole.save()
    assert (
        "no longer offered" in errors_for(pothole, address_string="x", attributes={"size": ["small"]})["service_code"]
    )

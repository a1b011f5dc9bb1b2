"""Validation of a new request, shared by every entry point (Open311, console, portal, importers).

Each problem is a ``FieldError`` naming the input it concerns, so the Open311 API can answer with
the parameter name (``attribute[ISTHEPO1]``) and forms can put the message beside the field.
Nothing is written until every check has passed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from civic311.catalog.localization import localized
from civic311.catalog.models import Attribute, ServiceType
from civic311.lib.phones import sms_number
from civic311.lib.plain_text import CONTROL_RE, HTML_RE  # text fields are plain text, shown to staff and residents

DESCRIPTION_MAX = 4000  # the Open311 spec's limit
STRING_MAX = 255
TEXT_MAX = 4000
NAME_MAX = 100
PHONE_RE = re.compile(r"^[0-9+()\-. x#*]{3,40}$")
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class FieldError:
    """One problem with one input. Messages are in the active language (the resident's on the
    portal; English for the API unless its client asks otherwise)."""

    field: str
    message: str
    code: str = ""  # a stable name for problems a form words its own way (e.g. "location_required")

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class SubmissionInvalid(Exception):
    """Raised with every problem found, so the caller can report them all at once."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class SubmissionInput:
    """What a reporter sends, as raw strings; the attribute answers by code, each a list of values."""

    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    zipcode: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""
    sms_updates: bool = False  # text the reporter at ``phone`` as the request changes
    attributes: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class CleanSubmission:
    lat: float | None
    long: float | None
    address: str
    address_id: str
    zipcode: str
    email: str
    device_id: str
    account_id: str
    first_name: str
    last_name: str
    phone: str
    description: str
    media_url: str
    attributes: dict[str, str | list[str]]
    sms_updates: bool = False


def check_plain_text(name: str, value: str, max_length: int, errors: list[FieldError]) -> str:
    """Strip and check a free-text value; returns it cleaned (appending any problem to errors)."""
    value = value.strip()
    if len(value) > max_length:
        message = _("is %(length)s characters long; the limit is %(limit)s.") % {
            "length": len(value), "limit": max_length}  # fmt: skip
        errors.append(FieldError(name, message))
    elif CONTROL_RE.search(value):
        errors.append(FieldError(name, _("contains control characters; send plain text.")))
    elif HTML_RE.search(value):
        errors.append(FieldError(name, _("contains HTML markup; send plain text without tags.")))
    return value


def check_email(name: str, value: str, errors: list[FieldError]) -> str:
    """Strip and check an email address (empty is fine); returns it cleaned."""
    value = value.strip()
    if value:
        try:
            _email(value)
        except ValidationError:
            errors.append(FieldError(name, _("%(value)r is not a valid email address.") % {"value": value[:80]}))
    return value


def check_phone(name: str, value: str, errors: list[FieldError]) -> str:
    """Strip and check a phone number (empty is fine); returns it cleaned."""
    value = value.strip()
    if value and not PHONE_RE.match(value):
        errors.append(FieldError(name, _("use digits and + ( ) - . x only, 3 to 40 characters.")))
    return value


def _coordinate(name: str, raw: str, limit: float, errors: list[FieldError]) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        errors.append(FieldError(name, _("%(value)r is not a number (decimal degrees, WGS84).") % {"value": raw[:40]}))
        return None
    if not math.isfinite(value) or not -limit <= value <= limit:
        errors.append(FieldError(name, _("%(value)s is out of range (-%(limit)g to %(limit)g).") % {
            "value": raw[:40], "limit": limit}))  # fmt: skip
        return None
    return value


def validate_location(
    data: SubmissionInput, errors: list[FieldError], *, required: bool = True
) -> tuple[float | None, float | None]:
    """The point, checked. A place is required unless the service has none (``needs_location``
    off: a tax question); coordinates that are given are checked either way."""
    lat_raw, long_raw = data.lat.strip(), data.long.strip()
    if bool(lat_raw) != bool(long_raw):
        missing = "long" if lat_raw else "lat"
        errors.append(FieldError(missing, _("is required when the other coordinate is given.")))
        return None, None
    if required and not lat_raw and not data.address_string.strip() and not data.address_id.strip():
        message = _("a location is required: lat and long, address_string, or address_id.")
        errors.append(FieldError("lat", message, code="location_required"))
        return None, None
    if not lat_raw:
        return None, None
    return _coordinate("lat", lat_raw, 90, errors), _coordinate("long", long_raw, 180, errors)


def validate_answer(attribute: Attribute, values: list[str], errors: list[FieldError]) -> str | list[str] | None:
    """The cleaned answer to one question, or None when unanswered."""
    name = f"attribute[{attribute.code}]"
    values = [v.strip() for v in values if v.strip()]
    if not values:
        if attribute.required:
            errors.append(FieldError(name, _("is required: %(question)s") % {
                "question": localized(attribute, "description")}))  # fmt: skip
        return None
    if attribute.datatype != Attribute.Datatype.MULTIVALUELIST and len(values) > 1:
        errors.append(FieldError(name, _("takes one value, but several were sent.")))
        return None
    if attribute.is_list:
        allowed = {v.key for v in attribute.values.all()}
        wrong = [v for v in values if v not in allowed]
        if wrong:
            message = _("%(value)r is not one of the allowed values: %(allowed)s.") % {
                "value": wrong[0][:60], "allowed": ", ".join(sorted(allowed))}  # fmt: skip
            errors.append(FieldError(name, message))
            return None
        if attribute.datatype == Attribute.Datatype.MULTIVALUELIST:
            return list(dict.fromkeys(values))
        return values[0]
    value = values[0]
    if attribute.datatype == Attribute.Datatype.NUMBER:
        try:
            number = Decimal(value)
        except InvalidOperation:
            errors.append(FieldError(name, _("%(value)r is not a number.") % {"value": value[:40]}))
            return None
        if not number.is_finite():
            errors.append(FieldError(name, _("%(value)r is not a finite number.") % {"value": value[:40]}))
            return None
        return str(number)
    if attribute.datatype == Attribute.Datatype.DATETIME:
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            errors.append(FieldError(name, _("%(value)r is not a date and time (ISO 8601).") % {"value": value[:40]}))
            return None
        return parsed.isoformat()
    limit = TEXT_MAX if attribute.datatype == Attribute.Datatype.TEXT else STRING_MAX
    return check_plain_text(name, value, limit, errors)


def validate_submission(service_type: ServiceType, data: SubmissionInput) -> CleanSubmission:
    """Check a new request against its service's definition; raise SubmissionInvalid listing every problem."""
    errors: list[FieldError] = []
    if not service_type.is_active:
        errors.append(
            FieldError("service_code", _("%(code)s is no longer offered.") % {"code": service_type.service_code})
        )
    lat, long = validate_location(data, errors, required=service_type.needs_location)
    description = check_plain_text("description", data.description, DESCRIPTION_MAX, errors)
    address = check_plain_text("address_string", data.address_string, 255, errors)
    address_id = check_plain_text("address_id", data.address_id, 100, errors)
    zipcode = check_plain_text("zipcode", data.zipcode, 20, errors)
    first_name = check_plain_text("first_name", data.first_name, NAME_MAX, errors)
    last_name = check_plain_text("last_name", data.last_name, NAME_MAX, errors)
    device_id = check_plain_text("device_id", data.device_id, 100, errors)
    account_id = check_plain_text("account_id", data.account_id, 100, errors)

    email = check_email("email", data.email, errors)
    phone = check_phone("phone", data.phone, errors)
    if data.sms_updates and not phone:
        errors.append(FieldError("phone", _("is required for text message updates.")))
    elif data.sms_updates and "phone" not in {e.field for e in errors} and not sms_number(phone):
        errors.append(
            FieldError(
                "phone",
                _("%(value)s is not a number that can receive text messages; give the full number with its area code.")
                % {"value": phone},
            )
        )
    if service_type.promises_callback and not email and not phone:
        message = _("a phone number or an email is required: this service calls or writes back.")
        errors.append(FieldError("phone", message, code="contact_required"))
    media_url = data.media_url.strip()
    if media_url:
        try:
            if len(media_url) > 1000:
                raise ValidationError("too long")
            _url(media_url)
        except ValidationError:
            errors.append(FieldError("media_url", _("is not a valid http(s) URL of at most 1000 characters.")))

    questions = {a.code: a for a in service_type.attributes.all() if a.variable}
    informational = {a.code for a in service_type.attributes.all() if not a.variable}
    for code in data.attributes:
        if code not in questions and code not in informational:
            errors.append(
                FieldError(
                    f"attribute[{code[:64]}]",
                    _("is not a question of service %(code)s.") % {"code": service_type.service_code},
                )
            )
    answers: dict[str, str | list[str]] = {}
    for code, attribute in questions.items():
        answer = validate_answer(attribute, data.attributes.get(code, []), errors)
        if answer is not None:
            answers[code] = answer

    if errors:
        raise SubmissionInvalid(errors)
    return CleanSubmission(
        lat=lat,
        long=long,
        address=address,
        address_id=address_id,
        zipcode=zipcode,
        email=email,
        device_id=device_id,
        account_id=account_id,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        description=description,
        media_url=media_url,
        attributes=answers,
        sms_updates=data.sms_updates,
    )

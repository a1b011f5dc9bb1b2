"""Phone numbers: as the same caller's key however they were typed, and as the E.164 number a text is sent to."""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings


def phone_digits(phone: str) -> str:
    """The digits that identify a phone line: '(617) 555-0123', '+1 617 555 0123' → '6175550123'.

    A North American number keeps its ten digits (a leading country code 1 is dropped); others keep
    every digit, so the same caller is found however the number was typed.
    """
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits[:20]


def sms_number(phone: str, region: str | None = None) -> str:
    """The number in E.164 ('+16175550123'), the only form SMS providers accept, or '' if it is no valid number.

    Residents type numbers as they say them ('617-555-0123', '(617) 555 0123'): a number without a country code
    is read in the city's region (CIVIC311_PHONE_REGION, 'US' by default); one with '+' or the region's
    international prefix keeps its own country. An extension ('x12') cannot receive texts and is dropped.
    """
    try:
        parsed = phonenumbers.parse(phone or "", region or settings.CIVIC311_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    parsed.extension = None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

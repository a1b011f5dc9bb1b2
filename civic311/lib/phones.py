"""Phone numbers as the same caller's key, however they were typed."""

from __future__ import annotations

import re


def phone_digits(phone: str) -> str:
    """The digits that identify a phone line: '(617) 555-0123', '+1 617 555 0123' → '6175550123'.

    A North American number keeps its ten digits (a leading country code 1 is dropped); others keep
    every digit, so the same caller is found however the number was typed.
    """
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits[:20]

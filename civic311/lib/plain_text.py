"""What counts as plain text: no tag-like markup and no control characters.

One definition for what residents write (``service_requests.validators``) and for the catalog's
names (model field validators, so the admin's forms and every importer's ``full_clean`` refuse
them). Names reach pages, emails, maps and spreadsheets; each of those escapes them, and none has
to trust that it does.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# What an HTML parser would read as a tag, comment or declaration: '<x', '</x' (spaces allowed, to
# be safe), '<!' or '<?'. A lone '<' (as in "< 2 ft") is plain text.
HTML_RE = re.compile(r"<\s*/?\s*[A-Za-z]|<[!?]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@deconstructible
class PlainText:
    """A model field validator: refuses markup and control characters. (A class, so migrations name
    it rather than copy its patterns.)"""

    def __call__(self, value: str) -> None:
        if HTML_RE.search(value):
            raise ValidationError(
                "Write plain text: HTML markup such as <b> or <script> is not allowed.", code="markup"
            )
        if CONTROL_RE.search(value):
            raise ValidationError("Write plain text: control characters are not allowed.", code="control")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainText)

    def __hash__(self) -> int:
        return hash(PlainText)


PLAIN_NAME = [PlainText()]

"""The request form of the console and the portal, built from the service type's definition.

The form only gathers raw strings: every check is ``validators.validate_submission`` (through
``actions.submit``), the same as the Open311 API, and its errors are put back beside the fields
they name, with what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from civic311.catalog.localization import localized
from civic311.catalog.models import Attribute, ServiceType
from civic311.service_requests.validators import SubmissionInput, SubmissionInvalid

# Open311 parameter names (as FieldError names them) → the form's own field names.
BASIC_FIELDS = ["address_string", "lat", "long", "description", "first_name", "last_name", "email", "phone"]
PLACE_FIELDS = ["address_string", "lat", "long"]


def attribute_field_name(code: str) -> str:
    return f"attr_{code}"


def _question_field(attribute: Attribute, language: str) -> forms.Field:
    label = localized(attribute, "description", language)
    values = [(v.key, localized(v, "name", language)) for v in attribute.values.all()]
    kind = Attribute.Datatype
    field: forms.Field
    if attribute.datatype == kind.SINGLEVALUELIST:
        field = forms.ChoiceField(choices=[("", "—"), *values], required=False, label=label)
    elif attribute.datatype == kind.MULTIVALUELIST:
        field = forms.MultipleChoiceField(
            choices=values, required=False, label=label, widget=forms.CheckboxSelectMultiple
        )
    elif attribute.datatype == kind.TEXT:
        field = forms.CharField(required=False, label=label, widget=forms.Textarea(attrs={"rows": 3}))
    elif attribute.datatype == kind.NUMBER:
        field = forms.CharField(required=False, label=label, widget=forms.NumberInput(attrs={"step": "any"}))
    elif attribute.datatype == kind.DATETIME:
        field = forms.CharField(
            required=False, label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
        )
    else:
        field = forms.CharField(required=False, label=label)
    field.widget.attrs["aria-required"] = "true" if attribute.required else "false"
    field.is_required_question = attribute.required  # type: ignore[union-attr]
    return field


class RequestForm(forms.Form):
    """Where, what, and who: the questions of ``service_type`` come between the place and the reporter."""

    address_string = forms.CharField(label=_("Address"), required=False, max_length=255)
    lat = forms.CharField(label=_("Latitude"), required=False, max_length=40)
    long = forms.CharField(label=_("Longitude"), required=False, max_length=40)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    def __init__(self, *args: Any, service_type: ServiceType, language: str = "en", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.service_type = service_type
        if not service_type.needs_location:  # a tax question has no "where is it?"
            for name in PLACE_FIELDS:
                del self.fields[name]
        if not service_type.is_private:
            self.fields["description"].help_text = _(
                "Shown publicly with the request: leave out names, account and bill numbers."
            )
        self.attributes = [a for a in service_type.attributes.all() if a.variable]
        self.notices = [localized(a, "description", language) for a in service_type.attributes.all() if not a.variable]
        for attribute in self.attributes:
            self.fields[attribute_field_name(attribute.code)] = _question_field(attribute, language)

    def question_fields(self) -> list[forms.BoundField]:
        return [self[attribute_field_name(a.code)] for a in self.attributes]

    def place_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PLACE_FIELDS if name in self.fields]

    def reporter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("description", "first_name", "last_name", "phone", "email")]

    def to_input(self) -> SubmissionInput:
        """The raw answers, for validate_submission (call after is_valid())."""
        data = self.cleaned_data
        answers: dict[str, list[str]] = {}
        for attribute in self.attributes:
            value = data.get(attribute_field_name(attribute.code))
            values = value if isinstance(value, list) else [value or ""]
            answers[attribute.code] = [v for v in values if v]
        text = {name: str(data.get(name) or "") for name in BASIC_FIELDS}
        return SubmissionInput(
            address_string=text["address_string"], lat=text["lat"], long=text["long"],
            description=text["description"], first_name=text["first_name"], last_name=text["last_name"],
            email=text["email"], phone=text["phone"], attributes=answers,
        )  # fmt: skip

    def point(self) -> tuple[float, float] | None:
        """The place given as coordinates, when both are valid numbers in range (after is_valid());
        never for a service that asks no place."""
        try:
            lat, long = float(self.cleaned_data.get("lat") or ""), float(self.cleaned_data.get("long") or "")
        except ValueError:
            return None
        return (lat, long) if -90 <= lat <= 90 and -180 <= long <= 180 else None

    def add_submission_errors(self, invalid: SubmissionInvalid) -> None:
        """Put each problem the validator found beside the field it names."""
        for error in invalid.errors:
            if error.code == "location_required":
                self.add_error("address_string", _("Mark the place on the map, or type the address."))
                continue
            name = error.field
            if name.startswith("attribute[") and name.endswith("]"):
                name = attribute_field_name(name[len("attribute[") : -1])
            self.add_error(name if name in self.fields else None, error.message)

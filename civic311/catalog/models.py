"""The service catalog: departments, the services residents can request, and their questions.

Everything a city varies is a row here, edited by staff in the admin, so no city needs code of its own.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

# Codes appear in URLs (/services/{code}.json) and in attribute[CODE] form names, so they stay to
# characters that need no escaping in either place.
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
    "Use 1 to 64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit.",
)


class Department(models.Model):
    """A city department: who does the work, and the directory CSRs transfer callers to."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    hours = models.CharField(max_length=200, blank=True, help_text="e.g. Mon-Fri 8:30 am-4:30 pm")
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceType(models.Model):
    """One Open311 service: what a resident may request, who owns it and how fast it is due."""

    class Kind(models.TextChoices):
        REALTIME = "realtime", "realtime"
        BATCH = "batch", "batch"
        BLACKBOX = "blackbox", "blackbox"

    service_code = models.CharField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    group = models.CharField(max_length=100, blank=True)
    keywords = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated words residents use for this service.",
    )
    kind = models.CharField(
        "Open311 type",
        max_length=10,
        choices=Kind.choices,
        default=Kind.REALTIME,
        help_text="realtime: the request id is returned at once; batch/blackbox: a token is returned.",
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="service_types")
    target_hours = models.PositiveIntegerField(
        "performance standard (hours)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Calendar hours from request to expected completion, e.g. 48 for potholes. Empty: none.",
    )
    service_notice = models.CharField(
        max_length=500, blank=True, help_text="Told to the resident when a request is filed."
    )
    is_active = models.BooleanField(default=True, help_text="Inactive services keep their history.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.service_code})"

    @property
    def target_duration(self) -> timedelta | None:
        return timedelta(hours=self.target_hours) if self.target_hours else None


class Attribute(models.Model):
    """A question a service asks (an Open311 attribute), with one of the six Open311 datatypes."""

    class Datatype(models.TextChoices):
        STRING = "string", "string (one line)"
        NUMBER = "number", "number"
        DATETIME = "datetime", "date and time"
        TEXT = "text", "text (several lines)"
        SINGLEVALUELIST = "singlevaluelist", "choose one"
        MULTIVALUELIST = "multivaluelist", "choose any"

    LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})

    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(max_length=64, validators=[code_validator])
    variable = models.BooleanField(
        default=True, help_text="Off: an informational line shown to the resident, not a question."
    )
    datatype = models.CharField(max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(default=False)
    description = models.TextField(
        help_text="The question (or, when not variable, the information) the resident reads."
    )
    datatype_description = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["service_type", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service_type", "code"], name="attribute_code_unique_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.service_type.service_code}/{self.code}"

    @property
    def is_list(self) -> bool:
        return self.datatype in self.LIST_DATATYPES

    def clean(self) -> None:
        if self.required and not self.variable:
            raise ValidationError({"required": "An informational (non-variable) attribute cannot be required."})


class AttributeValue(models.Model):
    """One allowed answer of a list question."""

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["attribute", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="attribute_value_key_unique")]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"

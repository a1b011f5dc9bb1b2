"""The service catalog: departments, the services residents can request, and their questions.

Everything a city varies is a row here, edited by staff in the admin, so no city needs code of its own.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from civic311.lib.plain_text import PLAIN_NAME

# Codes appear in URLs (/services/{code}.json) and in attribute[CODE] form names, so they stay to
# characters that need no escaping in either place.
code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$",
    "Use 1 to 64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit.",
)


class Department(models.Model):
    """A city department: who does the work, and the directory CSRs transfer callers to."""

    name = models.CharField(max_length=200, unique=True, validators=PLAIN_NAME)
    slug = models.SlugField(max_length=80, unique=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    hours = models.CharField(max_length=200, blank=True, help_text="e.g. Mon-Fri 8:30 am-4:30 pm")
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="departments",
        help_text="Staff who work this department's queue (others need the 'all departments' permission).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


WEEKDAYS_RE = RegexValidator(r"^[0-6](,[0-6])*$", "Comma-separated weekday numbers, Monday = 0 … Sunday = 6.")


class BusinessCalendar(models.Model):
    """When the city works: opening hours on working days, less public holidays and closures.

    Holidays come from the ``holidays`` package for the country and subdivision (e.g. US, MA,
    which brings Patriots' Day); one-off closures (a snow day) are ClosedDay rows.
    """

    name = models.CharField(max_length=100, unique=True, validators=PLAIN_NAME)
    country = models.CharField(max_length=2, default="US", help_text="ISO country code for public holidays.")
    subdivision = models.CharField(max_length=10, blank=True, default="MA", help_text="State or province code.")
    workdays = models.CharField(max_length=13, default="0,1,2,3,4", validators=[WEEKDAYS_RE])
    opens = models.TimeField(default=time(8, 30))
    closes = models.TimeField(default=time(16, 30))
    is_default = models.BooleanField(default=False, help_text="Used by services that name no calendar.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_calendar"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opens >= self.closes:
            raise ValidationError({"closes": "Closing time must be after opening time."})
        try:
            import holidays

            holidays.country_holidays(self.country, subdiv=self.subdivision or None)
        except (NotImplementedError, KeyError) as error:
            raise ValidationError({"country": f"No holiday list for {self.country}/{self.subdivision}."}) from error

    @property
    def weekday_numbers(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.workdays.split(","))


class ClosedDay(models.Model):
    """A day the city is closed beyond the public holidays (a snow day, a local holiday)."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField()
    name = models.CharField(max_length=100, validators=PLAIN_NAME)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="closed_day_once")]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class Crew(models.Model):
    """A team in a department that requests and work orders are assigned to."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="crews")
    name = models.CharField(max_length=100, validators=PLAIN_NAME)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["department", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="crew_name_per_department")]

    def __str__(self) -> str:
        return f"{self.name} ({self.department})"


class ResolutionCode(models.Model):
    """How a request was resolved (repaired, no problem found, referred…): the city's own list."""

    code = models.CharField(max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(max_length=200, validators=PLAIN_NAME)
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
    name = models.CharField(max_length=200, validators=PLAIN_NAME)
    description = models.TextField(blank=True)
    group = models.CharField(max_length=100, blank=True, validators=PLAIN_NAME)
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

    class Basis(models.TextChoices):
        CALENDAR = "calendar", "calendar hours"
        BUSINESS = "business", "business hours"

    standard_basis = models.CharField(
        max_length=10,
        choices=Basis.choices,
        default=Basis.CALENDAR,
        help_text="Count the standard in calendar hours, or in the calendar's working hours.",
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="For business hours; empty means the default calendar.",
    )
    warning_percent = models.PositiveSmallIntegerField(
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Warn the department when this share of the standard has passed.",
    )
    escalation_email = models.EmailField(blank=True, help_text="Who hears of warnings and breaches.")
    duplicate_radius_m = models.PositiveIntegerField(
        "duplicate radius (m)",
        default=50,
        validators=[MaxValueValidator(5000)],
        help_text="Open requests of this type this close are offered as likely duplicates.",
    )
    duplicate_window_days = models.PositiveIntegerField(
        default=30, validators=[MaxValueValidator(365)], help_text="…if filed within this many days."
    )
    service_notice = models.CharField(
        max_length=500, blank=True, help_text="Told to the resident when a request is filed."
    )
    # Spanish, shown to residents and callers who choose it; empty falls back to the English above.
    name_es = models.CharField("name (Spanish)", max_length=200, blank=True, validators=PLAIN_NAME)
    group_es = models.CharField("group (Spanish)", max_length=100, blank=True, validators=PLAIN_NAME)
    service_notice_es = models.CharField("service notice (Spanish)", max_length=500, blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive services keep their history.")
    # Access and privacy: what of this service's requests the public may see, and what intake asks.
    is_private = models.BooleanField(
        "private",
        default=False,
        help_text="Private (a tax bill, a vital record): its requests never appear in public lists, maps, Open311 "
        "searches or exports; their track page shows only the status.",
    )
    private_readable_by_application = models.BooleanField(
        "reporting application may read its requests",
        default=False,
        help_text="For a private service: the Open311 application that filed a request may read it back with its "
        "own api_key.",
    )
    needs_location = models.BooleanField(
        "asks where",
        default=True,
        help_text="Off for services with no place (a tax question): no map, no address, none required.",
    )
    promises_callback = models.BooleanField(
        "promises a callback",
        default=False,
        help_text="The department calls or writes back, so a request must give a phone number or an email.",
    )
    photos_need_approval = models.BooleanField(
        default=True,
        help_text="Residents' photos are public only after staff approve them on the request's page. "
        "Off: public at once. Photos of private services are never public.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.service_code})"

    @property
    def target_duration(self) -> timedelta | None:
        return timedelta(hours=self.target_hours) if self.target_hours else None

    def clean(self) -> None:
        if self.private_readable_by_application and not self.is_private:
            raise ValidationError(
                {
                    "private_readable_by_application": "Only private services need this: the requests of other "
                    "services are public anyway."
                }
            )


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
    description_es = models.TextField("description (Spanish)", blank=True)
    datatype_description = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=1)
    is_private = models.BooleanField(
        "private answer",
        default=False,
        help_text="The answer (a bill number, a date of birth) is shown to staff only, never in public output.",
    )

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
    name = models.CharField(max_length=200, validators=PLAIN_NAME)
    name_es = models.CharField("name (Spanish)", max_length=200, blank=True, validators=PLAIN_NAME)
    order = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["attribute", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="attribute_value_key_unique")]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"


class RoutingRule(models.Model):
    """Send requests filed in a district to a department other than the service's own.

    The first matching rule by order wins; a rule without a service type applies to every service.
    Requests matching no rule go to their service type's department.
    """

    order = models.PositiveIntegerField(default=1)
    service_type = models.ForeignKey(
        ServiceType, null=True, blank=True, on_delete=models.CASCADE, related_name="routing_rules"
    )
    district = models.ForeignKey("geo.District", on_delete=models.CASCADE, related_name="routing_rules")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="routing_rules")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        what = self.service_type.name if self.service_type else "any service"
        return f"{what} in {self.district} → {self.department}"

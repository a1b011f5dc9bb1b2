from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from civic311.catalog.models import (
    Attribute,
    AttributeValue,
    BusinessCalendar,
    ClosedDay,
    Crew,
    Department,
    ResolutionCode,
    RoutingRule,
    ServiceType,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "hours", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(Crew)
class CrewAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "department__name"]
    list_select_related = ["department"]


@admin.register(ResolutionCode)
class ResolutionCodeAdmin(admin.ModelAdmin):
    """The city's resolution codes: staff must choose one to close a request on its page."""

    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    """Working hours and days for business-hours standards; public holidays come from the country."""

    list_display = ["name", "country", "subdivision", "workdays", "opens", "closes", "is_default"]
    inlines = [ClosedDayInline]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    """Every calendar's closures in one list (a snow day is added here or on its calendar)."""

    list_display = ["date", "name", "calendar"]
    list_filter = ["calendar"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Requests filed in a district go to another department; the first active rule by order wins."""

    list_display = ["order", "service_type", "district", "department", "is_active"]
    list_display_links = ["service_type"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "department", "district__kind"]
    list_select_related = ["service_type", "district", "department"]
    autocomplete_fields = ["service_type", "district"]


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 0
    fields = [
        "order", "code", "description", "description_es", "datatype", "required", "variable", "is_private",
        "edit_values",
    ]  # fmt: skip
    readonly_fields = ["edit_values"]
    show_change_link = True

    @admin.display(description="allowed answers")
    def edit_values(self, obj: Attribute) -> str:
        if not obj.pk or not obj.is_list:
            return "—"
        return format_html("{} answers (edit the question to change them)", obj.values.count())


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = [
        "service_code",
        "name",
        "group",
        "department",
        "target_hours",
        "kind",
        "is_private",
        "is_active",
    ]
    list_filter = ["is_active", "is_private", "needs_location", "group", "department", "kind"]
    search_fields = ["service_code", "name", "keywords", "description"]
    list_select_related = ["department"]
    inlines = [AttributeInline]
    fieldsets = [
        (None, {"fields": ["service_code", "name", "description", "group", "keywords", "kind", "department",
                           "is_active"]}),
        ("Access and privacy", {"fields": ["is_private", "private_readable_by_application", "needs_location",
                                           "promises_callback", "photos_need_approval"]}),
        ("Performance standard", {"fields": ["target_hours", "standard_basis", "calendar", "warning_percent",
                                             "escalation_email"]}),
        ("Duplicates", {"fields": ["duplicate_radius_m", "duplicate_window_days"]}),
        ("Told to residents", {"fields": ["service_notice", "name_es", "group_es", "service_notice_es"]}),
    ]  # fmt: skip


class AttributeValueFormSet(BaseInlineFormSet):
    """A list question needs answers to choose from; other datatypes must have none."""

    def clean(self) -> None:
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)]
        datatype = self.instance.datatype
        if datatype in Attribute.LIST_DATATYPES and not kept:
            raise ValidationError("A list question needs at least one allowed answer.")
        if datatype not in Attribute.LIST_DATATYPES and kept:
            raise ValidationError(f"A {datatype} question takes no list of answers; remove them.")


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    formset = AttributeValueFormSet
    extra = 0


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "description", "datatype", "required", "variable", "is_private", "order"]
    list_filter = ["datatype", "required", "is_private", "service_type__group"]
    search_fields = ["code", "description", "service_type__name", "service_type__service_code"]
    list_select_related = ["service_type"]
    inlines = [AttributeValueInline]

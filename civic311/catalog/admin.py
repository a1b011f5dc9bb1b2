from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from civic311.catalog.models import Attribute, AttributeValue, Department, ServiceType


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "email", "hours", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 0
    fields = ["order", "code", "description", "description_es", "datatype", "required", "variable", "edit_values"]
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
        "is_active",
    ]
    list_filter = ["is_active", "group", "department", "kind"]
    search_fields = ["service_code", "name", "keywords", "description"]
    list_select_related = ["department"]
    inlines = [AttributeInline]


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
    list_display = ["__str__", "description", "datatype", "required", "variable", "order"]
    list_filter = ["datatype", "required", "service_type__group"]
    search_fields = ["code", "description", "service_type__name", "service_type__service_code"]
    list_select_related = ["service_type"]
    inlines = [AttributeValueInline]

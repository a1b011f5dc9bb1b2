"""Loading the sample city's catalog (idempotent: re-running updates rows in place)."""

from __future__ import annotations

from django.db import transaction

from civic311.catalog import sample_data, sample_data_es
from civic311.catalog.models import (
    Attribute,
    AttributeValue,
    BusinessCalendar,
    Crew,
    Department,
    ResolutionCode,
    ServiceType,
)


@transaction.atomic
def load_catalog() -> tuple[int, int]:
    """Create or update the sample departments and services; returns (departments, services)."""
    departments = {}
    for slug, name, phone, email, hours, description in sample_data.DEPARTMENTS:
        departments[slug], _ = Department.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "phone": phone, "email": email, "hours": hours, "description": description},
        )
    for code, name, group, dept, target, kind, keywords, notice, questions in sample_data.SERVICES:
        st, _ = ServiceType.objects.update_or_create(
            service_code=code,
            defaults={
                "name": name,
                "group": group,
                "department": departments[dept],
                "standard_basis": (
                    ServiceType.Basis.BUSINESS if code in sample_data.OFFICE_SERVICES else ServiceType.Basis.CALENDAR
                ),
                "target_hours": target,
                "kind": kind,
                "keywords": keywords,
                "service_notice": notice,
                "name_es": sample_data_es.SERVICES.get(code, ""),
                "group_es": sample_data_es.GROUPS.get(group, ""),
                "service_notice_es": sample_data_es.NOTICES.get(notice, ""),
                "description": f"Report a problem: {name.lower()}.",
                "is_active": True,
                "is_private": code in sample_data.PRIVATE_SERVICES,
                "needs_location": code not in sample_data.PRIVATE_SERVICES,
                "promises_callback": code in sample_data.PRIVATE_SERVICES,
            },
        )
        for order, (qcode, text, datatype, required, values) in enumerate(questions, start=1):
            attr, _ = Attribute.objects.update_or_create(
                service_type=st,
                code=qcode,
                defaults={
                    "description": text,
                    "description_es": sample_data_es.QUESTIONS.get(text, ""),
                    "datatype": datatype,
                    "required": required,
                    "order": order,
                    "is_private": (code, qcode) in sample_data.PRIVATE_QUESTIONS,
                },
            )
            for vorder, (key, vname) in enumerate(values, start=1):
                AttributeValue.objects.update_or_create(
                    attribute=attr,
                    key=key,
                    defaults={"name": vname, "name_es": sample_data_es.VALUES.get(vname, ""), "order": vorder},
                )
    for slug, names in sample_data.CREWS.items():
        for name in names:
            Crew.objects.get_or_create(department=departments[slug], name=name)
    for code, name in sample_data.RESOLUTION_CODES:
        ResolutionCode.objects.update_or_create(code=code, defaults={"name": name})
    BusinessCalendar.objects.get_or_create(name="City Hall", defaults={"is_default": True})
    return len(departments), len(sample_data.SERVICES)

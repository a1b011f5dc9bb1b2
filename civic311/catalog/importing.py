"""Bringing a catalog read from another Open311 server into ours, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from civic311.catalog.models import Attribute, AttributeValue, Department, ServiceType
from civic311.catalog.open311_reader import AttributeDoc, ServiceDoc


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    attributes: int = 0
    notes: list[str] = field(default_factory=list)


class ImportRefused(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _problems(instance: object, where: str, exclude: list[str]) -> list[str]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)  # type: ignore[attr-defined]
    except ValidationError as error:
        return [f"{where}: {name}: {' '.join(messages)}" for name, messages in error.message_dict.items()]
    return []


@transaction.atomic
def import_open311_catalog(
    services: list[ServiceDoc],
    definitions: dict[str, list[AttributeDoc]],
    department_name: str,
) -> ImportReport:
    """Create or update services (matched by code) and replace their questions with the definitions'.

    Every row is checked before anything is written; any problem refuses the whole import.
    """
    problems: list[str] = []
    codes = {s.code for s in services}
    problems += [
        f"definition {code}: no such service in the services document." for code in definitions if code not in codes
    ]
    department = Department.objects.filter(name=department_name).first() or Department(
        name=department_name, slug=slugify(department_name)[:80] or "department"
    )
    problems += _problems(department, f"department {department_name!r}", exclude=[])
    existing = {st.service_code: st for st in ServiceType.objects.filter(service_code__in=codes)}
    planned: list[tuple[ServiceType, list[Attribute], list[list[AttributeValue]]]] = []
    for doc in services:
        st = existing.get(doc.code) or ServiceType(service_code=doc.code)
        st.name, st.description, st.group, st.keywords, st.kind = (
            doc.name,
            doc.description,
            doc.group,
            doc.keywords,
            doc.kind,
        )
        problems += _problems(st, f"service {doc.code}", exclude=["department"])
        attributes, values = [], []
        for attr_doc in definitions.get(doc.code, []):
            attr = Attribute(
                code=attr_doc.code,
                description=attr_doc.description,
                datatype=attr_doc.datatype,
                variable=attr_doc.variable,
                required=attr_doc.required,
                datatype_description=attr_doc.datatype_description[:200],
                order=attr_doc.order,
            )
            problems += _problems(attr, f"service {doc.code} attribute {attr_doc.code}", exclude=["service_type"])
            attributes.append(attr)
            answers = [
                AttributeValue(key=k[:100], name=n[:200], order=i) for i, (k, n) in enumerate(attr_doc.values, 1)
            ]
            for answer in answers:
                where = f"service {doc.code} attribute {attr_doc.code} value {answer.key}"
                problems += _problems(answer, where, exclude=["attribute"])
            values.append(answers)
        planned.append((st, attributes, values))
    if problems:
        raise ImportRefused(problems)

    report = ImportReport()
    department.save()
    for st, attributes, values in planned:
        created = st.pk is None
        if created:
            st.department = department
        st.save()
        report.created += created
        report.updated += not created
        if st.service_code in definitions:
            st.attributes.all().delete()
            for attr, attr_values in zip(attributes, values, strict=True):
                attr.service_type = st
                attr.save()
                for value in attr_values:
                    value.attribute = attr
                AttributeValue.objects.bulk_create(attr_values)
                report.attributes += 1
    return report

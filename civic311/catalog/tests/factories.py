import factory

from civic311.catalog.models import Attribute, AttributeValue, Department, ServiceType


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"dept-{n}")
    phone = "(617) 555-0100"


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType

    service_code = factory.Sequence(lambda n: f"SVC{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    department = factory.SubFactory(DepartmentFactory, name="Public Works", slug="public-works")
    target_hours = 72


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribute

    service_type = factory.SubFactory(ServiceTypeFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    description = factory.LazyAttribute(lambda a: f"Question {a.code}?")


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeValue

    attribute = factory.SubFactory(AttributeFactory, datatype="singlevaluelist")
    key = factory.Sequence(lambda n: f"v{n}")
    name = factory.LazyAttribute(lambda v: v.key.title())

"""Shared test setup: fast hashing, tasks run inline, and the named personas and catalog rows
most tests start from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from civic311.browser import browser, page  # noqa: F401  (browser fixtures for every app)
from civic311.catalog.tests.factories import AttributeFactory, ServiceTypeFactory, ValueFactory
from civic311.open311.models import ApiKey, Application

SHARED_DATA = Path(os.environ.get("CIVIC311_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with nothing cached by an earlier one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_unless_asked() -> Any:
    """A page in Spanish leaves its language active in the thread; each test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_and_inline(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Pages render without a collectstatic run first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def shared_data() -> Path:
    """The shared real-world data folder; tests that need it skip cleanly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("shared/data is not beside the project")
    return SHARED_DATA


@pytest.fixture
def open311_data(shared_data: Path) -> Path:
    """Real Open311 servers' responses and the published schemas (shared/data/open311)."""
    folder = shared_data / "open311"
    if not folder.is_dir():
        pytest.skip("shared/data/open311 is absent")
    return folder


@pytest.fixture
def pothole(db):
    """The classic: potholes, due in 48 hours, with a required and an optional list question."""
    st = ServiceTypeFactory(service_code="POTHOLE", name="Pothole", target_hours=48, group="Streets")
    size = AttributeFactory(service_type=st, code="size", datatype="singlevaluelist", required=True, order=1)
    for key in ("small", "medium", "large"):
        ValueFactory(attribute=size, key=key, name=key.title())
    AttributeFactory(service_type=st, code="notes", datatype="string", required=False, order=2)
    return st


@pytest.fixture
def bulk_item(db):
    """A batch service with a multi-value question and a number."""
    st = ServiceTypeFactory(service_code="BULK", name="Bulk item pickup", kind="batch", target_hours=None)
    items = AttributeFactory(service_type=st, code="items", datatype="multivaluelist", required=True, order=1)
    for key in ("mattress", "sofa", "fridge"):
        ValueFactory(attribute=items, key=key, name=key.title())
    AttributeFactory(service_type=st, code="count", datatype="number", required=False, order=2)
    AttributeFactory(service_type=st, code="seen_at", datatype="datetime", required=False, order=3)
    AttributeFactory(
        service_type=st, code="info", datatype="string", variable=False, required=False, order=4,
        description="Put items at the curb by 7 am.",
    )  # fmt: skip
    return st


@pytest.fixture
def api_key(db) -> str:
    """A working key of a partner app."""
    app = Application.objects.create(name="Partner app", channel="mobile")
    return ApiKey.issue(app)[1]


@pytest.fixture
def roles(db) -> None:
    """The staff role groups; a transactional test's flush removes what the migration made."""
    from civic311.service_requests.roles import ensure_roles

    ensure_roles()


@pytest.fixture
def supervisor(django_user_model):
    return django_user_model.objects.create_user("sam.supervisor", password="pw-supervisor")  # noqa: S106


class Personas:
    """The people of the role matrix, each a real user with a real role (Django groups), and two
    departments: A (Public Works, where department staff work) and B (Parks).

    - ``resident``: logged in, no role (residents need no account; one who has one gets nothing more)
    - ``csr``: the CSR role, with admin access (``is_staff``)
    - ``dept_a``: department staff, a member of A, with admin access
    - ``supervisor``: the Supervisor role, with admin access
    - ``administrator``: the Administrator role, which gives staff status; not a superuser
    """

    ROLES = ("anonymous", "resident", "csr", "dept_a", "supervisor", "administrator")

    def __init__(self, user_model: Any):
        from django.contrib.auth.models import Group

        from civic311.catalog.models import Department

        self.a, _ = Department.objects.get_or_create(slug="public-works", defaults={"name": "Public Works"})
        self.b, _ = Department.objects.get_or_create(slug="parks", defaults={"name": "Parks"})

        def user(name: str, role: str | None, *, staff: bool = False) -> Any:
            made = user_model.objects.create_user(name, password=f"pw-{name}", is_staff=staff)
            if role:
                made.groups.add(Group.objects.get(name=role))
            return made

        self.resident = user("rosa.resident", None)
        self.csr = user("carla.csr", "CSR", staff=True)
        self.dept_a = user("dana.dpw", "Department staff", staff=True)
        self.a.members.add(self.dept_a)
        self.supervisor = user("sara.supervisor", "Supervisor", staff=True)
        self.administrator = user("alex.admin", "Administrator")

    def user(self, role: str) -> Any:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def personas(db, roles, django_user_model) -> Personas:
    return Personas(django_user_model)

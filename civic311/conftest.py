"""Shared test setup: one zone and one clock, no network but loopback, fast hashing, tasks run inline, and the
named personas and catalog rows most tests start from (docs/testing.md)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_socket
import time_machine
from django.test.utils import override_settings

from civic311.browser import browser, page  # noqa: F401  (browser fixtures for every app)
from civic311.catalog.tests.factories import AttributeFactory, ServiceTypeFactory, ValueFactory
from civic311.open311.models import ApiKey, Application

# One zone for the whole suite, whatever the machine's TZ or CIVIC311_TIME_ZONE say: the city's zone (which
# Django also makes the process zone) and the zone every subprocess we start (serve, the CLI) reads.
TEST_TIME_ZONE = "America/New_York"
os.environ["CIVIC311_TIME_ZONE"] = TEST_TIME_ZONE
override_settings(TIME_ZONE=TEST_TIME_ZONE).enable()  # also sets os.environ["TZ"] and calls time.tzset()


def _test_now() -> dt.datetime | None:
    """CIVIC311_TEST_NOW, an ISO 8601 moment (city time when it names no offset), or None."""
    value = os.environ.get("CIVIC311_TEST_NOW", "").strip()
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(TEST_TIME_ZONE))


# One clock: the real one, or, when CIVIC311_TEST_NOW is set, a clock that starts there and ticks on, so the whole
# suite can be run at any moment of the year (`make test-clock`). Travel starts at import, before any test module.
if (_start := _test_now()) is not None:
    time_machine.travel(_start.astimezone(dt.UTC), tick=True).start()

_true_getaddrinfo = socket.getaddrinfo


def _is_loopback_name(host: str | bytes | None) -> bool:
    """A name that needs no DNS to stay on this machine: empty, an address literal, or localhost."""
    name = (host.decode() if isinstance(host, bytes) else host or "").strip("[]").lower().rstrip(".")
    if not name or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return True  # an address: connecting to it is what pytest-socket's --allow-hosts decides


@pytest.fixture(autouse=True)
def _no_name_lookups(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-socket (pyproject's --allow-hosts) lets sockets connect only to loopback; a DNS look-up is traffic
    too, so looking up any other name fails the test at once instead of asking the machine's resolver."""
    if request.config.getoption("force_enable_socket", False):
        return

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback_name(host):
            raise pytest_socket.SocketBlockedError(f"A test tried to look up {host!r}; tests reach only loopback.")
        return _true_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _find_shared_data() -> Path | None:
    """CIVIC311_SHARED_DATA, else the nearest ``shared/data`` beside the project or beside a folder above it
    (a clone in /work/main and a worktree in /work/wt/NAME both find /work/shared/data)."""
    if named := os.environ.get("CIVIC311_SHARED_DATA"):
        return Path(named)
    project = Path(__file__).resolve().parents[1]
    return next((up / "shared" / "data" for up in project.parents if (up / "shared" / "data").is_dir()), None)


SHARED_DATA = _find_shared_data()


def shared_folder(*parts: str) -> Path:
    """A folder of the shared real-world data; tests that need it skip when it is absent, or fail when
    CIVIC311_REQUIRE_SHARED_DATA is set (CI sets it, as it requires the browser), so no green run hides them."""
    folder = SHARED_DATA.joinpath(*parts) if SHARED_DATA else None
    if folder is None or not folder.is_dir():
        where = f"{folder}" if folder else "shared/data (beside the project or a folder above it)"
        message = f"{where} is absent; set CIVIC311_SHARED_DATA to the shared data folder"
        if os.environ.get("CIVIC311_REQUIRE_SHARED_DATA"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


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
def open311_data() -> Path:
    """Real Open311 servers' responses and the published schemas (shared/data/open311)."""
    return shared_folder("open311")


@pytest.fixture
def data_311() -> Path:
    """Real cities' 311 exports (shared/data/311)."""
    return shared_folder("311")


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

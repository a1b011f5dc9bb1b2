import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from civic311.contacts.models import Contact, ContactRequest
from civic311.open311.models import ApiKey
from civic311.service_requests.models import ServiceRequest, ServiceRequestEvent


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "civic311", *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_help_lists_civic311s_commands_and_djangos():
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ("demo", "serve", "migrate", "load-sample", "import-services", "createsuperuser", "db_worker"):
        assert name in result.stdout


def test_hyphenated_names_reach_the_management_commands():
    result = run_cli("load-sample", "--help")
    assert result.returncode == 0
    assert "--requests" in result.stdout


@pytest.mark.django_db
def test_load_sample_builds_a_city_with_history_and_prints_a_working_key(client, capsys):
    call_command("load_sample", requests=60)
    out = capsys.readouterr().out
    assert (
        "Loaded 7 departments, 31 service types and 153 articles (204 texts); filed 60 requests; took 90 contacts"
        in out
    )
    key = out.split("Sample API key (shown once): ")[1].strip()
    assert ApiKey.objects.authenticate(key) is not None
    by_phone = ContactRequest.objects.filter(role="created").count()
    assert by_phone > 0 and ServiceRequest.objects.count() == 60 + by_phone
    assert Contact.objects.filter(kind="information", articles__isnull=False).exists()
    assert ServiceRequest.objects.closed().exists() and ServiceRequest.objects.open().exists()
    assert ServiceRequestEvent.objects.count() > 60
    late = [sr for sr in ServiceRequest.objects.closed() if sr.expected_at and sr.closed_at > sr.expected_at]
    assert late  # some work misses its standard, as in any city
    data = {"api_key": key, "service_code": "POTHOLE", "address_string": "1 Main St", "attribute[size]": "small"}
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    call_command("load_sample")  # again: catalog and articles updated, no second batch of requests or contacts
    assert ServiceRequest.objects.count() == 61 + by_phone
    assert Contact.objects.count() == 90


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [({"requests": -1}, "--requests must be between"), ({"days": 0}, "--days must be between")],
)
def test_load_sample_refuses_bad_options(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("load_sample", **options)
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"port": 70000}, "is not a TCP port"),
        ({"workers": 0}, "--workers must be between"),
        ({"threads": 0}, "--threads must be between"),
    ],
)
def test_serve_refuses_bad_options(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("serve", **options)


@pytest.mark.django_db
def test_sqlite_commits_are_synced_and_writers_queue():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL: an acknowledged commit survives a power cut
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.django_db
def test_one_periodic_round_checks_standards_and_delivers_mail(pothole, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from civic311.notifications.models import Message
    from civic311.service_requests.tests.factories import file_request

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    pothole.escalation_email = "dpw@example.org"
    pothole.save()
    file_request(pothole, requested_at=timezone.now() - timedelta(days=3))
    call_command("run_periodic", once=True)
    assert set(Message.objects.values_list("kind", "state")) == {
        ("standard_warning", "sent"),
        ("standard_breach", "sent"),
    }
    assert len(list(tmp_path.iterdir())) >= 1

"""The rate limit of the portal: whose address is counted, and spending that cannot be overtaken."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from civic311.portal import throttle
from civic311.portal.models import Throttle
from civic311.portal.tests import real_server
from civic311.portal.tests.throttling import clear_of_window_edge
from civic311.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the proxy in front of the app: every request's socket peer


@pytest.fixture
def behind_one_proxy(settings):
    settings.CIVIC311_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CIVIC311_PROXY_HOPS = 1


def forwarded(value: str, remote: str = PROXY) -> dict[str, str]:
    return {"HTTP_X_FORWARDED_FOR": value, "REMOTE_ADDR": remote}


def test_a_client_cannot_escape_the_limit_by_writing_its_own_forwarded_for(client, pothole, settings, behind_one_proxy):
    settings.CIVIC311_SUBMISSIONS_PER_HOUR = 2
    clear_of_window_edge(5)
    url = reverse("portal:request", args=["POTHOLE"])
    # The client writes whatever it likes first; the proxy appends the address it really saw.
    answers = [
        client.post(url, {"address_string": f"{n} Elm St", "attr_size": "small"},
                    **forwarded(f"192.0.2.{n}, 203.0.113.7")).status_code
        for n in range(1, 6)
    ]  # fmt: skip
    assert answers == [302, 302, 429, 429, 429]
    assert ServiceRequest.objects.count() == 2
    other = client.post(url, {"address_string": "9 Elm St", "attr_size": "small"}, **forwarded("203.0.113.8"))
    assert other.status_code == 302


def test_a_refusal_says_when_to_come_back(client, pothole, settings):
    settings.CIVIC311_SUBMISSIONS_PER_HOUR = 1
    clear_of_window_edge(5)
    url = reverse("portal:request", args=["POTHOLE"])
    assert client.post(url, {"address_string": "1 Elm St", "attr_size": "small"}).status_code == 302
    refused = client.post(url, {"address_string": "2 Elm St", "attr_size": "small"})
    assert refused.status_code == 429 and "try again later" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 3600


def test_a_request_refused_for_its_errors_does_not_use_up_the_allowance(client, pothole, settings):
    settings.CIVIC311_SUBMISSIONS_PER_HOUR = 1
    clear_of_window_edge(5)
    url = reverse("portal:request", args=["POTHOLE"])
    assert client.post(url, {"address_string": "1 Elm St", "attr_size": "huge"}).status_code == 400
    assert client.post(url, {"address_string": "1 Elm St", "attr_size": "small"}).status_code == 302


@pytest.mark.parametrize(
    ("header", "hops", "meta", "expected"),
    [
        ("", 1, forwarded("192.0.2.1"), PROXY),  # no proxy configured: the header is the client's own words
        ("HTTP_X_FORWARDED_FOR", 1, forwarded("192.0.2.1, 203.0.113.7"), "203.0.113.7"),
        ("HTTP_X_FORWARDED_FOR", 2, forwarded("192.0.2.1, 203.0.113.7, 10.0.0.9"), "203.0.113.7"),
        ("HTTP_X_FORWARDED_FOR", 2, forwarded("203.0.113.7"), PROXY),  # it did not pass both proxies
        ("HTTP_X_FORWARDED_FOR", 1, {"REMOTE_ADDR": PROXY}, PROXY),  # no header at all
        ("HTTP_X_FORWARDED_FOR", 0, forwarded("203.0.113.7"), PROXY),  # 0 hops: no proxy to trust
        ("HTTP_X_REAL_IP", 1, {"HTTP_X_REAL_IP": "203.0.113.7", "REMOTE_ADDR": PROXY}, "203.0.113.7"),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(settings, header, hops, meta, expected):
    settings.CIVIC311_CLIENT_IP_HEADER, settings.CIVIC311_PROXY_HOPS = header, hops
    request = RequestFactory().get("/", **meta)
    assert throttle.client_address(request) == expected


def test_spending_counts_up_to_the_allowance_per_window_and_refunds(settings):
    settings.CIVIC311_LOGIN_FAILURES_PER_HOUR = 3
    now = datetime(2026, 3, 2, 14, 59, 59, tzinfo=UTC)
    assert [throttle.spend(throttle.LOGIN_ACCOUNT, "ana", now) for _ in range(4)] == [True, True, True, False]
    throttle.refund(throttle.LOGIN_ACCOUNT, "ana", now)
    assert throttle.spend(throttle.LOGIN_ACCOUNT, "ana", now)
    assert not throttle.spend(throttle.LOGIN_ACCOUNT, "ana", now)
    assert throttle.spend(throttle.LOGIN_ADDRESS, "ana", now)  # another scope counts apart
    assert throttle.retry_after(now) == 1
    later = now + timedelta(seconds=1)  # a new window
    assert throttle.spend(throttle.LOGIN_ACCOUNT, "ana", later)
    assert throttle.sweep(later) == 2 and Throttle.objects.count() == 1


def test_an_allowance_of_zero_turns_the_limit_off(settings):
    settings.CIVIC311_API_KEY_CALLS_PER_HOUR = 0
    assert all(throttle.spend(throttle.API_KEY, "key") for _ in range(5))
    assert not Throttle.objects.exists()


@pytest.mark.slow
def test_concurrent_submissions_through_a_real_server_never_pass_the_limit(transactional_db, tmp_path):
    """30 submissions at once from one client, through four server processes: exactly 10 are filed."""
    env = real_server.server_env(
        tmp_path, SUBMISSIONS_PER_HOUR="10", CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", PROXY_HOPS="1"
    )
    real_server.shell(env, "from civic311.catalog.tests.factories import ServiceTypeFactory; "
                           "ServiceTypeFactory(service_code='POTHOLE', name='Pothole')")  # fmt: skip
    with real_server.serving(env, workers=4) as port:
        path = reverse("portal:request", args=["POTHOLE"])
        cookie, token = real_server.csrf(port, path)
        clear_of_window_edge(60)
        start = threading.Barrier(30)

        def file_one(n: int) -> int:
            fields = {"csrfmiddlewaretoken": token, "address_string": f"{n} Elm St"}
            headers = {"Cookie": cookie, "X-Forwarded-For": f"192.0.2.{n}, 203.0.113.7"}
            start.wait()
            return real_server.post(port, path, fields, headers)

        with ThreadPoolExecutor(max_workers=30) as pool:
            answers = list(pool.map(file_one, range(30)))
    assert sorted(answers) == [302] * 10 + [429] * 20
    count = "from civic311.service_requests.models import ServiceRequest; print(ServiceRequest.objects.count())"
    assert real_server.shell(env, count) == "10"

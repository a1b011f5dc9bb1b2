"""Sign-in is rate limited per account and client, and per client, on every sign-in page."""

import pytest
from django.urls import reverse

from civic311.portal.tests.throttling import clear_of_window_edge

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture
def ana(django_user_model):
    return django_user_model.objects.create_user("ana.csr", password="right-password", is_staff=True)


@pytest.fixture(autouse=True)
def _whole_window():
    clear_of_window_edge(10)


def sign_in(client, username, password, path=LOGIN, **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_hundred_wrong_passwords_then_the_right_one_does_not_sign_in(client, ana):
    answers = [sign_in(client, "ana.csr", f"guess-{n}").status_code for n in range(100)]
    assert answers == [200] * 10 + [429] * 90
    refused = sign_in(client, "ana.csr", "right-password")
    assert refused.status_code == 429 and not signed_in(client)
    assert "Too many wrong passwords were tried from your address" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 3600


def test_right_passwords_do_not_use_up_the_allowance(client, ana, settings):
    settings.CIVIC311_LOGIN_FAILURES_PER_HOUR = 3
    for _ in range(2):
        assert sign_in(client, "ana.csr", "typo").status_code == 200
    for _ in range(10):
        assert sign_in(client, "ana.csr", "right-password").status_code == 302 and signed_in(client)
        client.logout()
    assert sign_in(client, "ana.csr", "typo").status_code == 200
    assert sign_in(client, "ANA.csr", "typo").status_code == 429  # the same account however it is typed


def test_a_locked_account_still_signs_in_from_elsewhere_and_others_from_here(client, ana, django_user_model, settings):
    settings.CIVIC311_LOGIN_FAILURES_PER_HOUR = 3
    django_user_model.objects.create_user("bo.dpw", password="bo-password")
    for n in range(3):
        sign_in(client, "ana.csr", f"guess-{n}", REMOTE_ADDR="192.0.2.66")
    assert sign_in(client, "ana.csr", "right-password", REMOTE_ADDR="192.0.2.66").status_code == 429
    assert sign_in(client, "ana.csr", "right-password", REMOTE_ADDR="198.51.100.5").status_code == 302
    client.logout()
    assert sign_in(client, "bo.dpw", "bo-password", REMOTE_ADDR="192.0.2.66").status_code == 302


def test_one_password_tried_on_many_accounts_from_one_client_is_limited(client, ana, settings):
    settings.CIVIC311_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR = 5
    answers = [sign_in(client, f"user{n}", "Winter2026!").status_code for n in range(8)]
    assert answers == [200] * 5 + [429] * 3
    assert sign_in(client, "ana.csr", "right-password").status_code == 429


def test_the_admin_sign_in_is_limited_too(client, ana, settings):
    settings.CIVIC311_LOGIN_FAILURES_PER_HOUR = 2
    admin_login = reverse("admin:login")
    answers = [sign_in(client, "ana.csr", "guess", path=admin_login).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert sign_in(client, "ana.csr", "right-password", path=admin_login).status_code == 429
    assert not signed_in(client)

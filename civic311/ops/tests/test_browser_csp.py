"""The Content Security Policy in a real browser: it is enforced, and the admin keeps working under it
(the portal, the console, the work pages and the dashboards are checked by their own browser tests,
whose page fixture fails on any refusal)."""

import pytest

from civic311.browser import log_in
from civic311.lib.security import proxy_ssl_header, tile_source

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_an_injected_inline_script_is_refused_by_the_browser(page, live_server):
    page.goto(f"{live_server.url}/")
    ran = page.evaluate(
        """() => {
            window.injected = false;
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            const div = document.createElement("div");
            div.innerHTML = '<img src="/nothing.png" onerror="window.injected = true">';
            document.body.append(div);
            return new Promise(resolve => setTimeout(() => resolve(window.injected), 300));
        }"""
    )
    assert ran is False
    assert any("script" in v for v in page.csp_violations)
    page.csp_violations.clear()  # these refusals were the point


def test_the_admin_works_under_the_policy(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("ada", "ada@example.org", "pw-admin-browser")
    log_in(page, live_server, "ada", "pw-admin-browser")
    for path in ("/admin/", "/admin/catalog/servicetype/add/", "/admin/notifications/message/", "/admin/auth/user/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/admin/catalog/servicetype/add/")
    assert page.locator("#servicetype_form").count() == 1


def test_the_policy_and_https_settings_read_from_the_environment():
    assert proxy_ssl_header("X-Forwarded-Proto: https") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxy_ssl_header("") is None
    assert tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == ["https://*.tile.example.org"]
    assert tile_source("/static/tiles/{z}/{x}/{y}.png") == []
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="CIVIC311_PROXY_SSL_HEADER"):
        proxy_ssl_header("X-Forwarded-Proto https")
    with pytest.raises(ImproperlyConfigured, match="CIVIC311_TILE_URL"):
        tile_source("tile.example.org/{z}/{x}/{y}.png")

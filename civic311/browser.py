"""Shared set-up for browser tests: Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import ipaddress
import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CIVIC311_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run",
    # Tests reach no network but loopback: everything else goes to a proxy that is not there (loopback always
    # bypasses a proxy), so nothing the browser does on its own leaves the machine either.
    "--proxy-server=http://127.0.0.1:9",
]  # fmt: skip


def is_loopback_url(url: str) -> bool:
    """Pages may load from this machine (the live server) and from data:/blob: URLs, nothing else."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CIVIC311_REQUIRE_BROWSER"):
            pytest.fail(message)  # CI must run the browser tests, not skip them
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the test's own ORM calls are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def refuse_the_network(context: Any) -> list[str]:
    """Refuse every request of the browser context that is not for this machine; returns the list of those
    refused, which the ``page`` fixture turns into a failure of the test."""
    outside: list[str] = []

    def refuse(route: Any) -> None:
        outside.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not is_loopback_url(url), refuse)
    return outside


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; every browser test also proves the pages it saw broke no rule of the Content
    Security Policy (Chromium reports each refusal on the console)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # A page that asks for anything off this machine (a CDN, a tile server, a font) fails its test by name:
    # the request is refused and listed, rather than left to time out or to pass where a network happens to be.
    outside = refuse_the_network(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on("console", lambda message: _note_csp_violation(message, violations))
    page.csp_violations = violations
    yield page
    context.close()
    if outside:
        pytest.fail(f"the page tried to reach the network beyond this machine: {', '.join(sorted(set(outside)))}")
    assert violations == [], "the Content Security Policy refused:\n" + "\n".join(violations)


def _note_csp_violation(message: Any, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{message.location.get('url', '')}: {message.text}")


def log_in(page: Any, live_server: Any, username: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

"""Shared set-up for browser tests: Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CIVIC311_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run",
]  # fmt: skip


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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; every browser test also proves the pages it saw broke no rule of the Content
    Security Policy (Chromium reports each refusal on the console)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on("console", lambda message: _note_csp_violation(message, violations))
    page.csp_violations = violations
    yield page
    context.close()
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

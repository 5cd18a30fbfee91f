"""Browser journeys: Playwright driving Debian's Chromium against the live test server."""

import os
from pathlib import Path

import pytest

from tests.tools import require_program

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are
# still plain synchronous code, so Django's async-safety guard must not stop them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    require_program("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    # Chromium reports what the Content-Security-Policy blocked on the console: any such block
    # (an inline script, handler or style) fails the journey, however the page looked.
    blocked = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and blocked.append(message.text),
    )
    yield page
    context.close()
    assert blocked == [], f"the page broke its Content-Security-Policy: {blocked}"


def shot(page, name: str) -> None:
    """Keep a screenshot of the journey for a person to look at (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, username: str, password: str) -> None:
    page.goto(f"{page.base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # Wait for the next page's load event: before it, its stylesheet may not apply yet (a menu
    # hidden by CSS on a phone still counts as visible) and its deferred scripts may not have run.
    with page.expect_navigation():
        page.click("button[type=submit]")


def follow(page, selector: str) -> None:
    """Click a link and wait for the next page's load event (its stylesheet applied, its deferred
    scripts run) before the journey reads the page's text or layout."""
    with page.expect_navigation():
        page.click(selector)

"""Headless Chromium for browser tests, with axe-core run on every page visited."""

import os
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told this thread is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def launch():
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    )
    return playwright, browser


def axe_violations(page: Page) -> list[dict]:
    """Every axe-core violation on the page as it stands, with the rules' ids and the nodes.

    axe is evaluated through the DevTools protocol: a <script> tag would be inline script, which the
    pages' Content-Security-Policy rightly refuses.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in violations]


def watch_csp(page: Page) -> list[dict]:
    """A list that fills with every Content-Security-Policy violation the page reports, as the
    browser reports it (inline script or style, a source from elsewhere)."""
    found: list[dict] = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            found.append({"id": "content-security-policy", "help": message.text, "nodes": []})

    page.on("console", on_console)
    return found

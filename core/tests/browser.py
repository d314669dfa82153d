"""Headless Chromium for browser tests, with axe-core and a reflow check run on every page visited."""

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


# WCAG 2.2 1.4.10 Reflow: content readable at 320 CSS pixels wide (1280 px at 400% zoom) without scrolling
# sideways. A data table may scroll inside its own container; the page itself may not.
REFLOW_VIEWPORT = {"width": 320, "height": 640}

# Waits two animation frames so the layout, and GOV.UK Frontend's media-query listeners (the service
# navigation's menu button), have caught up with the new width. Then, if the page scrolls sideways, names what
# reaches past the viewport's right edge, outermost first: each element that does so when the element around it
# does not (a table, not each of its rows), or reaches further than the element around it (what spills out of
# its box). Elements in a container that scrolls or clips them are left out: they do not widen the page.
_REFLOW = """async (limit) => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  // Clipped by an ancestor that scrolls or hides overflow, if that ancestor is on the element's chain of
  // containing blocks: an absolutely positioned element (GOV.UK's visually hidden text) escapes every
  // ancestor up to the nearest positioned one, and a fixed one escapes them all.
  const contained = (element) => {
    let position = getComputedStyle(element).position;
    for (let up = element.parentElement; up && up !== document.body && up !== root; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (position === "fixed") return false;
      if (position === "absolute" && style.position === "static") continue;
      if (style.overflowX !== "visible") return true;
      position = style.position;
    }
    return false;
  };
  const right = (element) => element.getBoundingClientRect().right;
  const depth = (element) => {
    let n = 0;
    for (let up = element.parentElement; up; up = up.parentElement) n++;
    return n;
  };
  const name = (element) =>
    element.tagName.toLowerCase() +
    (element.id ? "#" + element.id : "") +
    [...element.classList].map((c) => "." + c).join("");
  const wide = new Set(
    [document.body, ...document.body.querySelectorAll("*")].filter(
      (element) => right(element) > width + 0.5 && !contained(element),
    ),
  );
  const named = [...wide]
    .filter((element) => !wide.has(element.parentElement) || right(element) > right(element.parentElement) + 0.5)
    .map((element) => ({ element, depth: depth(element), right: right(element) }))
    .sort((a, b) => a.depth - b.depth || b.right - a.right);
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: width,
    elements: named.slice(0, limit).map(({ element, right }) => `${name(element)} (right edge at ${Math.round(right)} px)`),
  };
}"""


def reflow_violations(page: Page, *, limit: int = 6) -> list[dict]:
    """A violation if, at 320 CSS pixels wide, the page scrolls sideways, naming up to `limit` elements that
    widen it; and any axe-core violation at that width (a table's region scrolls, and so must be focusable, only
    on a narrow screen). The viewport the test was using is restored after."""
    viewport = page.viewport_size
    page.set_viewport_size(REFLOW_VIEWPORT)
    try:
        overflow = page.evaluate(_REFLOW, limit)
        narrow = [dict(v, help=f"{v['help']} (at {REFLOW_VIEWPORT['width']} px wide)") for v in axe_violations(page)]
    finally:
        page.set_viewport_size(viewport)
    if not overflow:
        return narrow
    wide = {
        "id": "reflow",
        "help": f"The page scrolls sideways at {overflow['clientWidth']} px wide: it is {overflow['scrollWidth']} px",
        "nodes": overflow["elements"],
    }
    return [wide, *narrow]


def page_violations(page: Page) -> list[dict]:
    """What is wrong with the page as it stands: axe-core at the test's own viewport, then reflow and axe-core
    at 320 px wide."""
    return axe_violations(page) + reflow_violations(page)


def watch_csp(page: Page) -> list[dict]:
    """A list that fills with every Content-Security-Policy violation the page reports, as the
    browser reports it (inline script or style, a source from elsewhere)."""
    found: list[dict] = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            found.append({"id": "content-security-policy", "help": message.text, "nodes": []})

    page.on("console", on_console)
    return found

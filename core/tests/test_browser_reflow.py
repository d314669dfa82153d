"""The reflow check the browser tests run on every page: at 320 px wide a page that scrolls sideways is reported
with what widens it; a data table scrolling in its own region is not; and the test's own viewport comes back."""

import pytest

from .browser import launch, reflow_violations

STYLE = """
  body { margin: 0; font: 16px/1.25 arial, sans-serif; }
  .app-table-container { position: relative; overflow-x: auto; }
  .wide { width: 600px; }
  .box { width: 500px; }
  .hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  td { text-align: right; }
"""


@pytest.fixture
def page():
    playwright, browser = launch()
    page = browser.new_page()
    yield page
    browser.close()
    playwright.stop()


def show(page, body, style=STYLE):
    # set_content has no Content-Security-Policy: the <style> element only sets the case up.
    page.set_content(
        f"<!DOCTYPE html><html lang='en'><head><title>Reflow</title><style>{style}</style></head>"
        f"<body><main><h1>Reflow</h1>{body}</main></body></html>"
    )


def test_a_page_wider_than_320_px_names_the_outermost_elements_that_widen_it(page):
    show(page, "<div id='panel' class='box'><p class='wide'>Too wide</p></div><p>Fine</p>")

    assert reflow_violations(page) == [
        {
            "id": "reflow",
            "help": "The page scrolls sideways at 320 px wide: it is 600 px",
            "nodes": ["div#panel.box (right edge at 500 px)", "p.wide (right edge at 600 px)"],
        }
    ]


def test_a_table_outside_a_region_is_named_once_not_row_by_row(page):
    show(page, "<table class='wide'><caption>Tasks</caption><tr><th scope='col'>Reference</th></tr></table>")

    (found,) = reflow_violations(page)

    assert found["nodes"] == ["table.wide (right edge at 600 px)"]


def test_a_table_that_scrolls_in_its_own_region_leaves_the_page_within_320_px(page):
    table = (
        "<table class='wide'><caption class='hidden'>Orders</caption>"
        "<tr><th scope='col'>Number</th></tr><tr><td>PO-1 <span class='hidden'>(PDF)</span></td></tr></table>"
    )
    show(page, f"<div class='app-table-container' role='region' aria-label='Orders' tabindex='0'>{table}</div>")

    assert reflow_violations(page) == []


def test_visually_hidden_text_escaping_a_region_that_is_not_positioned_is_found(page):
    table = (
        "<table class='wide'><caption>Orders</caption>"
        "<tr><th scope='col'>Number</th></tr><tr><td>PO-1 <span id='far' class='hidden'>(PDF)</span></td></tr></table>"
    )
    show(
        page,
        f"<div class='app-table-container' role='region' aria-label='Orders' tabindex='0'>{table}</div>",
        STYLE.replace("position: relative; ", ""),
    )

    (found,) = reflow_violations(page)

    assert found["id"] == "reflow" and found["nodes"][0].startswith("span#far.hidden")


def test_the_viewport_the_test_was_using_is_restored(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    show(page, "<div class='box'>Wide</div>")

    assert [v["id"] for v in reflow_violations(page)] == ["reflow"]
    assert page.viewport_size == {"width": 1024, "height": 768}

"""Accessibility and layout of every page of the built book, in headless Chromium.

- axe-core (the copy inside the `axe-playwright-python` package; nothing is downloaded)
  runs the WCAG 2.0 and 2.1 level A and AA rules on every page of the build, and
  no violation of impact "serious" or "critical" may be left.
- No page scrolls sideways, on a desktop (1280 px) or a phone (390 px) viewport: wide
  equations and tables scroll inside their own box instead (_ext/book_html.css).
- One search field per page, at both widths.

Run it on both editions (`BOOK_HTML=_build_student/_build/html` for the student one).
"""

import json

import pytest

from conftest import open_page, site_pages

DOCS = site_pages()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# axe-core marks this WCAG 2.1 A rule (2.5.3, "label in name") experimental and leaves it out of a
# run by tags unless it is switched on by name; it is switched on.
EXPERIMENTAL_RULES = ["label-content-name-mismatch"]
# Rules switched off, each with the reason it is a false positive on these pages: none so far.
DISABLED_RULES: dict[str, str] = {}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def axe_violations(page) -> list[dict]:
    """Run axe-core on the open page; its violations of the WCAG 2.0/2.1 A and AA rules."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"],
               "rules": {**{rule: {"enabled": True} for rule in EXPERIMENTAL_RULES},
                         **{rule: {"enabled": False} for rule in DISABLED_RULES}}}
    results = page.evaluate("options => axe.run(document, options)", options)
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe_available():
    try:
        import axe_playwright_python.base  # noqa: F401
    except ImportError as err:
        pytest.skip(f"axe-playwright-python is not installed ({err}); `pip install -r requirements.txt`")


@pytest.mark.parametrize("doc", DOCS)
def test_no_serious_accessibility_violations(browser, server, axe_available, doc):
    page, _ = open_page(browser, server, doc)
    try:
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
        assert not blocking, f"{doc}: serious or critical axe-core violations:\n{describe(blocking)}"
    finally:
        page.close()


LAYOUT_JS = """() => {
    const el = document.scrollingElement;
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter(e => e.getBoundingClientRect().right > el.clientWidth + 1 && e.checkVisibility()
                   && !e.closest('pre, .highlight, .table-wrapper, .cell_output, mjx-container'))
      .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + Array.from(e.classList).join('.'));
    // display equations: wider than their box only if that box scrolls, never past the column
    const clipped = Array.from(document.querySelectorAll('mjx-container[display="true"]')).filter(m => {
        const column = m.closest('article') || document.body;
        const style = getComputedStyle(m);
        const scrolls = ['auto', 'scroll'].includes(style.overflowX);
        return (m.scrollWidth > m.clientWidth + 1 && !scrolls)
            || m.getBoundingClientRect().right > column.getBoundingClientRect().right + 1;
    }).map(m => (m.closest('[id]') || {}).id + ': ' + m.textContent.slice(0, 40));
    // search controls in the header and sidebars (the search page also has its own form)
    const search = Array.from(document.querySelectorAll('input[type=search], .search-button-field, .search-button'))
      .filter(e => e.checkVisibility() && !e.closest('.bd-search-container')).length;
    return {scroll: el.scrollWidth, client: el.clientWidth, wide: wide, clipped: clipped, search: search};
}"""


@pytest.mark.parametrize("width", WIDTHS, ids=str)
@pytest.mark.parametrize("doc", DOCS)
def test_layout(browser, server, doc, width):
    """No sideways scrolling, no display equation cut off, one search field."""
    page, _ = open_page(browser, server, doc, *WIDTHS[width])
    try:
        sizes = page.evaluate(LAYOUT_JS)
        assert sizes["scroll"] <= sizes["client"] + 1, (
            f"{doc} scrolls sideways at {WIDTHS[width][0]} px: scrollWidth {sizes['scroll']} > "
            f"clientWidth {sizes['client']}; elements past the edge: {sizes['wide']}")
        assert not sizes["clipped"], (
            f"{doc} at {WIDTHS[width][0]} px: display equations cut off or past their column: {sizes['clipped']}")
        assert sizes["search"] == 1, f"{doc} shows {sizes['search']} search fields at {WIDTHS[width][0]} px, want one"
    finally:
        page.close()

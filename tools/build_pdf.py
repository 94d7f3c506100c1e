"""Print the built HTML book as one PDF: ``python tools/build_pdf.py [HTML_DIR]`` (``make pdf``).

Route: the pages already built in HTML_DIR (default ``_build/html``) are assembled into one
document (``tools/pdf_assemble.py``: title page, contents, numbered chapters with their figures
and outputs) and printed by the same headless Debian Chromium the browser tests use, through
Playwright's ``page.pdf``, after MathJax (the site's offline copy) has typeset every formula.
This re-executes no notebook, so the PDF shows exactly the numbers of the HTML edition, and
the student edition gets its own PDF from its own HTML. Nothing is fetched from another host:
the document is served from localhost and any other request is refused (and fails the build).

Printing happens twice: the first print tells on which page each chapter starts (read back with
``pdftotext``), the second prints the contents with those page numbers; the build checks that
the numbers still hold in the final file. Writes ``HTML_DIR/../pdf/book.html`` (the assembled
document) and ``HTML_DIR/sgns-book.pdf``, the file the intro links.

Needs Chromium (``apt-get install chromium``; another binary through ``CHROMIUM``) and
``pdftotext`` (``apt-get install poppler-utils``). With ``--skip-without-tools`` a missing one
is reported and the script exits 0 (``make book`` on a machine without them).
"""

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf_assemble import ROOT, Page, assemble  # noqa: E402

PDF_NAME = "sgns-book.pdf"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
CONTENT_WIDTH_PX = 665  # A4 (210 mm) less 2 x 17 mm margins, at 96 px per inch: lay out as printed
FOOTER = ("<div style='font-size:8pt;width:100%;text-align:center;color:#555;'>"
          "<span class='pageNumber'></span></div>")
# A display equation wider than the text is scaled down to fit the page (the site scrolls it).
FIT_EQUATIONS_JS = """() => {
  let shrunk = 0;
  for (const eq of document.querySelectorAll('mjx-container[display="true"]')) {
    const room = eq.parentElement.clientWidth, need = eq.scrollWidth;
    if (need > room) { eq.style.zoom = (room / need).toFixed(3); shrunk += 1; }
  }
  return shrunk;
}"""


def chromium_path() -> Path | None:
    path = Path(CHROMIUM)
    if path.is_file():
        return path
    found = shutil.which("chromium")
    return Path(found) if found else None


def missing_tools() -> list[str]:
    missing = [] if chromium_path() else [f"Chromium (not at {CHROMIUM}; `apt-get install -y chromium`)"]
    if not shutil.which("pdftotext"):
        missing.append("pdftotext (`apt-get install -y poppler-utils`)")
    return missing


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of `pdf` (pdftotext separates pages by form feeds)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return out.stdout.split("\f")[:-1]


def start_pages(pdf: Path, pages: list[Page]) -> dict[str, int]:
    """The sheet each book page starts on: the first sheet, after the previous one's, that opens with its title.

    The search starts after the title page (whose first line is the book's title, as is the intro's).
    """
    texts, found, sheet = page_texts(pdf), {}, 1
    for page in pages:
        heading = f"Chapter {page.entry.number}" if page.entry.number else page.title
        while sheet < len(texts):
            lines = [" ".join(line.split()) for line in texts[sheet].splitlines() if line.strip()]
            sheet += 1
            if lines and heading.startswith(lines[0]) and len(lines[0]) >= min(len(heading), 8):
                found[page.anchor] = sheet
                break
        else:
            raise RuntimeError(f"no sheet of {pdf} opens with {heading!r}: the chapter breaks were lost")
    return found


def _print(page, out: Path, numbers: dict[str, int], final: bool = True) -> None:
    """Print to `out`; the draft (``final=False``) skips the bookmarks and tags, which do not move page breaks."""
    page.evaluate("""(numbers) => { for (const el of document.querySelectorAll('.pdf-toc-page'))
                       el.textContent = numbers[el.dataset.anchor] || ''; }""", numbers)
    page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
             header_template="<span></span>", footer_template=FOOTER, outline=final, tagged=final,
             margin={"top": "18mm", "bottom": "20mm", "left": "17mm", "right": "17mm"})


def build(html_dir: Path) -> Path:
    """Assemble and print the book in `html_dir`; return the path of the PDF (``html_dir/sgns-book.pdf``)."""
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    html_dir = Path(html_dir).resolve()
    served = html_dir.parent
    doc_path = served / "pdf" / "book.html"
    pages = assemble(html_dir, doc_path)
    handler = functools.partial(_QuietHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"127.0.0.1:{httpd.server_address[1]}"
    refused, draft, final = [], doc_path.with_name("draft.pdf"), html_dir / PDF_NAME
    try:
        with sync_playwright() as pw:
            # every host but this one resolves to nothing: the print cannot reach the network
            offline = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
            browser = pw.chromium.launch(executable_path=str(chromium_path()), args=FLAGS + offline, headless=True)
            page = browser.new_page(viewport={"width": CONTENT_WIDTH_PX, "height": 900})
            page.on("request", lambda req: urlsplit(req.url).netloc in ("", origin) or refused.append(req.url))
            page.on("requestfailed", lambda req: refused.append(f"{req.url} ({req.failure})"))
            page.on("response", lambda res: res.status < 400 or refused.append(f"{res.url} (HTTP {res.status})"))
            page.emulate_media(media="print")
            page.goto(f"http://{origin}/pdf/book.html", wait_until="load")
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("() => MathJax.startup.promise.then(() => document.fonts.ready).then(() => true)")
            left = page.evaluate("() => document.querySelectorAll('.math:not(:has(mjx-container))').length")
            if left:
                raise RuntimeError(f"MathJax left {left} formulas untypeset")
            shrunk = page.evaluate(FIT_EQUATIONS_JS)
            print(f"  typeset in {time.perf_counter() - start:.0f} s; {shrunk} wide equations shrunk to fit",
                  flush=True)
            _print(page, draft, {}, final=False)
            numbers = start_pages(draft, pages)
            print(f"  first print in {time.perf_counter() - start:.0f} s", flush=True)
            _print(page, final, numbers)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    if refused:
        raise RuntimeError("the PDF build asked for files it could not have: " + ", ".join(refused[:5]))
    if start_pages(final, pages) != numbers:
        raise RuntimeError("the contents' page numbers moved between the two prints")
    draft.unlink()
    return final


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("html_dir", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--skip-without-tools", action="store_true",
                        help="report a missing Chromium or pdftotext and exit 0 instead of failing")
    args = parser.parse_args(argv)
    missing = missing_tools()
    if missing:
        message = f"the PDF edition ({args.html_dir}/{PDF_NAME}) needs " + " and ".join(missing)
        if args.skip_without_tools:
            print(f"NOT BUILT: {message}; the intro's link to it stays dead until `make pdf` runs")
            return 0
        print(message, file=sys.stderr)
        return 1
    start = time.perf_counter()
    pdf = build(args.html_dir)
    print(f"wrote {pdf} ({pdf.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

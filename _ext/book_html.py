"""Small fixes to the HTML pages, so that they load cleanly and pass axe-core (tests/browser).

- Each page got sphinx-thebe's inline configuration script twice (sphinx-thebe 0.3.1 under
  Jupyter Book 1 / Sphinx 7), and the second `const THEBE_JS_URL` is a JavaScript error on
  every page. The book does not offer Thebe (live code needs a kernel on the internet), so
  unless `launch_buttons.thebe` is switched on, the Thebe scripts and stylesheet are dropped;
  that also removes the dormant unpkg.com address from every page. Any other duplicate script
  is dropped too.
- pydata-sphinx-theme logs "Got invalid theme mode" when its `default_mode` page variable is
  empty (sphinx-book-theme leaves it so); the book starts in light mode (figures have white
  backgrounds) unless `html_context` in `_config.yml` sets `default_mode` itself.
- No button leads to a placeholder: while `repository.url` in `_config.yml` names no real
  account (it contains `YOUR-GITHUB-ACCOUNT`), the Binder, Colab, repository, issues and edit
  buttons are switched off and the build says why (an info line, so `-W` builds pass); a fork
  that sets the URL gets them back.
- One search field per page: the sidebar's (the theme also put one in the navbar).
- Accessibility (axe-core, WCAG 2.0/2.1 A and AA; tests/browser/test_a11y.py): darker links in
  the light theme (book_html_static/book_html.css), search button and colour-mode button whose
  names match what they show (book_html_templates/), myst-nb's "Show code cell source"
  summaries named by their visible text, and bibliography entries with the `listitem` role
  their `role="list"` parent requires (sphinxcontrib-bibtex writes the deprecated
  `doc-biblioentry`).
- JupyterQuiz's numeric answer fields: their labels tied to them (book_html.js) and dark text
  on white instead of white on light grey (book_html.css).
- Wide display equations scroll inside their own box (book_html.css).
- The kernels that execute the notebooks get their ZeroMQ channels encrypted with CurveZMQ
  keys (jupyter_client's `transport_encryption = "auto"`; the kernel spec of ipykernel declares
  support), instead of ipykernel's "Kernel is running over TCP without encryption" warning
  once per notebook in every build log.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
PLACEHOLDER_ACCOUNT = "YOUR-GITHUB-ACCOUNT"
LAUNCH_URL_KEYS = ("binderhub_url", "jupyterhub_url", "colab_url", "jupyterlite_url")
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button")


def is_placeholder(url: str | None) -> bool:
    """True when `url` names no real repository: empty, or the template's placeholder account."""
    return not (url or "").strip() or PLACEHOLDER_ACCOUNT in url


def without_placeholder_buttons(theme_options: dict) -> tuple[dict, str | None]:
    """Theme options with every repository-linked button off if the repository is a placeholder.

    Returns the options (a new dict; the input is left as it is) and the reason the buttons
    are off, or None when the repository URL is real and the options are returned unchanged.
    """
    url = theme_options.get("repository_url")
    if not is_placeholder(url):
        return dict(theme_options), None
    options = {k: v for k, v in theme_options.items() if k != "repository_url"}
    launch = dict(options.get("launch_buttons") or {})
    options["launch_buttons"] = {k: ("" if k in LAUNCH_URL_KEYS else v) for k, v in launch.items()}
    options.update({button: False for button in REPOSITORY_BUTTONS})
    reason = (f"repository.url in _config.yml is the placeholder {url!r}: the pages get no Binder, "
              "Colab or repository buttons. A fork sets its own URL there to get them.")
    return options, reason


def _configure(app: Sphinx, config: Config) -> None:
    options, reason = without_placeholder_buttons(config.html_theme_options or {})
    if reason:
        logger.info(f"[book_html] {reason}")
    options.setdefault("navbar_persistent", [])  # the search field stays in the sidebar only
    config.html_theme_options = options
    config.templates_path = [str(HERE / "book_html_templates"), *config.templates_path]
    config.html_static_path = [*config.html_static_path, str(HERE / "book_html_static")]


def _encrypt_kernel_channels() -> None:
    """Make jupyter_client's kernel managers provision CurveZMQ keys where the kernel supports them.

    myst-nb and nbclient create their kernel managers without any configuration, so the
    default of the `KernelManager.transport_encryption` trait is the one place to set it.
    """
    try:
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:
        return
    trait = KernelManager.class_traits().get("transport_encryption")
    if trait is not None and zmq.has("curve") and trait.default_value == "disabled":
        trait.default_value = "auto"


def _thebe_enabled(config: Config) -> bool:
    launch = (config.html_theme_options or {}).get("launch_buttons", {}) or {}
    return bool(launch.get("thebe"))


def _is_thebe(asset) -> bool:
    name = getattr(asset, "filename", None) or ""
    body = (getattr(asset, "attributes", None) or {}).get("body", "") or ""
    return "sphinx-thebe" in str(name) or "THEBE_JS_URL" in body


# myst-nb names every hide-input <summary> "Toggle hidden content" though it shows
# "Show code cell source": without the label, its name is the text it shows.
_SUMMARY_LABEL = re.compile(r'<summary aria-label="Toggle hidden content">')
_BIBLIOENTRY = 'role="doc-biblioentry"'


def fix_body(body: str) -> str:
    """The page body with the accessibility fixes above (summary names, bibliography roles)."""
    body = _SUMMARY_LABEL.sub("<summary>", body)
    return body.replace(_BIBLIOENTRY, 'role="listitem"')


def _clean_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if not context.get("default_mode"):
        context["default_mode"] = "light"
    if isinstance(context.get("body"), str):
        context["body"] = fix_body(context["body"])
    drop_thebe = not _thebe_enabled(app.config)
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not assets:
            continue
        kept = []
        for asset in assets:
            if (drop_thebe and _is_thebe(asset)) or asset in kept:
                continue
            kept.append(asset)
        context[key] = kept


def setup(app: Sphinx) -> dict:
    _encrypt_kernel_channels()
    app.connect("config-inited", _configure, priority=100)
    app.add_css_file("book_html.css")
    app.add_js_file("book_html.js", loading_method="defer")
    app.connect("html-page-context", _clean_page, priority=900)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}

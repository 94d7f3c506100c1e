"""Small fixes to the HTML pages, so that they load cleanly (checked by tests/browser).

- Each page got sphinx-thebe's inline configuration script twice (sphinx-thebe 0.3.1 under
  Jupyter Book 1 / Sphinx 7), and the second `const THEBE_JS_URL` is a JavaScript error on
  every page. The book does not offer Thebe (live code needs a kernel on the internet), so
  unless `launch_buttons.thebe` is switched on, the Thebe scripts and stylesheet are dropped;
  that also removes the dormant unpkg.com address from every page. Any other duplicate script
  is dropped too.
- pydata-sphinx-theme logs "Got invalid theme mode" when its `default_mode` page variable is
  empty (sphinx-book-theme leaves it so); the book starts in light mode (figures have white
  backgrounds) unless `html_context` in `_config.yml` sets `default_mode` itself.
"""

from sphinx.application import Sphinx
from sphinx.config import Config


def _thebe_enabled(config: Config) -> bool:
    launch = (config.html_theme_options or {}).get("launch_buttons", {}) or {}
    return bool(launch.get("thebe"))




def _is_thebe(asset) -> bool:
    name = getattr(asset, "filename", None) or ""
    body = (getattr(asset, "attributes", None) or {}).get("body", "") or ""
    return "sphinx-thebe" in str(name) or "THEBE_JS_URL" in body


def _clean_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    if not context.get("default_mode"):
        context["default_mode"] = "light"
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
    app.connect("html-page-context", _clean_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

"""Launch buttons from the instructor's settings (:mod:`alliances.launch`).

Jupyter Book turns ``launch_buttons`` and ``repository`` in ``_config.yml``
into the theme's options; the theme then builds its own links, but only for
repositories on GitHub, GitLab or Bitbucket (a class's hub often pulls from
elsewhere), and shows a Binder button whenever ``binderhub_url`` is set, even
with no repository to open. Here the theme's launch buttons are switched off
and the book's own are added to every notebook page, computed by the same
function as ``make hub-links``. Without a repository there is no launch
button and no repository button; an empty service gets no button.
"""
from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .launch import LaunchError, Settings, launch_links

logger = logging.getLogger(__name__)

KNOWN_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")
ICONS = {"jupyterhub": "_static/images/logo_jupyterhub.svg",
         "binder": "_static/images/logo_binder.svg",
         "colab": "_static/images/logo_colab.png"}


def _settings(app: Sphinx, config: Config) -> None:
    options = dict(config.html_theme_options or {})
    raw = {"repository": {"url": options.get("repository_url", ""),
                          "branch": options.get("repository_branch", ""),
                          "path_to_book": options.get("path_to_docs", "")},
           "launch_buttons": options.get("launch_buttons") or {}}
    try:
        settings = Settings.from_config(raw)
    except LaunchError as exc:
        from sphinx.errors import ConfigError
        raise ConfigError(f"_config.yml: {exc}") from None
    app.env_settings = settings  # read by _buttons; not pickled into the environment
    # The theme builds no launch buttons of its own (they would duplicate ours
    # or, without a repository, point nowhere).
    options["launch_buttons"] = {}
    host_known = any(f"//{h}/" in settings.repository + "/" for h in KNOWN_HOSTS)
    if settings.repository and host_known:
        options["use_repository_button"] = True
    else:
        # No repository, or one the theme cannot name: no repository button,
        # and no repository URL for the theme to reject.
        for key in ("repository_url", "use_repository_button", "use_issues_button",
                    "use_edit_page_button", "use_source_button"):
            options.pop(key, None)
    config.html_theme_options = options


def _buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    settings: Settings = getattr(app, "env_settings", Settings())
    source = app.env.doc2path(pagename, base=False) if pagename in app.env.all_docs else None
    if not source or not str(source).endswith(".ipynb") or "header_buttons" not in context:
        return
    links = launch_links(settings, str(source))
    if not links:
        return
    context["header_buttons"].append({
        "type": "group",
        "tooltip": "Open this chapter as a live notebook",
        "icon": "fas fa-rocket",
        "label": "launch-buttons",
        "buttons": [{"type": "link", "text": link["text"], "url": link["url"],
                     "tooltip": f"Open in {link['text']}", "icon": ICONS[link["service"]],
                     "label": f"launch-{link['service']}"} for link in links],
    })


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _settings, priority=400)
    # after the theme's header buttons (priority 501), so ours come last
    app.connect("html-page-context", _buttons, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

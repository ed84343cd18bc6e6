/* Accessibility fixes for parts of the page this book does not generate
   (the theme, sphinxcontrib-bibtex, the ipywidgets embedder). Each fix is
   small, and each names the axe-core rule it answers. */
(function () {
  "use strict";

  function fixStatic() {
    // label-content-name-mismatch: the theme's search buttons show
    // "Search Ctrl+K" but are labelled "Search"; let the visible text name them.
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (el) {
      el.removeAttribute("aria-label");
    });
    // aria-required-children / aria-deprecated-role: the bibliography list's
    // roles (doc-biblioentry) are deprecated; plain list semantics are enough.
    document.querySelectorAll(".citation-list[role], .citation-list [role='doc-biblioentry']")
      .forEach(function (el) { el.removeAttribute("role"); });
    // region: the theme puts the book's title (a link home) in the sidebar
    // outside any landmark; it is navigation, so say so.
    document.querySelectorAll(".sidebar-primary-item .navbar-brand").forEach(function (el) {
      var item = el.closest(".sidebar-primary-item");
      if (!item.closest("nav, [role='navigation']")) {
        item.setAttribute("role", "navigation");
        item.setAttribute("aria-label", "Book home");
      }
    });
  }

  var scrollables = 0;

  function fixDynamic(root) {
    // The same rule for the colour-mode switch: its icons carry titles
    // ("Light", "Dark", ...) that count as content; the button's own label
    // ("Color mode") names it, so hide the icons from assistive technology.
    // (Font Awesome turns each <i title> into an <svg> with a <title>.)
    root.querySelectorAll(".theme-switch-button i[title], .theme-switch-button svg")
      .forEach(function (el) {
        el.removeAttribute("title");
        el.removeAttribute("aria-labelledby");
        el.setAttribute("aria-hidden", "true");
        el.querySelectorAll("title").forEach(function (t) { t.remove(); });
      });
    // scrollable-region-focusable: wide outputs that scroll must be reachable
    // from the keyboard.
    root.querySelectorAll(".cell_output .output, .jp-RenderedHTMLCommon, div.cell_output")
      .forEach(function (el) {
        if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
          scrollables += 1;  // landmark-unique: each region gets its own name
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", "Scrollable output " + scrollables);
        }
      });
    // button-name: the Play widget's buttons show only icons.
    var names = ["Play", "Pause", "Stop", "Repeat"];
    root.querySelectorAll(".widget-play, .jupyter-widget-play").forEach(function (play) {
      play.querySelectorAll("button").forEach(function (button, i) {
        if (!button.getAttribute("aria-label")) {
          button.setAttribute("aria-label", names[i] || "Control");
        }
      });
    });
    // aria-input-field-name: saved sliders are drawn without a name; use the
    // widget's own description label.
    root.querySelectorAll("[role='slider']:not([aria-label])").forEach(function (slider) {
      var widget = slider.closest(".widget-slider, .jupyter-widget-slider, .widget-hslider, .jupyter-widget-hslider");
      var label = widget && widget.querySelector(".widget-label, .jupyter-widget-label");
      slider.setAttribute("aria-label", (label && label.textContent.trim()) || "Slider");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fixStatic();
    fixDynamic(document);
    // Widgets and charts are drawn after load; fix what they add as it appears.
    var pending = false;
    new MutationObserver(function () {
      if (pending) { return; }
      pending = true;
      window.setTimeout(function () { pending = false; fixDynamic(document); }, 100);
    }).observe(document.body, { childList: true, subtree: true });
  });
  // The theme sets its own attributes once everything has loaded.
  window.addEventListener("load", function () {
    window.setTimeout(function () { fixDynamic(document); }, 200);
  });
})();
